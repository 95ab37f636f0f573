#!/usr/bin/env bash
# End-to-end tests: run the real newsarc binary on fixtures/.
# Usage: e2e_test.sh NEWSARC FIXTURES CASE   (each CASE is one ctest test)
source "$(dirname "$0")/common.sh"

case "$CASE" in
seeds_new_then_duplicate)
  out=$(run ingest "$FIX/seeds") || fail "first ingest exit $?"
  [ "$(count_status new "$out")" = 5 ] || fail "expected 5 new:"$'\n'"$out"
  grep -q "5 new" "$WORK/err" || fail "summary missing: $(cat "$WORK/err")"
  out=$(run ingest "$FIX/seeds") || fail "second ingest exit $?"
  [ "$(count_status duplicate "$out")" = 5 ] || fail "expected 5 duplicate:"$'\n'"$out"
  # Same topic, different texts: no seed lists another as a near-duplicate.
  for s in 1 2 3 4 5; do
    d=$(run dups "$s" --threshold 0.3) || fail "dups $s exit $?"
    [ -z "$d" ] || fail "seed story $s has near-duplicates: $d"
  done
  ;;
quotes_case_space_is_duplicate)
  run ingest "$FIX/seeds" >/dev/null
  out=$(run ingest --json "$FIX/edits/000_quotes_case_space.txt") || fail "exit $?"
  grep -q '"status":"duplicate"' <<<"$out" || fail "not a duplicate: $out"
  grep -q '"story":1,"version":1' <<<"$out" || fail "wrong story: $out"
  ;;
changed_paragraph_found_by_dups)
  run ingest "$FIX/seeds" >/dev/null
  out=$(run dups --file "$FIX/edits/001_changed_paragraph.txt" --json) || fail "exit $?"
  # Exact word-5-shingle Jaccard is 0.68 (fixtures/README.md); MinHash with
  # 128 permutations has a standard deviation of about 0.04 there.
  python3 - "$out" <<'PY' || fail "dups --file: $out"
import json, sys
m = json.loads(sys.argv[1])
assert len(m) == 1, m
assert m[0]["story"] == 2 and m[0]["version"] == 1, m
assert 0.56 <= m[0]["similarity"] <= 0.80, m
PY
  out=$(run dups --file "$FIX/edits/001_changed_paragraph.txt" --threshold 0.9) || fail "exit $?"
  [ -z "$out" ] || fail "threshold not applied: $out"
  ;;
light_edit_is_version)
  run ingest "$FIX/seeds" >/dev/null
  out=$(run ingest "$FIX/edits/003_light_edit.txt") || fail "exit $?"
  expect_status 003_light_edit.txt version "$out"
  grep -q "4@2 .*(of 4@1, similarity 0\.[5-7]" <<<"$out" || fail "wrong story/similarity: $out"
  out=$(run ingest "$FIX/edits/002_near_copy.txt") || fail "exit $?"
  expect_status 002_near_copy.txt near-duplicate "$out"
  out=$(run dups 4) || fail "exit $?"
  [ -z "$out" ] || fail "story 4's own versions must not be listed: $out"
  ;;
jsonl_same_url_is_version)
  out=$(run ingest "$FIX/jsonl/urls.jsonl") || fail "exit $?"
  [ "$(count_status new "$out")" = 2 ] || fail "expected 2 new: $out"
  out=$(run ingest --json "$FIX/jsonl/urls_update.jsonl") || fail "exit $?"
  grep -q '"status":"version","story":1,"version":2,"of":"1@1"' <<<"$out" || fail "$out"
  out=$(cat "$FIX/jsonl/urls_update.jsonl" | run ingest -) || fail "stdin exit $?"
  expect_status "<stdin>:1" duplicate "$out"
  ;;
bad_inputs_rejected_rest_ingested)
  out=$(run ingest "$FIX/bad" "$FIX/jsonl/bad.jsonl" "$WORK/missing.txt" "$FIX/seeds/000_72acb853734a966a.txt")
  rc=$?
  [ $rc = 1 ] || fail "exit status $rc, expected 1 (some rejected)"
  for f in invalid_utf8.txt overlong.txt surrogate.txt empty.txt whitespace.txt binary.bin \
           bad.jsonl:2 bad.jsonl:3 bad.jsonl:4 bad.jsonl:5 missing.txt; do
    expect_status "$f" rejected "$out"
    grep -qF "$f" "$WORK/err" || fail "stderr does not name $f"
  done
  expect_status bad.jsonl:1 new "$out"
  expect_status bad.jsonl:6 new "$out"
  expect_status 000_72acb853734a966a.txt new "$out"
  grep -q "overlong" "$WORK/err" || fail "reason missing: $(cat "$WORK/err")"
  stats=$(run stats --json) || fail "stats exit $?"
  grep -q '"stories":3' <<<"$stats" || fail "stats: $stats"
  grep -q '"rejects":11' <<<"$stats" || fail "stats: $stats"
  ;;
key_path_option)
  out=$(run ingest --key path "$FIX/seeds") || fail "exit $?"
  cp "$FIX/edits/001_changed_paragraph.txt" "$WORK/001_0767409fdc3e71da.txt"
  mkdir -p "$WORK/feed" && cp "$WORK/001_0767409fdc3e71da.txt" "$WORK/feed/"
  out=$(run ingest --key path "$WORK/feed") || fail "exit $?"
  expect_status 001_0767409fdc3e71da.txt version "$out"
  grep -q "2@2" <<<"$out" || fail "not story 2: $out"
  ;;
archive_errors)
  rm -rf "$WORK/none"
  "$NC" --archive "$WORK/none" ingest "$FIX/seeds" >/dev/null 2>"$WORK/err"
  [ $? = 4 ] || fail "missing archive: expected exit 4"
  grep -q "newsarc init" "$WORK/err" || fail "message does not say to run init"
  "$NC" init >/dev/null 2>&1 && fail "init over an existing archive succeeded"
  "$NC" ingest >/dev/null 2>&1
  [ $? = 2 ] || fail "missing argument: expected exit 2"
  "$NC" dups 99 >/dev/null 2>&1
  [ $? = 5 ] || fail "unknown story: expected exit 5"
  "$NC" dups --file "$WORK/no-such-file.txt" >/dev/null 2>&1
  [ $? = 5 ] || fail "missing --file: expected exit 5"
  env -u NEWSARC_ARCHIVE "$NC" stats >/dev/null 2>&1
  [ $? = 2 ] || fail "no archive named: expected exit 2"
  "$NC" stats --archive "$NEWSARC_ARCHIVE" >/dev/null || fail "--archive after the command"
  "$NC" --help | grep -q ingest || fail "--help does not list commands"
  for c in init ingest dups stats; do "$NC" "$c" --help >/dev/null || fail "$c --help"; done
  ;;
init_parameters_stored)
  rm -rf "$NEWSARC_ARCHIVE"
  "$NC" init --shingle 3 --perms 64 --near-duplicate 0.9 --version 0.6 >/dev/null || fail "init"
  out=$(run stats --json) || fail "stats"
  for kv in '"shingle":3' '"perms":64' '"near_duplicate_threshold":0.9000' \
            '"version_threshold":0.6000'; do
    grep -qF "$kv" <<<"$out" || fail "$kv not in $out"
  done
  "$NC" init --archive "$WORK/bad" --near-duplicate 0.4 --version 0.6 >/dev/null 2>&1
  [ $? = 2 ] || fail "version threshold above near-duplicate must be a usage error"
  ;;
jobs_do_not_change_the_archive)
  # The same input with 1 and 4 preparing threads (and small batches, so that
  # preparing and writing overlap): the same outcomes and the same archive.
  python3 "$(dirname "$0")/gen_articles.py" --count 1500 --seed 5 --url-updates 0.1 \
    --rejects 5 >"$WORK/in.jsonl"
  for j in 1 4; do
    "$NC" -a "$WORK/arc$j" init >/dev/null
    "$NC" -a "$WORK/arc$j" ingest --jobs $j --batch 100 --json "$WORK/in.jsonl" >"$WORK/out$j" 2>/dev/null
    [ $? = 1 ] || fail "--jobs $j: expected exit 1 (the input has rejects)"
    "$NC" -a "$WORK/arc$j" export | sed 's/"ingested":"[^"]*"//' >"$WORK/export$j"
  done
  cmp -s "$WORK/out1" "$WORK/out4" || fail "outcomes differ between --jobs 1 and --jobs 4"
  cmp -s "$WORK/export1" "$WORK/export4" || fail "archives differ between --jobs 1 and --jobs 4"
  [ "$(grep -c '"status":"version"' "$WORK/out1")" -gt 0 ] || fail "the input has no versions"
  ;;
memory_limit_option)
  # --memory-limit changes what stays mapped, never an outcome; below 256
  # MiB it is refused before anything is read.
  python3 "$(dirname "$0")/gen_articles.py" --count 1500 --seed 7 --url-updates 0.1 >"$WORK/in.jsonl"
  for limit in none 256; do
    "$NC" -a "$WORK/arc-$limit" init >/dev/null
    args=(); [ $limit = none ] || args=(--memory-limit $limit)
    "$NC" -a "$WORK/arc-$limit" ingest --json --batch 100 "${args[@]}" "$WORK/in.jsonl" \
      >"$WORK/out-$limit" 2>/dev/null || fail "ingest ${args[*]}: exit $?"
  done
  cmp -s "$WORK/out-none" "$WORK/out-256" || fail "outcomes differ with --memory-limit 256"
  "$NC" -a "$WORK/arc-none" ingest --memory-limit 100 "$WORK/in.jsonl" >/dev/null 2>"$WORK/err"
  [ $? = 2 ] || fail "--memory-limit 100: expected exit 2"
  grep -q -- "--memory-limit" "$WORK/err" || fail "the error does not name the option: $(cat "$WORK/err")"
  [ "$("$NC" -a "$WORK/arc-none" stats --json | grep -o '"sightings":[0-9]*')" = \
    "$("$NC" -a "$WORK/arc-256" stats --json | grep -o '"sightings":[0-9]*')" ] ||
    fail "the refused run changed the archive"
  ;;
text_dictionary)
  # 50 articles are too few to train a text dictionary on; the next run
  # trains one on them and its own first articles and uses it. Every text
  # still reads back exactly, in both runs, and the archive is the same
  # with one preparing thread and with four.
  python3 "$(dirname "$0")/gen_articles.py" --count 1500 --seed 9 >"$WORK/in.jsonl"
  head -n 50 "$WORK/in.jsonl" >"$WORK/first.jsonl"
  tail -n +51 "$WORK/in.jsonl" >"$WORK/rest.jsonl"
  run ingest -q "$WORK/first.jsonl" || fail "first ingest exit $?"
  run stats --json | grep -q '"dictionary_bytes":0,' || fail "a dictionary from 50 articles"
  run stats | grep -q '^dictionary    none yet' || fail "stats: $(run stats)"
  run ingest -q "$WORK/rest.jsonl" || fail "second ingest exit $?"
  run stats --json >"$WORK/stats" || fail "stats"
  run export --json >"$WORK/export" || fail "export"
  python3 - "$WORK/stats" "$WORK/in.jsonl" "$WORK/export" <<'PY' || fail "dictionary run"
import json, sys
s = json.load(open(sys.argv[1]))
assert 0 < s["dictionary_bytes"] <= 65536, s
assert s["dictionary_texts"] >= 1000, s  # the first run's texts stay as they were
texts = {json.loads(l)["text"] for l in open(sys.argv[2])}
exported = [json.loads(l)["text"] for l in open(sys.argv[3])]
assert len(exported) == s["entries"] and set(exported) <= texts, "texts changed"
PY
  "$NC" check >/dev/null || fail "check"
  for j in 1 4; do
    "$NC" -a "$WORK/arc$j" init >/dev/null
    "$NC" -a "$WORK/arc$j" ingest -q -j $j "$WORK/first.jsonl" || fail "-j $j first"
    "$NC" -a "$WORK/arc$j" ingest -q -j $j "$WORK/rest.jsonl" || fail "-j $j rest"
    "$NC" -a "$WORK/arc$j" stats --json | sed 's/"archive":"[^"]*",//; s/"file_bytes":[0-9]*,//' \
      >"$WORK/stats$j"
    "$NC" -a "$WORK/arc$j" export | sed 's/"ingested":"[^"]*"//' >"$WORK/export$j"
  done
  cmp -s "$WORK/stats1" "$WORK/stats4" || fail "stats differ: $(cat "$WORK/stats1" "$WORK/stats4")"
  cmp -s "$WORK/export1" "$WORK/export4" || fail "archives differ between -j 1 and -j 4"
  ;;
old_archives_upgrade)
  # Archives written by newsarc 0.1.0 (format 1), 0.2.0 (format 2),
  # 0e8e4af (format 3) and 1269573 (format 4) are upgraded when first
  # opened: the same entries and texts, a band index that check accepts, and
  # they take new articles.
  for f in format1 format2 format3 format4; do
    cp -r "$FIX/archives/$f" "$WORK/$f"
    "$NC" -a "$WORK/$f" check >"$WORK/check" 2>&1 || fail "$f: check after upgrade: $(cat "$WORK/check")"
    grep -q "13 entries" "$WORK/check" || fail "$f: $(cat "$WORK/check")"
    "$NC" -a "$WORK/$f" export | sed 's/"ingested":"[^"]*"//' | sort >"$WORK/$f.export"
  done
  # Format 2 knows the ingest order; format 1 only the second of ingest.
  for f in format2 format3 format4; do
    "$NC" -a "$WORK/$f" export | cmp -s - "$FIX/archives/$f/export.jsonl" ||
      fail "$f export changed by the upgrade"
  done
  for f in format3 format4; do
    "$NC" -a "$WORK/$f" dups 1 --json | cmp -s - "$FIX/archives/$f/dups-1.json" ||
      fail "$f dups changed by the upgrade"
  done
  cmp -s "$WORK/format1.export" "$WORK/format2.export" || fail "format 1 and 2 archives differ"
  out=$(run -a "$WORK/format1" dups --file "$FIX/edits/002_near_copy.txt") || fail "dups"
  grep -q $'^3@2\t' <<<"$out" || fail "dups after upgrade: $out"
  # Format 5 finds equal texts through the band index: a format 4 archive
  # lost its exact-text table and still knows every text it holds.
  for f in format1 format4; do
    out=$(run -a "$WORK/$f" ingest "$FIX/edits" "$FIX/seeds") || fail "$f: ingest after upgrade"
    [ "$(count_status duplicate "$out")" = 9 ] || fail "$f: re-ingest after upgrade: $out"
    "$NC" -a "$WORK/$f" check >/dev/null || fail "$f: check after ingest"
  done
  ;;
*)
  fail "unknown case"
  ;;
esac
echo "ok [$CASE]"
