#!/usr/bin/env bash
# The man page renders without warnings and names every command and option
# that --help shows. Usage: man_test.sh NEWSARC MANPAGE
set -uo pipefail
NC=$1
MAN=$2
warnings=$(groff -man -ww -z "$MAN" 2>&1)
[ -z "$warnings" ] || { echo "FAIL: groff warnings: $warnings" >&2; exit 1; }
page=$(sed 's/\\-/-/g' "$MAN")
missing=0
for cmd in $("$NC" --help | awk '/^Subcommands:/{on=1; next} on && NF {print $1}'); do
  grep -q "^\.SS $cmd" <<<"$page" || { echo "FAIL: command $cmd has no section" >&2; missing=1; }
  for opt in $("$NC" "$cmd" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
    [ "$opt" = --help ] && continue
    grep -qF -- "$opt" <<<"$page" || { echo "FAIL: $cmd $opt not in the man page" >&2; missing=1; }
  done
done
[ $missing = 0 ] && echo "ok: man page matches --help"
exit $missing
