#!/usr/bin/env bash
# The storage target, measured every way it can be read: a newsarc archive
# of a corpus against compressing each article on its own with zstd -19.
#
# zstd -19 is run on each article's text (what the speed issue's target
# compares with) and on each whole JSON record (text plus id, title and
# date, which the archive stores too). Each is counted twice: as the sum of
# the compressed sizes (as if packed without overhead) and as the disk space
# the one-file-per-article directory takes (`du`: every file takes whole
# file-system blocks). The archive is counted by its file, and split by
# table from `mdb_stat -a` (pages of all kinds times the page size).
#
# Needs: python3, zstd, mdb_stat (Debian package lmdb-utils), and a newsarc
# binary. Usage:
#   bench/storage.sh [CORPUS.jsonl]
# Environment: NEWSARC (default build-release/newsarc), WORK (scratch
# directory, default build-release/storage-work; emptied first).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CORPUS=${1:-$ROOT/../shared/corpus/reuters21578-en/articles.jsonl}
NEWSARC=${NEWSARC:-$ROOT/build-release/newsarc}
WORK=${WORK:-$ROOT/build-release/storage-work}

for tool in python3 zstd mdb_stat; do
  command -v "$tool" >/dev/null || { echo "bench/storage.sh: $tool not found" >&2; exit 1; }
done
[ -x "$NEWSARC" ] || { echo "bench/storage.sh: no newsarc binary at $NEWSARC" >&2; exit 1; }

rm -rf "$WORK" && mkdir -p "$WORK/text" "$WORK/record"
python3 - "$CORPUS" "$WORK" <<'EOF'
import json, os, sys
corpus, work = sys.argv[1], sys.argv[2]
for i, line in enumerate(open(corpus, encoding="utf-8")):
    if line.strip():
        with open(os.path.join(work, "text", "%06d.txt" % i), "wb") as f:
            f.write(json.loads(line).get("text", "").encode())
        with open(os.path.join(work, "record", "%06d.json" % i), "wb") as f:
            f.write(line.encode())
EOF
zstd -19 -q -r "$WORK/text" "$WORK/record"

# Sum of the .zst sizes, and the blocks they occupy, in bytes.
zst_bytes() { find "$1" -name '*.zst' -printf '%s\n' | awk '{s += $1} END {print s}'; }
zst_disk() { find "$1" -name '*.zst' -print0 | du -c -B1 --files0-from=- | tail -1 | cut -f1; }

"$NEWSARC" -a "$WORK/archive" init >/dev/null
status=0
"$NEWSARC" -a "$WORK/archive" ingest -q "$CORPUS" 2>"$WORK/ingest.err" || status=$?
# Status 1: some inputs rejected (Reuters has one empty article).
[ "$status" -le 1 ] || { cat "$WORK/ingest.err" >&2; echo "bench/storage.sh: ingest failed" >&2; exit 1; }
ARCHIVE=$(stat -c %s "$WORK/archive/data.mdb")

printf '| What | bytes |\n|---|---|\n'
printf '| zstd -19 per article, texts: sum of the compressed sizes | %s |\n' "$(zst_bytes "$WORK/text")"
printf '| zstd -19 per article, texts: disk space of the files (`du`) | %s |\n' "$(zst_disk "$WORK/text")"
printf '| zstd -19 per article, whole JSON records: sum | %s |\n' "$(zst_bytes "$WORK/record")"
printf '| zstd -19 per article, whole JSON records: disk space | %s |\n' "$(zst_disk "$WORK/record")"
printf '| newsarc archive file | %s |\n' "$ARCHIVE"
"$NEWSARC" -a "$WORK/archive" stats --json | python3 -c '
import json, sys
s = json.load(sys.stdin)
print("| of which stored texts (zstd frames and deltas) | %d |" % s["text_stored_bytes"])'
# Pages per table (branch, leaf and overflow) and free pages, times the page size.
mdb_stat -efa "$WORK/archive" | awk '
  /^Freelist Status/ { table = "(free list)" }
  /^Status of / { table = $3 }
  /Page size:/ { psize = $3 }
  /Free pages:/ { free = $3 }
  /Branch pages:|Leaf pages:|Overflow pages:/ { pages[table] += $3 }
  END {
    for (t in pages) {
      if (t == "Main") continue
      label = t == "(free list)" ? "the free list itself" : "table `" t "`"
      printf "| of which %s (pages) | %d |\n", label, pages[t] * psize
    }
    printf "| of which free pages (left by band-run merges, reused by later batches) | %d |\n", free * psize
  }' | sort
