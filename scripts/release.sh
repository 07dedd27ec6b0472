#!/usr/bin/env bash
# Builds the portable release archive: pai and llama.cpp's shared libraries, with one CPU
# backend per x86-64 micro-architecture level (llama.cpp's GGML_CPU_ALL_VARIANTS); at start
# pai loads the best one this CPU can run (docs/ARCHITECTURE.md, "Portable release").
# It runs on any x86-64 Linux CPU from x86-64-v2 up, with glibc as new as the build machine's.
# Left out: the sapphirerapids backend, the one variant with llama.cpp's AMX kernels, which
# crash (upstream issue 20824); Sapphire Rapids CPUs load the zen4 backend (AVX-512 VNNI/BF16).
#
# Prints the archive's path as the last line of stdout; beside it, ARCHIVE.sha256 and the same
# files as a Python wheel (scripts/wheel.py).
# The build has its own folder (target/portable), so it does not disturb the native build;
# it compiles llama.cpp once more, with every CPU variant (about half an hour on two cores).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/need-packages.sh cmake clang libclang-dev patchelf

target=${PAI_RELEASE_TARGET_DIR:-$PWD/target/portable}
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
name=pai-$version-x86_64-linux-gnu

echo "building the portable pai (every CPU variant of llama.cpp)" >&2
# llama-cpp-sys-2 links its libraries' unversioned names (symbolic links) beside the binary;
# after llama.cpp is built again they dangle, and its build script then fails on them.
find "$target/release" -maxdepth 2 -name 'lib*.so' -xtype l -delete 2>/dev/null || true
# RUSTFLAGS replaces .cargo/config.toml's target-cpu=native: Rust code for x86-64-v2, and
# llama-cpp-sys-2 turns GGML_NATIVE off when the target CPU is not native.
# CMAKE_DISABLE_FIND_PACKAGE_OpenSSL: llama.cpp's common library would link OpenSSL for its
# HTTPS downloads, which pai never calls; without it the archive needs no libssl.
RUSTFLAGS="-C target-cpu=x86-64-v2" CMAKE_DISABLE_FIND_PACKAGE_OpenSSL=ON \
  cargo build --release --locked --features portable --target-dir "$target" >&2

out=$(ls -d "$target"/release/build/llama-cpp-sys-2-*/out | head -1)
stage=$target/stage/$name
rm -rf "$target/stage" && mkdir -p "$stage/bin" "$stage/lib"
cp "$target/release/pai" "$stage/bin/pai"
cp -a "$out"/lib/lib*.so* "$stage/lib/"
cp "$out"/backends/libggml-cpu-*.so "$stage/lib/"
rm -f "$stage/lib/libggml-cpu-sapphirerapids.so"
patchelf --set-rpath '$ORIGIN/../lib' "$stage/bin/pai"
for lib in "$stage"/lib/*.so*; do
  [ -L "$lib" ] || patchelf --set-rpath '$ORIGIN' "$lib"
done
# OpenMP's runtime comes along (llama.cpp's CPU code needs it): minimal systems, containers
# among them, do not have libgomp1.
gomp=$(ldd "$stage"/lib/libggml-base.so | awk '/libgomp/ {print $3}')
[ -f "$gomp" ] || { echo "release: cannot find libgomp, which llama.cpp needs" >&2; exit 1; }
cp -L "$gomp" "$stage/lib/"

# The archive must be whole, and must not hold the kernels that crash.
# Whole: everything pai and its libraries need is in the archive or in glibc and the C++
# runtime every Linux system has.
for file in "$stage"/bin/pai "$stage"/lib/*.so*; do
  outside=$(ldd "$file" | awk '$3 !~ "^'"$stage"'" && $1 !~ /^(linux-vdso|\/lib64\/ld-linux|libc\.|libm\.|libstdc\+\+|libgcc_s)/' || true)
  if [ -n "$outside" ]; then
    echo "release: $(basename "$file") needs libraries that are not in the archive:" >&2
    echo "$outside" >&2
    exit 1
  fi
done
if grep -l ggml_backend_amx_mul_mat "$stage"/bin/pai "$stage"/lib/*.so* >&2; then
  echo "release: llama.cpp's AMX kernels are in the files above; they crash (see the header)" >&2
  exit 1
fi
cp README.md LICENSE "$stage/"

archive=$target/$name.tar.gz
tar -C "$target/stage" -czf "$archive" "$name"
(cd "$target" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
echo "release: $(du -h "$archive" | cut -f1) $archive" >&2
# The same files as a Python wheel: `pip install` puts a `pai` command on the PATH.
wheel=$(python3 scripts/wheel.py "$stage" "$target")
echo "release: $(du -h "$wheel" | cut -f1) $wheel" >&2
echo "$archive"
