#!/usr/bin/env bash
# Builds newsarc into build/ (or the directory given) with warnings as errors.
# Extra arguments go to cmake's configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
shift || true
bash scripts/deps.sh
cmake -S . -B "$dir" -DNEWSARC_WERROR=ON "$@" >/dev/null
cmake --build "$dir" -j"$(nproc)"
