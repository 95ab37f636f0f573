#!/usr/bin/env bash
# The test command: installs what is missing, builds with -Werror, runs every
# test; then does the same in an AddressSanitizer + UBSan build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh build
(cd build && ctest --output-on-failure -j"$(nproc)")
if [ "${NEWSARC_SKIP_SANITIZE:-0}" != 1 ]; then
  bash scripts/build.sh build-asan -DNEWSARC_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
  (cd build-asan && ctest --output-on-failure -j"$(nproc)")
fi
[ "${NEWSARC_SKIP_FUZZ:-0}" = 1 ] || bash scripts/fuzz.sh 15  # libFuzzer, 15 s per target
