#!/usr/bin/env bash
# Builds llama-server on the llama.cpp library that Cargo.lock pins, and prints its path.
# llama-cpp-sys-2 vendors that library (src/, ggml/, include/) but not the server's sources.
# Those come from the llama.cpp that PyPI's llama-cpp-python sdist vendors (a registry package,
# fetched with pip): tools/server, tools/ui, tools/mtmd and common/ (the server needs the
# helpers of its own version), and scripts/ui-assets.cmake. Its llama.h matches the pinned one
# but for the session-format version numbers. So inference (libllama and ggml) is exactly the
# pinned code, and the HTTP front end is llama-cpp-python 0.3.x's. The web UI is left out (no
# npm, no download). Set LLAMA_CPP_SRC to a whole llama.cpp checkout to build that instead.
# Run from the project root:   scripts/build-llama-server.sh
set -euo pipefail
fail() { echo "build-llama-server: $*" >&2; exit 1; }
ver=$(grep -A1 '^name = "llama-cpp-sys-2"$' Cargo.lock | sed -n 's/^version = "\(.*\)"$/\1/p')
crate=$(ls -d ~/.cargo/registry/src/*/llama-cpp-sys-2-"$ver" 2>/dev/null | tail -1)
[ -n "$crate" ] || fail "no llama-cpp-sys-2 $ver sources in the cargo registry: run cargo fetch"
work=${CHECK_DIR:-/tmp/pai-llama-server}/$ver
server=$work/build/bin/llama-server
if [ -x "$server" ]; then echo "$server"; exit 0; fi
mkdir -p "$work"
src=${LLAMA_CPP_SRC:-}
if [ -z "$src" ]; then
  src=$work/llama.cpp
  if [ ! -f "$src/tools/server/server.cpp" ]; then
    sd=$work/sdist; rm -rf "$sd" "$src"; mkdir -p "$sd"
    python3 -m pip download -q --no-deps --no-binary :all: -d "$sd" llama-cpp-python >&2 \
      || fail "pip download llama-cpp-python failed"
    tar -xzf "$sd"/llama_cpp_python-*.tar.gz -C "$sd"
    up=$(ls -d "$sd"/llama_cpp_python-*/vendor/llama.cpp)
    cp -r "$crate/llama.cpp" "$src"
    for d in common tools/mtmd tools/server tools/ui; do
      rm -rf "${src:?}/$d"; cp -r "$up/$d" "$src/$d"
    done
    mkdir -p "$src/scripts"; cp "$up/scripts/ui-assets.cmake" "$src/scripts/"
    # Only what the server needs: the vendored tree lacks the other tools' sources.
    printf 'find_package(Threads REQUIRED)\nllama_add_compile_flags()\nadd_subdirectory(mtmd)\nadd_subdirectory(ui)\nadd_subdirectory(server)\n' \
      >"$src/tools/CMakeLists.txt"
  fi
fi
[ -f "$src/tools/server/server.cpp" ] || fail "$src has no tools/server/server.cpp"
echo "building llama-server (several minutes)…" >&2
cmake -S "$src" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DLLAMA_CURL=OFF -DGGML_NATIVE=ON \
  -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_APP=OFF -DLLAMA_BUILD_SERVER=ON \
  -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF >"$work/cmake.log" 2>&1 || fail "cmake failed: $work/cmake.log"
cmake --build "$work/build" -j"$(nproc)" --target llama-server >"$work/build.log" 2>&1 \
  || fail "build failed: tail $work/build.log"
echo "$server"
