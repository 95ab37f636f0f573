#!/usr/bin/env bash
# Read-back of whole corpora (every stored text, exported, byte-identical to
# its input line), then read-side latency of the revision archive: `diff` of two 50 KB versions
# (word, unified, json), and `show` / `log` on a 32-revision chain, whose
# last version decodes the longest delta chain newsarc allows.
#
# The 50 KB texts: consecutive German articles of 10kGNAD joined into
# paragraphs up to 50,000 bytes; the new version replaces 5 words, inserts
# 2 sentences, deletes 1 paragraph and moves 1 paragraph. The chain:
# bench/gen_revisions.py on the same corpus, 32 revisions under one URL.
#
# Timings are whole processes (hyperfine, warm cache), so they include
# process start-up (about 2 ms here: see `newsarc --version`, measured too).
# Environment: CORPUS (/work/shared/corpus), BUILD (build-release), WORK
# (a temp dir), RUNS (hyperfine --runs, default 30).
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS=${CORPUS:-/work/shared/corpus}
BUILD=${BUILD:-build-release}
RUNS=${RUNS:-30}
WORK=${WORK:-$(mktemp -d)}
NC=$BUILD/newsarc
command -v hyperfine >/dev/null || { echo "hyperfine not found (apt-get install -y hyperfine)" >&2; exit 2; }
[[ -x $NC ]] || cmake --build "$BUILD" --target newsarc -j2 >/dev/null 2>&1 ||
  { cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null && cmake --build "$BUILD" --target newsarc -j2 >/dev/null; }

python3 - "$CORPUS/gnad10k-test-de/articles.jsonl" "$WORK" <<'PY'
import json, random, sys
random.seed(1)
paras, size = [], 0
for line in open(sys.argv[1], encoding="utf-8"):
    text = json.loads(line)["text"].strip()
    if size + len(text.encode()) + 2 > 50000:
        break
    paras.append(text)
    size += len(text.encode()) + 2
old = list(paras)
new = list(paras)
for _ in range(5):  # replace a word
    i = random.randrange(len(new))
    words = new[i].split(" ")
    j = random.randrange(len(words))
    words[j] = "Ersatzwort"
    new[i] = " ".join(words)
for s in ("Ein Sprecher bestätigte die Angaben am Abend.", "Die Ermittlungen dauern an."):
    i = random.randrange(len(new))
    new[i] = new[i] + " " + s
del new[random.randrange(len(new))]
moved = new.pop(3)
new.insert(len(new) - 2, moved)
open(sys.argv[2] + "/old.txt", "w", encoding="utf-8").write("\n\n".join(old) + "\n")
open(sys.argv[2] + "/new.txt", "w", encoding="utf-8").write("\n\n".join(new) + "\n")
PY
python3 bench/gen_revisions.py --input "$CORPUS/gnad10k-test-de/articles.jsonl" \
  --revisions 32 --output "$WORK/chain.jsonl" >/dev/null
rm -rf "$WORK/arc"
"$NC" -a "$WORK/arc" init >/dev/null
"$NC" -a "$WORK/arc" ingest "$WORK/chain.jsonl" >/dev/null 2>&1
"$NC" -a "$WORK/arc" log 1 >/dev/null

# Checksum in, checksum out, on whole corpora: every stored entry, exported,
# must be byte-identical to the input line it came from.
for corpus in reuters21578-en/articles.jsonl bbc-fulltext-en/articles.jsonl \
  wiki-versions-en/versions.jsonl frontpage-revisions-de/versions.jsonl; do
  rm -rf "$WORK/corpus-arc"
  "$NC" -a "$WORK/corpus-arc" init >/dev/null
  "$NC" -a "$WORK/corpus-arc" ingest "$CORPUS/$corpus" >/dev/null 2>&1 || [ $? = 1 ]
  "$NC" -a "$WORK/corpus-arc" check >/dev/null
  "$NC" -a "$WORK/corpus-arc" export | python3 -c '
import hashlib, json, sys
path = sys.argv[1]
lines = open(path, encoding="utf-8").read().split("\n")
n = 0
for row in map(json.loads, sys.stdin):
    line = int(row["input"].rsplit(":", 1)[1])
    want = json.loads(lines[line - 1])["text"].encode()
    got = row["text"].encode()
    if hashlib.sha256(want).digest() != hashlib.sha256(got).digest():
        sys.exit("MISMATCH: %s" % row["input"])
    n += 1
print("round trip: %s: %d stored entries byte-identical to their input" % (sys.argv[2], n))
' "$CORPUS/$corpus" "$corpus"
done

wc -c "$WORK/old.txt" "$WORK/new.txt" >&2
hyperfine -N --runs "$RUNS" --warmup 3 --export-markdown "$WORK/versions.md" \
  -n "startup (--version)" "$NC --version" \
  -n "diff word 50 KB" "$NC diff --color never --file $WORK/old.txt --file $WORK/new.txt" \
  -n "diff unified 50 KB" "$NC diff --format unified --file $WORK/old.txt --file $WORK/new.txt" \
  -n "diff json 50 KB" "$NC diff --format json --file $WORK/old.txt --file $WORK/new.txt" \
  -n "show 1@1 (full frame)" "$NC -a $WORK/arc show 1@1" \
  -n "show 1@32 (31 deltas)" "$NC -a $WORK/arc show 1@32" \
  -n "log 1 (32 entries, 31 diffs)" "$NC -a $WORK/arc log 1" >&2
cat "$WORK/versions.md"
