#!/usr/bin/env bash
# Everything the test suite needs on a fresh Debian/Ubuntu machine, then the suite itself:
#   - the build tools llama.cpp needs (cmake, clang, libclang-dev), as scripts/install.sh;
#   - what the tests drive: tmux (the chat), git (commits and hooks), vim, neovim, kakoune and
#     emacs-nox (docs/editors.md's recipes), python3-venv (the official `openai` client);
#   - the real models, fetched once into ~/.cache/pai-models (PAI_MODEL_CACHE moves them);
#   - then `cargo test --release`, with any arguments given passed on to it.
# CI runs exactly this (.ci/run), so the README's command and CI cannot drift apart.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for pkg in cmake clang libclang-dev tmux git vim neovim kakoune emacs-nox python3-venv; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

scripts/fetch-models.sh >/dev/null
cargo test --release "$@"
