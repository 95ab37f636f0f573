#!/usr/bin/env bash
# Accuracy against exact ground truth: near-duplicate recall/precision at
# J >= 0.8 (BBC, Reuters +-1 day), keyless update detection (wiki-versions-en),
# URL-keyed update detection (frontpage-revisions-de). All the work is in
# bench/accuracy.py (python3, standard library only); see its docstring for
# the definitions. Results: docs/benchmarks.md, "Accuracy against exact
# ground truth".
#
# Prints Markdown (also WORK/accuracy.md, details in WORK/accuracy.json).
# Exit status 0: all targets met; 1: a target missed; 2: setup error.
#
# Environment (all optional):
#   CORPUS     corpus root (default /work/shared/corpus; read in place, never copied)
#   BUILD      build dir   (default <repo>/build-release); the binary is
#              $BUILD/newsarc, configured and built there first if missing
#   NEWSARC    binary      (default $BUILD/newsarc)
#   WORK       scratch dir (default: a new temporary directory, removed at the
#              end unless KEEP=1): archives, the keyless wiki copy, results
#   JOBS       parallel `dups` / estimate processes (default: nproc, at least 2)
#   INIT_ARGS  extra `newsarc init` arguments for every archive, e.g.
#              "--perms 256" (default: none, i.e. newsarc's defaults)
#   ONLY       subset: comma list of bbc,reuters,wiki,frontpage (default all)
#   ESTIMATES  0 to skip the pair-estimate analysis (default 1)
#
#   bench/accuracy.sh
#   WORK=/tmp/acc KEEP=1 INIT_ARGS="--perms 256" bench/accuracy.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CORPUS=${CORPUS:-/work/shared/corpus}
BUILD=${BUILD:-$ROOT/build-release}
NEWSARC=${NEWSARC:-$BUILD/newsarc}
JOBS=${JOBS:-$(n=$(nproc); echo $((n < 2 ? 2 : n)))}
INIT_ARGS=${INIT_ARGS:-}
ONLY=${ONLY:-bbc,reuters,wiki,frontpage}
ESTIMATES=${ESTIMATES:-1}
KEEP=${KEEP:-0}

die() { printf 'bench/accuracy.sh: %s\n' "$*" >&2; exit 2; }

command -v python3 >/dev/null || die "python3 not found"
[[ -d $CORPUS/bbc-fulltext-en && -d $CORPUS/reuters21578-en ]] || die "no corpus at $CORPUS"
if [[ ! -x $NEWSARC ]]; then
  cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null &&
    cmake --build "$BUILD" --target newsarc -j2 >/dev/null || die "build failed"
fi
[[ -x $NEWSARC ]] || die "no binary at $NEWSARC"

if [[ -z ${WORK:-} ]]; then
  WORK=$(mktemp -d)
  [[ $KEEP == 1 ]] || trap 'rm -rf "$WORK"' EXIT
fi
mkdir -p "$WORK"

extra=()
[[ $ESTIMATES == 0 ]] && extra+=(--no-estimates)
status=0
python3 "$ROOT/bench/accuracy.py" --newsarc "$NEWSARC" --corpus "$CORPUS" --work "$WORK" \
  --jobs "$JOBS" --init-args="$INIT_ARGS" --only "$ONLY" "${extra[@]}" || status=$?
[[ $KEEP == 1 ]] && printf 'bench/accuracy.sh: results kept in %s\n' "$WORK" >&2
exit $status
