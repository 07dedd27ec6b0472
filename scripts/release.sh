#!/usr/bin/env bash
# Builds the portable release archive: pai and llama.cpp's shared libraries, with one CPU
# backend per x86-64 micro-architecture level (llama.cpp's GGML_CPU_ALL_VARIANTS); at start
# pai loads the best one this CPU can run (docs/ARCHITECTURE.md, "Portable release").
# It runs on any x86-64 Linux CPU from x86-64-v2 up, with glibc as new as the build machine's.
# Left out: the sapphirerapids backend, the one variant with llama.cpp's AMX kernels, which
# crash (upstream issue 20824); Sapphire Rapids CPUs load the zen4 backend (AVX-512 VNNI/BF16).
#
# Prints the archive's path as the last line of stdout; beside it, ARCHIVE.sha256.
# The build has its own folder (target/portable), so it does not disturb the native build;
# it compiles llama.cpp once more, with every CPU variant (about half an hour on two cores).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/need-packages.sh cmake clang libclang-dev patchelf

target=${PAI_RELEASE_TARGET_DIR:-$PWD/target/portable}
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
name=pai-$version-x86_64-linux-gnu

echo "building the portable pai (every CPU variant of llama.cpp)" >&2
# RUSTFLAGS replaces .cargo/config.toml's target-cpu=native: Rust code for x86-64-v2, and
# llama-cpp-sys-2 turns GGML_NATIVE off when the target CPU is not native.
RUSTFLAGS="-C target-cpu=x86-64-v2" \
  cargo build --release --locked --features portable --target-dir "$target" >&2

out=$(ls -d "$target"/release/build/llama-cpp-sys-2-*/out | head -1)
stage=$target/stage/$name
rm -rf "$target/stage" && mkdir -p "$stage/bin" "$stage/lib"
cp "$target/release/pai" "$stage/bin/pai"
cp -a "$out"/lib/lib*.so* "$stage/lib/"
cp "$out"/backends/libggml-cpu-*.so "$stage/lib/"
rm -f "$stage/lib/libggml-cpu-sapphirerapids.so"
# OpenMP's runtime comes along: minimal systems (containers) do not have libgomp1.
gomp=$(ldd "$stage/bin/pai" | awk '/libgomp/ {print $3}')
[ -n "$gomp" ] && cp -L "$gomp" "$stage/lib/"
patchelf --set-rpath '$ORIGIN/../lib' "$stage/bin/pai"
for lib in "$stage"/lib/*.so*; do
  [ -L "$lib" ] || patchelf --set-rpath '$ORIGIN' "$lib"
done

# The archive must be whole, and must not hold the kernels that crash.
if ldd "$stage/bin/pai" | grep -q "not found"; then
  echo "release: the archive lacks a library pai needs:" >&2
  ldd "$stage/bin/pai" | grep "not found" >&2
  exit 1
fi
if grep -l ggml_backend_amx_mul_mat "$stage"/bin/pai "$stage"/lib/*.so* >&2; then
  echo "release: llama.cpp's AMX kernels are in the files above; they crash (see the header)" >&2
  exit 1
fi
cp README.md LICENSE "$stage/"

archive=$target/$name.tar.gz
tar -C "$target/stage" -czf "$archive" "$name"
(cd "$target" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
echo "release: $(du -h "$archive" | cut -f1) $archive" >&2
echo "$archive"
