#!/usr/bin/env bash
# Installs whichever of the named Debian/Ubuntu packages are missing (one apt-get run), with
# sudo when not root. Used by install.sh, test.sh and release.sh.
#   scripts/need-packages.sh cmake clang libclang-dev
set -euo pipefail
missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "installing ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
