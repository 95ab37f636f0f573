# Shared set-up of the end-to-end test scripts: sourced, with the
# arguments NEWSARC FIXTURES CASE. Creates a fresh archive in $WORK/arc.
set -uo pipefail
NC=$1
FIX=$2
CASE=$3
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export NEWSARC_ARCHIVE=$WORK/arc
unset NEWSARC_ARCHIVE_OVERRIDE

fail() { echo "FAIL [$CASE]: $*" >&2; exit 1; }
# expect_status INPUT-SUBSTRING STATUS OUTPUT: the line naming INPUT has STATUS.
expect_status() {
  local line
  line=$(grep -F -- "$1" <<<"$3" | head -n1)
  [ -n "$line" ] || fail "no output line for $1 in:"$'\n'"$3"
  [ "$(awk '{print $1}' <<<"$line")" = "$2" ] || fail "$1: expected $2, got: $line"
}
count_status() { grep -c "^$1 " <<<"$2"; }
run() { "$NC" "$@" 2>"$WORK/err"; }

"$NC" init >/dev/null || fail "init failed"

