#!/usr/bin/env bash
# End-to-end tests of the revision archive: show, log, diff, export, check.
# Usage: versions_test.sh NEWSARC FIXTURES CASE   (each CASE is one ctest test)
source "$(dirname "$0")/common.sh"

# revisions N FILE: N revisions of seed 1 under one URL as JSON Lines; each
# adds a sentence and changes one word of the one before.
revisions() {
  python3 - "$FIX/seeds/000_72acb853734a966a.txt" "$1" >"$2" <<'PY'
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
for i in range(int(sys.argv[2])):
    if i:
        text = text.replace(" Brüssel", " Brüssel-Mitte", 1) if i % 2 else text
        text += f"\nNachtrag {i}: Die Nato-Außenminister beraten weiter über Hilfen für Kiew.\n"
    print(json.dumps({"url": "https://example.org/nato", "text": text}, ensure_ascii=False))
PY
}

# nth_text FILE N: the text of line N (1-based) of a JSON Lines file.
nth_text() {
  python3 -c 'import json,sys; sys.stdout.write(json.loads(open(sys.argv[1], encoding="utf-8").readlines()[int(sys.argv[2])-1])["text"])' "$1" "$2"
}

case "$CASE" in
show_returns_every_fixture_exactly)
  out=$(run ingest --json "$FIX/seeds" "$FIX/edits" "$FIX/jsonl/urls.jsonl" "$FIX/jsonl/urls_update.jsonl") ||
    fail "ingest exit $?"
  n=0
  while IFS=$'\t' read -r status entry input; do
    [ "$status" = duplicate ] && continue
    case "$input" in
    *.jsonl:*) nth_text "${input%:*}" "${input##*:}" >"$WORK/want" ;;
    *) cp "$input" "$WORK/want" ;;
    esac
    run show "$entry" >"$WORK/got" || fail "show $entry exit $?"
    cmp -s "$WORK/want" "$WORK/got" || fail "show $entry differs from $input"
    n=$((n + 1))
  done < <(python3 -c '
import json, sys
for line in sys.stdin:
    o = json.loads(line)
    print(o["status"], "%d@%d" % (o["story"], o["version"]), o["input"], sep="\t")' <<<"$out")
  [ "$n" -ge 10 ] || fail "only $n entries compared"
  run show 1 --json | python3 -c 'import json,sys; o=json.load(sys.stdin); assert o["version"]==1 and o["text"] and len(o["xxh3"])==16, o' ||
    fail "show --json"
  run show 99 >/dev/null
  [ $? = 5 ] || fail "show of a missing story must exit 5"
  run show 1@7 >/dev/null
  [ $? = 5 ] || fail "show of a missing version must exit 5"
  run show x1 >/dev/null
  [ $? = 2 ] || fail "show of a bad reference must exit 2"
  ;;
revision_chain_round_trip)
  revisions 40 "$WORK/chain.jsonl"
  run ingest "$WORK/chain.jsonl" >/dev/null || fail "ingest exit $?"
  for v in $(seq 1 40); do
    nth_text "$WORK/chain.jsonl" "$v" >"$WORK/want"
    run show "1@$v" >"$WORK/got" || fail "show 1@$v exit $?"
    cmp -s "$WORK/want" "$WORK/got" || fail "1@$v differs"
  done
  run stats --json | python3 -c '
import json, sys
s = json.load(sys.stdin)
assert s["entries"] == 40 and s["versions"] == 39, s
assert s["delta_texts"] == 38, s  # version 33 starts a new chain
assert s["text_stored_bytes"] * 10 < s["text_raw_bytes"], s' || fail "stats"
  run check >"$WORK/out" || fail "check exit $?: $(cat "$WORK/out")"
  grep -q "^ok: 1 stories, 40 entries" "$WORK/out" || fail "check: $(cat "$WORK/out")"
  ;;
log_change_classes)
  seed=$FIX/seeds/000_72acb853734a966a.txt
  python3 - "$seed" "$WORK/revs.jsonl" <<'PY'
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
trivial = text.replace("Brüssel statt.", "Brüssel statt!", 1)
assert trivial != text
edit = trivial.replace("Dmytro Kuleba", "Dmytro Kuleba und der polnische Außenminister", 1)
rewrite = "Ganz neuer Text über etwas anderes, mit vielen neuen Wörtern. " * 5
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for t in (text, trivial, edit, rewrite):
        out.write(json.dumps({"url": "u1", "text": t}, ensure_ascii=False) + "\n")
PY
  run ingest "$WORK/revs.jsonl" >/dev/null || fail "ingest exit $?"
  run log 1 --json | python3 -c '
import json, sys
log = json.load(sys.stdin)
assert [e["version"] for e in log] == [1, 2, 3, 4], log
assert [e["change"] for e in log] == [None, "trivial", "edit", "rewrite"], [e["change"] for e in log]
assert log[2]["words_added"] == 4 and log[2]["words_removed"] == 0, log[2]
assert all(e["status"] == "version" for e in log[1:]), log' || fail "log --json"
  out=$(run log 1) || fail "log exit $?"
  [ "$(grep -c trivial <<<"$out")" = 1 ] || fail "log: $out"
  out=$(run log --ignore-trivial 1) || fail "log exit $?"
  grep -q trivial <<<"$out" && fail "--ignore-trivial shows: $out"
  [ "$(wc -l <<<"$out")" = 4 ] || fail "--ignore-trivial: $out"
  run log 2 >/dev/null
  [ $? = 5 ] || fail "log of a missing story must exit 5"
  ;;
diff_formats)
  run ingest "$FIX/seeds" "$FIX/edits" >/dev/null
  # 4@2 is a light edit of 4@1: "am Mittwoch" became "am Dienstag", among others.
  out=$(run diff 4 --color never) || fail "diff exit $?"
  grep -qF 'am [-Mittwoch-]{+Dienstag+} die Zusage' <<<"$out" || fail "word diff: $out"
  [ "$(run diff 4@2 --color never)" = "$out" ] || fail "4@2 is not the same as 4"
  [ "$(run diff 4@1 @2 --color never)" = "$out" ] || fail "4@1 @2 is not the same as 4"
  out=$(run diff 4 --color always) || fail "diff exit $?"
  grep -q $'\e\\[31m' <<<"$out" || fail "no colour with --color always"
  # Unified diffs apply with patch, also across stories.
  for pair in "4@1 4@2" "2@1 2@2" "1 3@2" "5 1"; do
    set -- $pair
    run show "$1" >"$WORK/old" && run show "$2" >"$WORK/new" || fail "show $pair"
    run diff --format unified --context 2 "$1" "$2" >"$WORK/patch" || fail "diff $pair exit $?"
    patch -s -o "$WORK/patched" "$WORK/old" <"$WORK/patch" || fail "patch $pair failed"
    cmp -s "$WORK/patched" "$WORK/new" || fail "patched $pair differs"
  done
  run diff --format json 4 | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["old"] == "4@1" and d["new"] == "4@2", d
assert d["change"] == "edit" and d["words_added"] == d["words_removed"] > 0, d
ops = {s["op"] for s in d["spans"]}
assert ops == {"keep", "remove", "add"}, ops
removed = [s["text"].strip() for s in d["spans"] if s["op"] == "remove"]
assert "Mittwoch" in removed, removed' || fail "diff --format json"
  # Two files outside any archive, with a moved paragraph.
  printf 'Erster Absatz mit genug Wörtern hier.\n\nZweiter Absatz mit genug Wörtern da.\n' >"$WORK/a.txt"
  printf 'Zweiter Absatz mit genug Wörtern da.\n\nErster Absatz mit genug Wörtern hier.\n' >"$WORK/b.txt"
  out=$(NEWSARC_ARCHIVE=$WORK/none run diff --color never --file "$WORK/a.txt" --file "$WORK/b.txt") ||
    fail "diff --file exit $?"
  grep -qF '{>' <<<"$out" && grep -qF '[<' <<<"$out" || fail "move not shown: $out"
  # 000_quotes_case_space differs from seed 1 in case, quote style and spacing only.
  out=$(run diff --ignore-case --ignore-punctuation --color never --file "$FIX/seeds/000_72acb853734a966a.txt" \
    --file "$FIX/edits/000_quotes_case_space.txt") || fail "exit $?"
  grep -qF -e '{+' -e '[-' <<<"$out" && fail "--ignore-* still show changes: $(grep -F '{+' <<<"$out" | head -3)"
  out=$(run diff --ignore-case --color never --file "$FIX/seeds/000_72acb853734a966a.txt" \
    --file "$FIX/edits/000_quotes_case_space.txt") || fail "exit $?"
  grep -qF '[-„-]{+"+}DIE Ukraine' <<<"$out" || fail "--ignore-case alone must show the quotes"
  run diff 1 >/dev/null
  [ $? = 5 ] || fail "diff of a one-version story must exit 5"
  run diff --file "$WORK/a.txt" >/dev/null
  [ $? = 2 ] || fail "one --file must exit 2"
  ;;
export_round_trip)
  run ingest "$FIX/seeds" "$FIX/edits" "$FIX/jsonl/urls.jsonl" "$FIX/jsonl/urls_update.jsonl" >/dev/null
  run export >"$WORK/export1.jsonl" || fail "export exit $?"
  "$NC" -a "$WORK/arc2" init >/dev/null || fail "init 2"
  "$NC" -a "$WORK/arc2" ingest - <"$WORK/export1.jsonl" >/dev/null 2>&1 || fail "re-ingest exit $?"
  "$NC" -a "$WORK/arc2" export >"$WORK/export2.jsonl" || fail "export 2 exit $?"
  python3 - "$WORK/export1.jsonl" "$WORK/export2.jsonl" <<'PY' || fail "exports differ"
import json, sys
def load(p):
    rows = [json.loads(l) for l in open(p, encoding="utf-8")]
    for r in rows:
        r.pop("ingested"); r.pop("input")
    return rows
a, b = load(sys.argv[1]), load(sys.argv[2])
assert len(a) >= 10, len(a)
assert a == b, next((x, y) for x, y in zip(a, b) if x != y) if len(a) == len(b) else (len(a), len(b))
PY
  "$NC" -a "$WORK/arc2" check >/dev/null || fail "rebuilt archive fails check"
  ;;
check_detects_damaged_byte)
  # A short article of unrepeated characters: zstd stores it as a raw block,
  # so its bytes can be found in the data file and one of them altered.
  marker=Zq7Xw3Lp9Vb2Nm8Kj4Hg6Fd1Sa5Ty0Ru
  printf 'Kurzmeldung %s ohne Wiederholung.\n' "$marker" >"$WORK/short.txt"
  run ingest "$FIX/seeds" "$FIX/edits" "$WORK/short.txt" >/dev/null
  entry=$(run show 6 --json | python3 -c 'import json,sys; o=json.load(sys.stdin); print(o["input"])')
  [ "$entry" = "$WORK/short.txt" ] || fail "story 6 is $entry"
  run check >/dev/null || fail "check of a good archive exit $?"
  # LMDB copies pages on write, so stale copies may sit in free pages: alter
  # every copy.
  python3 - "$WORK/arc/data.mdb" "$marker" <<'PY' || fail "text not found in the data file"
import sys
path, marker = sys.argv[1], sys.argv[2].encode()
data = bytearray(open(path, "rb").read())
hits, pos = 0, data.find(marker)
while pos >= 0:
    data[pos + 10] ^= 0x01
    hits += 1
    pos = data.find(marker, pos + 1)
assert hits > 0
open(path, "wb").write(data)
PY
  run check >"$WORK/out"
  [ $? = 4 ] || fail "check of a damaged archive must exit 4: $(cat "$WORK/out")"
  grep -q "story 6 version 1: text does not match its checksum" "$WORK/out" ||
    fail "check does not name the place: $(cat "$WORK/out")"
  run show 6 >/dev/null
  [ $? = 4 ] || fail "show of a damaged text must exit 4"
  grep -q "story 6 version 1" "$WORK/err" || fail "show error: $(cat "$WORK/err")"
  run show 1 >/dev/null || fail "undamaged entries must still read"
  ;;
show_as_of)
  revisions 2 "$WORK/chain.jsonl"
  run ingest "$WORK/chain.jsonl" >/dev/null || fail "ingest exit $?"
  nth_text "$WORK/chain.jsonl" 2 >"$WORK/want"
  run show --as-of 2999-01-01 1 >"$WORK/got" || fail "as-of future exit $?"
  cmp -s "$WORK/want" "$WORK/got" || fail "as-of future is not the latest"
  run show --as-of @0 1 >/dev/null
  [ $? = 5 ] || fail "as-of before any ingest must exit 5"
  run show --as-of yesterday 1 >/dev/null
  [ $? = 2 ] || fail "a bad time must exit 2"
  run show --as-of 2999-01-01 1@1 >/dev/null
  [ $? = 2 ] || fail "a version and --as-of must exit 2"
  ;;
*)
  fail "unknown case"
  ;;
esac
echo "ok: $CASE"
