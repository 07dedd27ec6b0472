#!/usr/bin/env python3
"""Packs the portable release (the folder scripts/release.sh stages) into a Python wheel, so
that `pip install` (or pipx, or uv) can install pai with no compiler: the binary and llama.cpp's
libraries go into the package `pai_terminal`, and the `pai` command is a two-line launcher that
hands the process over to the binary (os.execv: no Python left running).

    scripts/wheel.py STAGE_DIR OUT_DIR     # prints the wheel's path

The tag is linux_x86_64, which pip installs locally; a package index wants a manylinux tag,
which auditwheel would have to confirm first. Only the standard library is used.
"""
import base64
import hashlib
import os
import re
import sys
import zipfile

NAME = "pai_terminal"

LAUNCHER = '''"""pai: a personal AI that lives in the terminal (the binary is in bin/)."""
import os
import sys


def main():
    exe = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bin", "pai")
    os.execv(exe, [exe] + sys.argv[1:])
'''


def version_of(stage):
    # pai-0.1.0-x86_64-linux-gnu
    match = re.match(r"pai-([0-9][^-]*)-", os.path.basename(os.path.normpath(stage)))
    if not match:
        sys.exit(f"wheel: {stage} is not a staged release folder (pai-VERSION-…)")
    return match.group(1)


def libraries(lib):
    """The files the loader opens: sonames (libllama.so.0) and the CPU backends, each whole.
    A wheel cannot hold symbolic links, so the links the loader follows become files."""
    for name in sorted(os.listdir(lib)):
        path = os.path.join(lib, name)
        soname = re.fullmatch(r"lib[\w.+-]+\.so\.\d+", name)
        backend = name.startswith("libggml-cpu-") and name.endswith(".so")
        if soname or backend:
            yield name, path


def record_line(arcname, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{arcname},sha256={digest},{len(data)}"


def add(wheel, records, arcname, data, executable=False):
    info = zipfile.ZipInfo(arcname, date_time=(2026, 1, 1, 0, 0, 0))
    # The file-type bits too: pip sets the executable bit only on what says it is a regular file.
    info.external_attr = (0o100755 if executable else 0o100644) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    wheel.writestr(info, data)
    records.append(record_line(arcname, data))


def main(stage, out):
    version = version_of(stage)
    dist = f"{NAME}-{version}.dist-info"
    path = os.path.join(out, f"{NAME}-{version}-py3-none-linux_x86_64.whl")
    records = []
    with zipfile.ZipFile(path, "w") as wheel:
        add(wheel, records, f"{NAME}/__init__.py", LAUNCHER.encode())
        with open(os.path.join(stage, "bin", "pai"), "rb") as f:
            add(wheel, records, f"{NAME}/bin/pai", f.read(), executable=True)
        for name, lib in libraries(os.path.join(stage, "lib")):
            with open(lib, "rb") as f:
                add(wheel, records, f"{NAME}/lib/{name}", f.read())
        metadata = (
            "Metadata-Version: 2.1\n"
            "Name: pai-terminal\n"
            f"Version: {version}\n"
            "Summary: A personal AI that lives in the terminal: local GGUF models, your notes as context\n"
            "License: MIT\n"
            "Requires-Python: >=3.8\n"
        )
        add(wheel, records, f"{dist}/METADATA", metadata.encode())
        tags = (
            "Wheel-Version: 1.0\nGenerator: pai scripts/wheel.py\n"
            "Root-Is-Purelib: false\nTag: py3-none-linux_x86_64\n"
        )
        add(wheel, records, f"{dist}/WHEEL", tags.encode())
        entry = f"[console_scripts]\npai = {NAME}:main\n"
        add(wheel, records, f"{dist}/entry_points.txt", entry.encode())
        records.append(f"{dist}/RECORD,,")
        info = zipfile.ZipInfo(f"{dist}/RECORD", date_time=(2026, 1, 1, 0, 0, 0))
        info.external_attr = 0o100644 << 16
        wheel.writestr(info, "\n".join(records) + "\n")
    print(path)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: scripts/wheel.py STAGE_DIR OUT_DIR")
    main(sys.argv[1], sys.argv[2])
