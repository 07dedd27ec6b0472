"""Writes one prompt file per row of the rewrite set: the edit prompt (prompts/edit.txt) and
the selection as `pai edit` lays them out (the selection as an attachment, then the
instruction), in SmolLM2's chat template (ChatML), ready for a bare llama.h loop and for
`pai bench --spec`, which both parse its markup. The selection is read at the pinned commit."""
import os
import subprocess
import sys

COMMIT = "95836b5"  # main when the set was made: the selections do not drift with the code

def main(set_path, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    system = subprocess.run(["git", "show", f"{COMMIT}:prompts/edit.txt"], check=True,
                            capture_output=True, text=True).stdout.strip()
    rows = [l.rstrip("\n").split("\t") for l in open(set_path)
            if l.strip() and not l.startswith("#")]
    for i, (path, first, count, instruction) in enumerate(rows, 1):
        text = subprocess.run(["git", "show", f"{COMMIT}:{path}"], check=True,
                              capture_output=True, text=True).stdout.splitlines()
        first, count = int(first), int(count)
        selection = "\n".join(text[first - 1:first - 1 + count])
        assert 30 <= len(selection.splitlines()) <= 120, (path, len(selection.splitlines()))
        user = (f'<attachment name="selection">\n{selection.rstrip()}\n</attachment>\n\n'
                f"{instruction}")
        prompt = (f"<|im_start|>system\n{system}<|im_end|>\n"
                  f"<|im_start|>user\n{user}<|im_end|>\n<|im_start|>assistant\n")
        half = "tune" if i % 2 else "held"
        with open(os.path.join(out_dir, f"{i:02d}-{half}.txt"), "w") as f:
            f.write(prompt)

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
