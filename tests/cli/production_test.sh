#!/usr/bin/env bash
# Production tests: concurrent ingests and the writer lock, queries during an
# ingest, kill -9 at many moments, a full disk, re-runs. Inputs are generated
# (tests/cli/gen_articles.py, fixed seeds) or taken from fixtures/.
# Usage: production_test.sh NEWSARC FIXTURES CASE   (each CASE is one ctest test)
source "$(dirname "$0")/common.sh"
GEN=$(cd "$(dirname "$0")" && pwd)/gen_articles.py
# The interpreter itself, not a wrapper script (pyenv shims cost 0.1 s a call).
PY=$(command python3 -c 'import sys; print(sys.executable)') || fail "python3 not found"
python3() { "$PY" "$@"; }

# Background processes this script started: killed (by pid) on exit.
BG=()
cleanup() {
  local p
  for p in "${BG[@]}"; do kill -9 "$p" 2>/dev/null; done
  rm -rf "$WORK"  # first: a feeder polling a file in it then ends too
  [ ${#BG[@]} = 0 ] || wait "${BG[@]}" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

now() { date +%s.%N; }
elapsed() { python3 -c 'import sys; print("%.2f" % (float(sys.argv[2]) - float(sys.argv[1])))' "$1" "$(now)"; }
# gen OUT ARGS...: generated articles (see gen_articles.py).
gen() {
  local out=$1
  shift
  python3 "$GEN" "$@" >"$out" || fail "gen_articles.py $*"
}
new_archive() { "$NC" -a "$1" init >/dev/null || fail "init $1 exit $?"; }
must_check() {
  "$NC" -a "$1" check >"$WORK/check.out" 2>&1 || fail "check of $1 exit $? ($2): $(head -c 2000 "$WORK/check.out")"
  grep -q '^ok: ' "$WORK/check.out" || fail "check of $1 ($2): $(cat "$WORK/check.out")"
}
# field ARCHIVE NAME: one field of stats --json.
field() {
  "$NC" -a "$1" stats --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$2" ||
    fail "stats --json of $1"
}
# export_of ARCHIVE OUT: the export without the fields that name the run
# (ingested, input), one canonical JSON object per line.
export_of() {
  "$NC" -a "$1" export >"$WORK/raw.export" || fail "export of $1 exit $?"
  python3 -c '
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    o = json.loads(line)
    o.pop("ingested"); o.pop("input")
    print(json.dumps(o, sort_keys=True, ensure_ascii=False))' "$WORK/raw.export" >"$2" || fail "export of $1 is not JSON Lines"
}
# same_export A B WHAT: the two export files are equal, else the first difference.
same_export() {
  cmp -s "$1" "$2" && return 0
  fail "$3: exports differ ($(wc -l <"$1") vs $(wc -l <"$2") entries); first difference:"$'\n'"$(diff "$1" "$2" | head -c 1500)"
}
count_lines() { grep -c -- "$1" "$2"; }
# wait_for PATTERN FILE SECONDS: until FILE holds a line matching PATTERN.
wait_for() {
  local deadline=$(($(date +%s) + $3))
  until grep -q -- "$1" "$2" 2>/dev/null; do
    [ "$(date +%s)" -le "$deadline" ] || return 1
    sleep 0.01
  done
}

case "$CASE" in
concurrent_ingests_archive_everything_once)
  # The same input twice at the same moment: the lock serializes the runs,
  # the second finds everything the first stored.
  gen "$WORK/a.jsonl" --count 1500 --seed 11 --prefix a --rejects 3
  new_archive "$WORK/ref"
  "$NC" -a "$WORK/ref" ingest --batch 100 "$WORK/a.jsonl" >"$WORK/ref.out" 2>"$WORK/ref.err"
  [ $? = 1 ] || fail "reference ingest: expected exit 1 (3 rejects by design): $(tail -3 "$WORK/ref.err")"
  export_of "$WORK/ref" "$WORK/ref.export"
  new_archive "$WORK/c"
  for i in 1 2; do
    ("$NC" -a "$WORK/c" ingest --batch 20 "$WORK/a.jsonl" >"$WORK/o$i" 2>"$WORK/e$i"; echo $? >"$WORK/rc$i") &
    BG+=($!)
  done
  wait "${BG[@]}"
  for i in 1 2; do
    [ "$(cat "$WORK/rc$i")" = 1 ] || fail "run $i: expected exit 1, got $(cat "$WORK/rc$i"): $(tail -3 "$WORK/e$i")"
    [ "$(count_lines '^rejected ' "$WORK/o$i")" = 3 ] || fail "run $i: expected 3 rejected"
  done
  # The first run's lines are the reference run's; the second's all duplicate.
  if cmp -s "$WORK/o1" "$WORK/ref.out"; then first=1 second=2; else first=2 second=1; fi
  cmp -s "$WORK/o$first" "$WORK/ref.out" ||
    fail "neither run classified like the reference run:"$'\n'"$(diff "$WORK/o1" "$WORK/ref.out" | head -20)"
  [ "$(count_lines '^duplicate ' "$WORK/o$second")" = 1500 ] ||
    fail "run $second: expected 1500 duplicates:"$'\n'"$(grep -v -e '^duplicate ' -e '^rejected ' "$WORK/o$second" | head)"
  waits=$(cat "$WORK/e1" "$WORK/e2" | grep -c '^newsarc: waiting: pid [0-9]* since ')
  [ "$(grep -c 'waiting' "$WORK/e$first")" = 0 ] || fail "the first run waited: $(cat "$WORK/e$first")"
  [ "$waits" -le 1 ] || fail "the waiting message must be printed once: $(cat "$WORK/e$second")"
  [ "$waits" = 1 ] || echo "note: run $second started only after run $first had finished (no contention)"
  export_of "$WORK/c" "$WORK/c.export"
  same_export "$WORK/ref.export" "$WORK/c.export" "same input twice at once vs once"
  dups=$(($(count_lines '^duplicate ' "$WORK/o1") + $(count_lines '^duplicate ' "$WORK/o2")))
  [ "$(field "$WORK/c" sightings)" = "$dups" ] || fail "sightings $(field "$WORK/c" sightings), expected $dups"
  [ "$(field "$WORK/c" rejects)" = 6 ] || fail "rejects: expected 6"
  must_check "$WORK/c" "after two runs at once"

  # Two different inputs sharing 200 articles at the same moment: the result
  # is one of the two sequential orders, each article stored once.
  gen "$WORK/p.jsonl" --count 1000 --seed 12 --prefix p
  gen "$WORK/q.jsonl" --count 1000 --seed 13 --prefix q --overlap-from "$WORK/p.jsonl" --overlap 200
  for order in pq qp; do
    new_archive "$WORK/ref_$order"
    for x in $(fold -w1 <<<"$order"); do
      "$NC" -a "$WORK/ref_$order" ingest --batch 100 "$WORK/$x.jsonl" >"$WORK/ref_$order.$x.out" 2>/dev/null ||
        fail "reference $order: ingest $x exit $?"
    done
    export_of "$WORK/ref_$order" "$WORK/ref_$order.export"
  done
  new_archive "$WORK/d"
  BG=()
  for x in p q; do
    ("$NC" -a "$WORK/d" ingest --batch 20 "$WORK/$x.jsonl" >"$WORK/d.$x.out" 2>"$WORK/d.$x.err"; echo $? >"$WORK/d.$x.rc") &
    BG+=($!)
  done
  wait "${BG[@]}"
  for x in p q; do
    [ "$(cat "$WORK/d.$x.rc")" = 0 ] || fail "ingest $x: exit $(cat "$WORK/d.$x.rc"): $(tail -3 "$WORK/d.$x.err")"
  done
  export_of "$WORK/d" "$WORK/d.export"
  if cmp -s "$WORK/d.export" "$WORK/ref_pq.export"; then order=pq
  elif cmp -s "$WORK/d.export" "$WORK/ref_qp.export"; then order=qp
  else
    fail "two inputs at once equal neither sequential order:"$'\n'"$(diff "$WORK/ref_pq.export" "$WORK/d.export" | head -c 1500)"
  fi
  for x in p q; do
    cmp -s "$WORK/d.$x.out" "$WORK/ref_$order.$x.out" || fail "ingest $x: lines differ from the $order reference"
  done
  python3 - "$WORK/d.export" <<'PY' || fail "an article is stored twice"
import collections, json, sys
sums = collections.Counter(json.loads(l)["xxh3"] for l in open(sys.argv[1], encoding="utf-8"))
twice = [s for s, n in sums.items() if n > 1]
assert not twice, twice[:5]
PY
  echo "two inputs at once: archived in the order $order; $(wc -l <"$WORK/d.export") entries"
  must_check "$WORK/d" "after two different runs at once"
  ;;

no_wait_and_wait_timeout)
  arc=$WORK/arc
  "$NC" -a "$arc" ingest "$FIX/seeds" >/dev/null 2>&1 || fail "seed ingest exit $?"
  "$NC" -a "$arc" stats --json >"$WORK/stats0" || fail "stats"
  printf '{"url": "https://example.org/neu", "text": "Ein ganz neuer Artikel mit genug Wörtern für einen Eintrag im Archiv."}\n' >"$WORK/one.jsonl"
  # 1. The lock held by another program (flock(2) on fd 9 of this shell).
  exec 9>"$arc/writer.lock"
  flock -x 9 || fail "flock(1) failed"
  t0=$(now)
  timeout 20 "$NC" -a "$arc" ingest --no-wait "$WORK/one.jsonl" >"$WORK/out" 2>"$WORK/err" 9>&-
  rc=$? took=$(elapsed "$t0")
  echo "--no-wait: exit $rc after $took s: $(cat "$WORK/err")"
  [ $rc = 3 ] || fail "--no-wait on a locked archive: expected exit 3, got $rc"
  python3 -c 'import sys; sys.exit(float(sys.argv[1]) >= 1.0)' "$took" || fail "--no-wait took $took s"
  grep -q busy "$WORK/err" || fail "--no-wait message does not say busy: $(cat "$WORK/err")"
  [ ! -s "$WORK/out" ] || fail "--no-wait printed: $(cat "$WORK/out")"
  t0=$(now)
  timeout 20 "$NC" -a "$arc" ingest --wait 1 "$WORK/one.jsonl" >"$WORK/out" 2>"$WORK/err" 9>&-
  rc=$? took=$(elapsed "$t0")
  echo "--wait 1: exit $rc after $took s: $(tr '\n' ' ' <"$WORK/err")"
  [ $rc = 3 ] || fail "--wait 1 on a locked archive: expected exit 3, got $rc"
  python3 -c 'import sys; sys.exit(not 0.9 <= float(sys.argv[1]) <= 3.0)' "$took" || fail "--wait 1 took $took s"
  grep -q busy "$WORK/err" || fail "--wait message does not say busy: $(cat "$WORK/err")"
  [ "$(grep -c '^newsarc: waiting: ' "$WORK/err")" = 1 ] || fail "--wait 1 must say once that it waits: $(cat "$WORK/err")"
  "$NC" -a "$arc" stats --json >"$WORK/stats1" || fail "stats while locked exit $?"
  cmp -s "$WORK/stats0" "$WORK/stats1" || fail "busy runs wrote to the archive: $(diff "$WORK/stats0" "$WORK/stats1")"
  # Queries do not wait for the lock.
  for q in "stats" "log 1" "show 1" "dups 1" "export" "check"; do
    # shellcheck disable=SC2086 # $q is a command line
    timeout 20 "$NC" -a "$arc" $q >/dev/null 2>"$WORK/err" 9>&- || fail "$q while locked: exit $? $(cat "$WORK/err")"
  done
  exec 9>&-
  "$NC" -a "$arc" ingest --no-wait "$WORK/one.jsonl" >"$WORK/out" 2>"$WORK/err" || fail "ingest after release exit $?: $(cat "$WORK/err")"
  grep -q '^new ' "$WORK/out" || fail "after release: $(cat "$WORK/out")"

  # 2. The lock held by an ingest reading from a pipe that this script feeds.
  gen "$WORK/g.jsonl" --count 300 --seed 3 --prefix g
  mkfifo "$WORK/feed"
  "$NC" -a "$arc" ingest --batch 10 - <"$WORK/feed" >"$WORK/holder.out" 2>"$WORK/holder.err" &
  holder=$!
  BG+=("$holder")
  exec 8>"$WORK/feed"
  head -n 150 "$WORK/g.jsonl" >&8
  wait_for "^pid $holder since " "$arc/writer.lock" 20 || fail "the holder did not take the lock: $(cat "$arc/writer.lock")"
  timeout 20 "$NC" -a "$arc" ingest --no-wait "$WORK/one.jsonl" >/dev/null 2>"$WORK/err" 8>&-
  [ $? = 3 ] || fail "--no-wait while ingest $holder writes: expected 3"
  grep -q "pid $holder since" "$WORK/err" || fail "--no-wait does not name the holder pid $holder: $(cat "$WORK/err")"
  # A plain ingest waits as long as it takes, then runs.
  "$NC" -a "$arc" ingest --batch 10 "$WORK/g.jsonl" >"$WORK/waiter.out" 2>"$WORK/waiter.err" 8>&- &
  waiter=$!
  BG+=("$waiter")
  wait_for "^newsarc: waiting: pid $holder since " "$WORK/waiter.err" 20 || fail "no waiting message: $(cat "$WORK/waiter.err")"
  sleep 1.5
  kill -0 "$waiter" 2>/dev/null || fail "the waiting ingest ended while the lock was held: $(cat "$WORK/waiter.err")"
  tail -n +151 "$WORK/g.jsonl" >&8
  exec 8>&-
  wait "$holder" || fail "holder exit $?: $(cat "$WORK/holder.err")"
  wait "$waiter" || fail "waiting ingest exit $?: $(cat "$WORK/waiter.err")"
  [ "$(grep -c '^newsarc: waiting: ' "$WORK/waiter.err")" = 1 ] || fail "waiting message not once: $(cat "$WORK/waiter.err")"
  [ "$(count_lines '^duplicate ' "$WORK/waiter.out")" = 300 ] || fail "the waiting run must find all 300 stored"
  want=$(($(count_lines '^duplicate ' "$WORK/holder.out") + 300))
  [ "$(field "$arc" sightings)" = "$want" ] || fail "sightings $(field "$arc" sightings), expected $want"
  must_check "$arc" "after the waiting run"
  ;;

queries_during_ingest)
  arc=$WORK/arc
  "$NC" -a "$arc" ingest "$FIX/seeds" "$FIX/edits" >/dev/null 2>&1 || fail "fixture ingest exit $?"
  "$NC" -a "$arc" show 1 >"$WORK/show1" || fail "show 1"
  gen "$WORK/g.jsonl" --count 2000 --seed 4 --prefix g
  # Feed the input in 20 chunks, each only after the previous round of
  # queries: the run lasts at least 20 rounds, however slow the machine.
  echo 0 >"$WORK/rounds"
  python3 -c '
import sys, time
lines = open(sys.argv[1], encoding="utf-8").readlines()
try:
    for i, at in enumerate(range(0, len(lines), 100)):
        while int(open(sys.argv[2]).read() or 0) < i:
            time.sleep(0.01)
        sys.stdout.write("".join(lines[at:at + 100])); sys.stdout.flush()
except (OSError, ValueError):
    pass  # the test ended: its directory or the ingest is gone
' "$WORK/g.jsonl" "$WORK/rounds" | "$NC" -a "$arc" ingest --batch 10 - >"$WORK/ing.out" 2>"$WORK/ing.err" &
  ing=$!
  BG+=("$ing")
  rounds=0 last=-1
  while kill -0 "$ing" 2>/dev/null; do
    rounds=$((rounds + 1))
    "$NC" -a "$arc" stats --json >"$WORK/stats" 2>"$WORK/err" || fail "round $rounds: stats exit $?: $(cat "$WORK/err")"
    n=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["entries"])' "$WORK/stats") || fail "stats --json"
    [ "$n" -ge "$last" ] || fail "round $rounds: entries went down from $last to $n"
    last=$n
    for q in "dups 1" "dups 4 --threshold 0.3" "log 4" "diff 4"; do
      # shellcheck disable=SC2086 # $q is a command line
      "$NC" -a "$arc" $q >/dev/null 2>"$WORK/err" || fail "round $rounds: $q exit $?: $(cat "$WORK/err")"
    done
    "$NC" -a "$arc" show 1 >"$WORK/show" 2>"$WORK/err" || fail "round $rounds: show 1 exit $?: $(cat "$WORK/err")"
    cmp -s "$WORK/show" "$WORK/show1" || fail "round $rounds: show 1 changed"
    "$NC" -a "$arc" export >"$WORK/export.$rounds" 2>"$WORK/err" || fail "round $rounds: export exit $?: $(cat "$WORK/err")"
    must_check "$arc" "round $rounds, $n entries"
    echo "$rounds" >"$WORK/rounds.new" && mv "$WORK/rounds.new" "$WORK/rounds"
  done
  wait "$ing" || fail "ingest exit $?: $(cat "$WORK/ing.err")"
  "$NC" -a "$arc" export >"$WORK/export.final" || fail "final export"
  # Every snapshot export is a prefix of the final one.
  for f in "$WORK"/export.[0-9]*; do
    size=$(stat -c %s "$f")
    cmp -s -n "$size" "$f" "$WORK/export.final" || fail "$(basename "$f") is not a prefix of the final export"
  done
  echo "$rounds rounds of queries during the ingest; entries seen up to $last of $(field "$arc" entries)"
  [ "$rounds" -ge 19 ] || fail "only $rounds rounds of queries ran during the ingest"
  must_check "$arc" "after the ingest"
  ;;

kill9_at_many_moments)
  B=12 # articles per batch: 67 batches
  gen "$WORK/k.jsonl" --count 800 --seed 21 --prefix k
  new_archive "$WORK/ref"
  t0=$(now)
  "$NC" -a "$WORK/ref" ingest --json --batch $B "$WORK/k.jsonl" >"$WORK/ref.out" 2>/dev/null || fail "reference ingest exit $?"
  T=$(elapsed "$t0")
  export_of "$WORK/ref" "$WORK/ref.export"
  ref_sightings=$(field "$WORK/ref" sightings)
  ROUNDS=16 mid=0 before=0 after=0
  for r in $(seq 1 $ROUNDS); do
    arc=$WORK/r$r
    new_archive "$arc"
    if [ $((r % 2)) = 1 ]; then
      # After the k-th commit (ingest -v reports each), plus 0-30 ms.
      k=$((1 + (r * 37) % 64))
      d=$(python3 -c 'import sys; print([0, 0.001, 0.004, 0.012, 0.03][int(sys.argv[1]) % 5])' "$r")
      how="after commit $k + ${d}s"
    else
      # A share of the undisturbed run's time.
      k=0
      d=$(python3 -c 'import sys; print(round(float(sys.argv[2]) * [0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95, 0.1, 0.6][int(sys.argv[1]) // 2 % 9], 3))' "$r" "$T")
      how="after ${d}s"
    fi
    # The launcher starts the ingest and kills it: no process start-up
    # between the chosen moment and the signal.
    rc=$(python3 - "$k" "$d" "$NC" -a "$arc" ingest -v --batch $B "$WORK/k.jsonl" <<'PY'
import subprocess, sys, time
k, d, cmd = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3:]
p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
seen = 0
if k:
    for line in p.stderr:
        seen += line.startswith(b"newsarc: batch ")
        if seen == k:
            break
time.sleep(d)
p.kill()
rc = p.wait()
print(128 - rc if rc < 0 else rc)
PY
    ) || fail "round $r: launcher failed"
    must_check "$arc" "round $r, killed $how"
    export_of "$arc" "$WORK/partial.export"
    "$NC" -a "$arc" stats --json >"$WORK/partial.stats" || fail "round $r: stats"
    # The lock went with the killed process: --no-wait must not find it busy.
    "$NC" -a "$arc" ingest --no-wait --batch $B "$WORK/k.jsonl" >/dev/null 2>"$WORK/rerun.err" ||
      fail "round $r ($how): re-run exit $?: $(cat "$WORK/rerun.err")"
    must_check "$arc" "round $r, after the re-run"
    export_of "$arc" "$WORK/final.export"
    "$NC" -a "$arc" stats --json >"$WORK/final.stats" || fail "round $r: stats"
    state=$(python3 - "$WORK/ref.export" "$WORK/partial.export" "$WORK/partial.stats" "$WORK/final.export" \
      "$WORK/final.stats" "$WORK/ref.out" $B "$ref_sightings" <<'PY'
import json, sys
ref, part, pstats, final, fstats, refout, batch, ref_sightings = sys.argv[1:]
batch, ref_sightings = int(batch), int(ref_sightings)
ref = open(ref).read().splitlines()
part = open(part).read().splitlines()
final = open(final).read().splitlines()
ps, fs = json.load(open(pstats)), json.load(open(fstats))
statuses = [json.loads(l)["status"] for l in open(refout)]
n = len(statuses)
# Committed inputs: whole batches, or everything.
done = ps["entries"] + ps["sightings"]
assert done % batch == 0 or done == n, f"{done} inputs committed: not whole batches of {batch}"
stored = sum(s != "duplicate" for s in statuses[:done])
assert ps["entries"] == stored and len(part) == stored, (ps["entries"], len(part), stored)
assert ps["sightings"] == done - stored, (ps["sightings"], done - stored)
if part != ref[:stored]:
    i = next(i for i, (a, b) in enumerate(zip(part, ref)) if a != b)
    raise AssertionError(f"the killed run's entry {i + 1} differs from the reference:\n{part[i]}\n{ref[i]}")
if final != ref:
    i = next((i for i, (a, b) in enumerate(zip(final, ref)) if a != b), min(len(final), len(ref)))
    raise AssertionError(f"after the re-run, {len(final)} entries vs {len(ref)} in the reference; "
                         f"first difference at entry {i + 1}:\n{final[i] if i < len(final) else '-'}\n"
                         f"{ref[i] if i < len(ref) else '-'}")
assert fs["sightings"] == ref_sightings + done, (fs["sightings"], ref_sightings, done)
print(done, n)
PY
    ) || fail "round $r (killed $how, exit $rc)"
    read -r committed n <<<"$state"
    if [ "$committed" = 0 ]; then before=$((before + 1)); kind="before the first commit"
    elif [ "$committed" = "$n" ]; then after=$((after + 1)); kind="after the last commit"
    else mid=$((mid + 1)); kind="mid-run"; fi
    echo "round $r: killed $how (exit $rc): $committed of $n inputs committed ($kind); re-run completes the archive"
    rm -rf "$arc"
  done
  echo "summary: $ROUNDS rounds (undisturbed run $T s): $mid killed mid-run, $before before the first commit, $after after the last"
  [ "$mid" -ge $((ROUNDS / 2)) ] || fail "only $mid of $ROUNDS kills landed mid-run"
  ;;

disk_full_stops_cleanly)
  # ulimit -f stands in for a full disk: writes past the limit fail (EFBIG,
  # or a short write), with SIGXFSZ ignored as a full disk sends no signal.
  B=25
  gen "$WORK/d.jsonl" --count 1500 --seed 31 --prefix d
  head -n 500 "$WORK/d.jsonl" >"$WORK/d1.jsonl"
  new_archive "$WORK/ref"
  "$NC" -a "$WORK/ref" ingest --json --batch $B "$WORK/d.jsonl" >"$WORK/ref.out" 2>/dev/null || fail "reference ingest exit $?"
  export_of "$WORK/ref" "$WORK/ref.export"
  arc=$WORK/full
  new_archive "$arc"
  "$NC" -a "$arc" ingest --batch $B "$WORK/d1.jsonl" >/dev/null 2>&1 || fail "first ingest exit $?"
  for margin in 600 0 300-sigxfsz; do
    size=$(stat -c %s "$arc/data.mdb")
    limit=$((size / 1024 + ${margin%-sigxfsz}))
    export_of "$arc" "$WORK/before.export"
    "$NC" -a "$arc" stats --json >"$WORK/before.stats" || fail "stats"
    # The rest of the input: no input is seen twice, so the archive must be
    # the reference run's state after its first (entries + sightings) inputs.
    tail -n +$(($(field "$arc" entries) + $(field "$arc" sightings) + 1)) "$WORK/d.jsonl" >"$WORK/rest.jsonl"
    if [ "$margin" = 300-sigxfsz ]; then
      # Without the trap, a write that starts past the limit ends the run
      # by SIGXFSZ, like a crash; one that crosses it is cut short (EIO).
      (ulimit -f $limit; exec "$NC" -a "$arc" ingest -v --batch $B "$WORK/rest.jsonl" >/dev/null 2>"$WORK/err")
    else
      (trap '' XFSZ; ulimit -f $limit; exec "$NC" -a "$arc" ingest -v --batch $B "$WORK/rest.jsonl" >/dev/null 2>"$WORK/err")
    fi
    rc=$?
    committed=$(count_lines 'batch [0-9]* committed' "$WORK/err")
    echo "limit ${limit} KiB (data file $((size / 1024)) KiB): exit $rc after $committed batches; stderr: $(grep -v committed "$WORK/err")"
    if [ "$margin" = 300-sigxfsz ] && [ $rc = $((128 + 25)) ]; then
      echo "killed by SIGXFSZ"
    else
      [ $rc = 4 ] || fail "full disk: expected exit 4, got $rc: $(cat "$WORK/err")"
      grep -q '^newsarc: ingest stopped: ' "$WORK/err" || fail "no error message: $(cat "$WORK/err")"
    fi
    must_check "$arc" "after the full disk (margin $margin)"
    export_of "$arc" "$WORK/after.export"
    "$NC" -a "$arc" stats --json >"$WORK/after.stats" || fail "stats"
    python3 - "$WORK/ref.export" "$WORK/before.export" "$WORK/after.export" "$WORK/before.stats" "$WORK/after.stats" \
      "$WORK/ref.out" $B "$committed" <<'PY' ||
import json, sys
ref, before, after, bstats, stats, refout, batch, committed = sys.argv[1:]
ref, before, after = (open(p).read().splitlines() for p in (ref, before, after))
b, s = json.load(open(bstats)), json.load(open(stats))
statuses = [json.loads(l)["status"] for l in open(refout)]
done = s["entries"] + s["sightings"]
new = done - b["entries"] - b["sightings"]
assert new == int(committed) * int(batch), f"{new} inputs committed, {committed} batches of {batch} reported"
stored = sum(x != "duplicate" for x in statuses[:done])
assert len(after) == stored and after == ref[:stored], "the archive is not the reference's first %d entries" % stored
assert after[:len(before)] == before, "entries from before the full disk changed"
PY
      fail "margin $margin: the archive does not hold a prefix of whole batches"
    [ "$margin" = 600 ] && [ "$committed" = 0 ] && echo "note: no batch fitted into 600 KiB"
  done
  # With room again, a re-run of the whole input completes the archive.
  "$NC" -a "$arc" ingest --batch $B "$WORK/d.jsonl" >/dev/null 2>"$WORK/err" || fail "re-run exit $?: $(cat "$WORK/err")"
  export_of "$arc" "$WORK/final.export"
  same_export "$WORK/ref.export" "$WORK/final.export" "re-run after a full disk vs the reference"
  must_check "$arc" "after the re-run"
  ;;

rerun_is_harmless)
  inputs=("$FIX/seeds" "$FIX/edits" "$FIX/jsonl/urls.jsonl")
  out=$(run ingest "${inputs[@]}") || fail "first ingest exit $?"
  "$NC" -a "$NEWSARC_ARCHIVE" stats --json >"$WORK/stats1" || fail "stats"
  "$NC" -a "$NEWSARC_ARCHIVE" export >"$WORK/export1" || fail "export"
  total=$(wc -l <<<"$out")
  [ "$total" = 11 ] || fail "expected 11 inputs: $out"
  out=$(run ingest "${inputs[@]}") || fail "second ingest exit $?"
  [ "$(count_status duplicate "$out")" = "$total" ] || fail "the re-run stored something:"$'\n'"$(grep -v '^duplicate ' <<<"$out")"
  grep -q "$total duplicate" "$WORK/err" || fail "summary: $(cat "$WORK/err")"
  "$NC" -a "$NEWSARC_ARCHIVE" stats --json >"$WORK/stats2" || fail "stats"
  python3 - "$WORK/stats1" "$WORK/stats2" "$total" <<'PY' || fail "stats changed beyond the sightings"
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
for k in ("stories", "entries", "versions", "copies", "rejects", "text_raw_bytes", "text_stored_bytes", "delta_texts"):
    assert a[k] == b[k], (k, a[k], b[k])
assert b["sightings"] == a["sightings"] + int(sys.argv[3]), (a["sightings"], b["sightings"])
PY
  "$NC" -a "$NEWSARC_ARCHIVE" export >"$WORK/export2" || fail "export"
  cmp -s "$WORK/export1" "$WORK/export2" || fail "the export changed"
  must_check "$NEWSARC_ARCHIVE" "after the re-run"
  ;;

rerun_with_url_updates_is_harmless)
  # A re-run of an input that holds an update under a known URL. Rule 1
  # (known key) compares with the text last seen under the key, so the old
  # text comes back as a new "version" (a revert) instead of a duplicate.
  run ingest "$FIX/jsonl/urls.jsonl" "$FIX/jsonl/urls_update.jsonl" >/dev/null || fail "first ingest exit $?"
  out=$(run ingest "$FIX/jsonl/urls.jsonl" "$FIX/jsonl/urls_update.jsonl") || fail "second ingest exit $?"
  [ "$(count_status duplicate "$out")" = 3 ] || fail "the re-run stored something:"$'\n'"$out"
  ;;

*)
  fail "unknown case"
  ;;
esac
echo "ok: $CASE"
