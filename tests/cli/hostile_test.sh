#!/usr/bin/env bash
# End-to-end tests of hostile and broken input, damaged archives, and what
# ingest tells the user (--rejects, --quiet, --verbose, progress).
# Usage: hostile_test.sh NEWSARC FIXTURES CASE   (each CASE is one ctest test)
source "$(dirname "$0")/common.sh"

# as_nobody CMD...: runs CMD without root's right to read anything, so that
# permission tests mean something when the suite runs as root (as in CI).
as_nobody() {
  if [ "$(id -u)" = 0 ]; then
    setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
  else
    "$@"
  fi
}

case "$CASE" in
deep_nesting_and_bad_json_rejected)
  python3 - "$WORK/in.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    f.write('{"text": ' + "[" * 100000 + "]" * 100000 + "}\n")     # nested 100k deep
    f.write('{"text": "ok", "meta": ' + "{\"a\":" * 5000 + "1" + "}" * 5001 + "\n")
    f.write('{"text": 42}\n')                                         # text not a string
    f.write('{"title": "no text"}\n')
    f.write("not json at all\n")
    f.write('["an", "array"]\n')
    f.write(json.dumps({"text": "Ein gültiger Artikel nach all dem Unsinn, lang genug."}) + "\n")
PY
  out=$(run ingest "$WORK/in.jsonl") && fail "exit 0 despite rejects"
  [ "$(count_status rejected "$out")" = 6 ] || fail "expected 6 rejected:"$'\n'"$out"
  [ "$(count_status new "$out")" = 1 ] || fail "the good line was not ingested:"$'\n'"$out"
  grep -q "in.jsonl:1: malformed JSON: .*too deep" "$WORK/err" || fail "deep nesting: $(cat "$WORK/err")"
  grep -q 'in.jsonl:3: "text" is not a string' "$WORK/err" || fail "text type: $(cat "$WORK/err")"
  grep -q 'in.jsonl:4: JSON object has no "text" field' "$WORK/err" || fail "no text: $(cat "$WORK/err")"
  run check >/dev/null || fail "check after hostile input"
  ;;
paths_links_and_permissions)
  mkdir -p "$WORK/in/sub" "$WORK/in/locked"
  printf 'Ein lesbarer Artikel mit genug Wörtern für einen Eintrag.\n' >"$WORK/in/ok.txt"
  printf 'Ein Artikel, den niemand lesen darf, weil er gesperrt ist.\n' >"$WORK/in/secret.txt"
  printf 'Ein Artikel in einem gesperrten Ordner, unerreichbar.\n' >"$WORK/in/locked/a.txt"
  chmod 000 "$WORK/in/secret.txt" "$WORK/in/locked"
  ln -s loop "$WORK/in/loop"            # a symlink loop
  ln -s .. "$WORK/in/sub/up"            # a directory cycle: not followed
  ln -s missing "$WORK/in/dangling"
  mkfifo "$WORK/in/fifo"
  chmod 755 "$WORK" "$WORK/in"
  chmod -R a+rwX "$WORK/arc"
  out=$(as_nobody "$NC" ingest "$WORK/in" "$WORK/does-not-exist" 2>"$WORK/err")
  [ $? = 1 ] || fail "expected exit 1:"$'\n'"$out"
  expect_status "in/ok.txt" new "$out"
  for bad in secret.txt locked loop dangling fifo does-not-exist; do
    expect_status "/$bad" rejected "$out"
  done
  grep -q "secret.txt: Permission denied" "$WORK/err" || fail "unreadable file: $(cat "$WORK/err")"
  grep -q "locked: Permission denied" "$WORK/err" || fail "unreadable directory: $(cat "$WORK/err")"
  grep -q "loop: Too many levels of symbolic links" "$WORK/err" || fail "loop: $(cat "$WORK/err")"
  [ "$(grep -c . <<<"$out")" = 7 ] || fail "the directory cycle was followed:"$'\n'"$out"
  chmod 755 "$WORK/in/locked"
  ;;
huge_json_line_streamed)
  # 300 MB on one line through a pipe: rejected unread, in bounded memory,
  # and the next line is ingested.
  python3 - "$NC" "$WORK/arc" <<'PY' || fail "huge line"
import resource, subprocess, sys
nc, arc = sys.argv[1], sys.argv[2]
p = subprocess.Popen([nc, "-a", arc, "ingest", "-"], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
p.stdin.write(b'{"text": "')
chunk = b"a" * (1 << 20)
for _ in range(300):
    p.stdin.write(chunk)
p.stdin.write(b'"}\n{"text": "Danach ein ganz normaler Artikel mit Inhalt."}\n')
p.stdin.close()
out, err = p.stdout.read().decode(), p.stderr.read().decode()
assert p.wait() == 1, (p.returncode, err)
assert "<stdin>:1" in err and "skipped unread" in err, err
assert out.splitlines()[1].startswith("new "), out
rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
# Holding the line would take more than 300 MB; the sanitizer build alone
# needs about 170 MB here, the normal build about 65 MB.
assert rss_mb < 250, "peak RSS %.0f MB for a 300 MB line" % rss_mb
print("peak RSS %.0f MB" % rss_mb)
PY
  ;;
rejects_file)
  out=$(run ingest --rejects "$WORK/rejects.jsonl" "$FIX/seeds" "$FIX/bad" "$FIX/jsonl/bad.jsonl")
  [ $? = 1 ] || fail "expected exit 1"
  n=$(count_status rejected "$out")
  [ "$n" -ge 8 ] || fail "only $n rejected"
  python3 - "$WORK/rejects.jsonl" "$n" <<'PY' || fail "rejects file: $(cat "$WORK/rejects.jsonl")"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == int(sys.argv[2]), len(rows)
for r in rows:
    assert r["input"] and r["reason"] and r["time"].endswith("Z"), r
assert any(r["input"].endswith("invalid_utf8.txt") and "UTF-8" in r["reason"] for r in rows), rows
PY
  run ingest --rejects "$WORK/no/such/dir/r.jsonl" "$FIX/seeds" >/dev/null
  [ $? = 2 ] || fail "an unwritable --rejects file must exit 2 before ingesting"
  # A busy archive leaves an existing rejects file as it was.
  cp "$WORK/rejects.jsonl" "$WORK/before.jsonl"
  flock "$WORK/arc/writer.lock" "$NC" ingest --no-wait --rejects "$WORK/rejects.jsonl" \
    "$FIX/bad" >/dev/null 2>&1
  [ $? = 3 ] || fail "expected exit 3 while the lock is held"
  cmp -s "$WORK/before.jsonl" "$WORK/rejects.jsonl" || fail "a busy run emptied the rejects file"
  ;;
quiet_verbose_progress)
  out=$(run ingest --quiet "$FIX/seeds" "$FIX/bad")
  [ $? = 1 ] || fail "--quiet keeps the exit status"
  [ -z "$out" ] || fail "--quiet printed: $out"
  grep -q "articles in" "$WORK/err" && fail "--quiet printed the summary"
  grep -q "invalid_utf8.txt" "$WORK/err" || fail "--quiet must still report rejections"
  "$NC" -a "$WORK/v" init >/dev/null
  "$NC" -a "$WORK/v" ingest --verbose --batch 2 "$FIX/seeds" >/dev/null 2>"$WORK/err" || fail "verbose exit"
  [ "$(grep -c "batch .* committed" "$WORK/err")" = 3 ] || fail "--verbose: $(cat "$WORK/err")"
  # No terminal (as under cron): no progress line, only the summary.
  grep -q $'\r' "$WORK/err" && fail "progress without a terminal"
  # On a terminal: a progress line with articles, MB and rate.
  "$NC" -a "$WORK/p" init >/dev/null
  python3 - "$NC" "$WORK/p" "$FIX/seeds" <<'PY' || fail "no progress on a terminal"
import os, pty, subprocess, sys
nc, arc, seeds = sys.argv[1:4]
# Enough input that the 200 ms refresh fires: the seeds, many times over.
args = [nc, "-a", arc, "ingest", "--batch", "50"] + [seeds] * 400
master, slave = pty.openpty()
p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=slave)
os.close(slave)
data = b""
while True:
    try:
        chunk = os.read(master, 4096)
    except OSError:
        break
    if not chunk:
        break
    data += chunk
p.wait()
text = data.decode(errors="replace")
assert "articles, " in text and " MB, " in text and "articles/s" in text, text[-500:]
assert "\r" in text, "no carriage return"
print("progress seen")
PY
  ;;
damaged_archive_never_crashes)
  run ingest "$FIX/seeds" "$FIX/edits" "$FIX/jsonl/urls.jsonl" "$FIX/jsonl/urls_update.jsonl" >/dev/null
  python3 - "$NC" "$WORK/arc" "$WORK/t" <<'PY' || fail "a damaged archive crashed newsarc"
import os, random, shutil, subprocess, sys
nc, base, d = sys.argv[1:4]
random.seed(11)
seen = {}
for trial in range(40):
    shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(base, d)
    path = os.path.join(d, "data.mdb")
    data = bytearray(open(path, "rb").read())
    for _ in range(random.choice([1, 4, 16])):
        data[random.randrange(len(data))] ^= random.randrange(1, 256)
    open(path, "wb").write(data)
    for cmd in (["check"], ["stats"], ["log", "2"], ["show", "3"], ["dups", "1"], ["export"]):
        r = subprocess.run([nc, "-a", d] + cmd, capture_output=True, timeout=60)
        assert r.returncode in (0, 4, 5), (trial, cmd, r.returncode, r.stderr[-300:])
        if r.returncode == 4:  # check reports damage on stdout, errors go to stderr
            assert (r.stdout + r.stderr).strip(), (trial, cmd, "exit 4 without a message")
        seen[r.returncode] = seen.get(r.returncode, 0) + 1
assert seen.get(4, 0) > 0, seen  # the damage was noticed somewhere
print("exit statuses:", seen)
PY
  ;;
*)
  fail "unknown case"
  ;;
esac
echo "ok: $CASE"
