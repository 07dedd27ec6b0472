#!/usr/bin/env bash
# Sets pai up on a fresh Debian/Ubuntu machine: the build tools llama.cpp needs, a release
# build installed into ~/.cargo/bin, the default model (SmolLM2-135M-Instruct) fetched into
# ~/.cache/pai-models and registered, `pai doctor` (which generates a token in a child process),
# and one real answer to show it works.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/need-packages.sh cmake clang libclang-dev

echo "building pai (llama.cpp compiles from source: about five minutes on two cores)" >&2
# Reuse the project's own build folder, so that a second run (or a run after the tests) does
# not compile llama.cpp again.
CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}" cargo install --path . --locked --quiet
pai=$(command -v pai || echo "$HOME/.cargo/bin/pai")

cache=$(scripts/fetch-models.sh smollm2)
"$pai" model add "$cache/SmolLM2-135M-Instruct.Q4_1.gguf" --name smollm2
"$pai" model default smollm2
# A real generation in a child process: a build that crashes on this CPU stops here, named.
"$pai" doctor >&2 || { echo "pai is installed as $pai, but pai doctor found a problem (above)" >&2; exit 1; }
echo "pai is installed as $pai; asking it a first question:" >&2
"$pai" ask "In one sentence, what is a terminal?" --max-tokens 64
