#!/usr/bin/env bash
# Installs the Debian packages newsarc needs to build and test; idempotent,
# silent when everything is already there.
set -euo pipefail
packages=(build-essential cmake pkg-config libxxhash-dev libzstd-dev liblmdb-dev libcli11-dev
          catch2 libutf8proc-dev libsimdjson-dev libdtl-dev groff-base man-db python3 patch clang libclang-rt-14-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
