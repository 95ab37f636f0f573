#!/usr/bin/env bash
# newsarc benchmarks: ingest throughput (all cores and one core), peak memory,
# archive size, `dups` latency on a generated 100,000-article archive, and
# zstd -3 as a size reference. Prints a Markdown results block at the end
# (also written to $WORK/results.md).
#
# Needs: cmake + a C++20 compiler (for the release build), python3, hyperfine,
# zstd, /usr/bin/time (Debian package `time`), taskset (util-linux).
#   apt-get install -y hyperfine zstd time
#
# Environment (all optional):
#   CORPUS     JSONL corpus   (default: ../shared/corpus/reuters21578-en/articles.jsonl
#                              relative to the repository)
#   WORK       scratch dir    (default: build-release/bench-work; archives, generated corpus)
#   NEWSARC    binary         (default: build-release/newsarc, built here unless BUILD=0)
#   BUILD      1/0            (default 1: configure + build build-release first, niced, -j1)
#   RUNS       hyperfine runs for ingest (default 5)
#   GEN_COUNT  articles generated for the dups benchmark (default 100000)
#   QUERIES    dups queries, one process each (default 1000)
#   SEED       generator / query seed (default 1)
#   CPU        core for the one-core runs (default 0)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CORPUS=${CORPUS:-$ROOT/../shared/corpus/reuters21578-en/articles.jsonl}
WORK=${WORK:-$ROOT/build-release/bench-work}
BUILD_DIR=$ROOT/build-release
NEWSARC=${NEWSARC:-$BUILD_DIR/newsarc}
BUILD=${BUILD:-1}
RUNS=${RUNS:-5}
GEN_COUNT=${GEN_COUNT:-100000}
QUERIES=${QUERIES:-1000}
SEED=${SEED:-1}
CPU=${CPU:-0}

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf 'bench/run.sh: %s\n' "$*" >&2; exit 1; }

for tool in python3 hyperfine zstd taskset; do
  command -v "$tool" >/dev/null || die "$tool not found (apt-get install -y hyperfine zstd time)"
done
[[ -x /usr/bin/time ]] || die "/usr/bin/time not found (apt-get install -y time)"
[[ -f $CORPUS ]] || die "corpus not found: $CORPUS (set CORPUS=...)"
CORPUS=$(cd "$(dirname "$CORPUS")" && pwd)/$(basename "$CORPUS")

# --- build ---------------------------------------------------------------
if [[ $BUILD == 1 ]]; then
  log "building release binary in $BUILD_DIR"
  cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
  nice cmake --build "$BUILD_DIR" -j1 >/dev/null
fi
[[ -x $NEWSARC ]] || die "newsarc binary not found: $NEWSARC"
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
DUPS_QUERY=$WORK/dups_query
if [[ -f $BUILD_DIR/libnewsarc_lib.a ]]; then
  log "building bench/dups_query.cc (in-process query timing)"
  # shellcheck disable=SC2046
  nice "${CXX:-g++}" -O2 -std=c++20 -I"$ROOT/include" "$ROOT/bench/dups_query.cc" \
    "$BUILD_DIR/libnewsarc_lib.a" $(pkg-config --libs libxxhash libzstd libutf8proc simdjson) \
    -llmdb -o "$DUPS_QUERY"
else
  DUPS_QUERY=
fi

q() { printf '%q' "$1"; }
NA=$(q "$NEWSARC")
json_get() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."): d=d[int(k)] if k.isdigit() else d[k]
print(d)' "$1" "$2"; }
# Peak RSS (KiB) and wall time (s) from a /usr/bin/time -v log.
rss_kib() { awk -F': ' '/Maximum resident set size/ {print $2}' "$1"; }
wall_s() { awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$1"; }
summary_line() { grep -E '^[0-9]+ articles in' "$1" | tail -1; }

# --- corpus facts --------------------------------------------------------
read -r N_ART TEXT_BYTES JSONL_BYTES < <(python3 - "$CORPUS" <<'EOF'
import json, os, sys
n = t = 0
for line in open(sys.argv[1], encoding="utf-8"):
    if line.strip():
        n += 1
        t += len(json.loads(line).get("text", "").encode())
print(n, t, os.path.getsize(sys.argv[1]))
EOF
)
log "corpus: $CORPUS: $N_ART articles, $TEXT_BYTES text bytes, $JSONL_BYTES JSONL bytes"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# --- (a) ingest, all cores ------------------------------------------------
ARCH=$WORK/reuters-archive
A=$(q "$ARCH")
INGEST_CMD="$NA --archive $A ingest $(q "$CORPUS")"
PREPARE="rm -rf $A && $NA --archive $A init >/dev/null"
# time_ingest JSON CMD: hyperfine RUNS runs of CMD on a fresh archive each;
# prints "median min max" in seconds.
time_ingest() {
  hyperfine --runs "$RUNS" -i --output=null --style basic --prepare "$PREPARE" \
    --export-json "$1" "$2" >&2
  echo "$(json_get "$1" results.0.median) $(json_get "$1" results.0.min) $(json_get "$1" results.0.max)"
}

# newsarc exits 1 when some inputs were rejected (Reuters has one empty
# article), so hyperfine ignores the exit code; (b) checks it instead.
log "(a) hyperfine ingest, $RUNS runs"
read -r ING_MED ING_MIN ING_MAX < <(time_ingest "$WORK/ingest.json" "$INGEST_CMD")

# --- (b) peak memory + archive size -----------------------------------------
log "(b) /usr/bin/time -v ingest"
rm -rf "$ARCH" && "$NEWSARC" --archive "$ARCH" init >/dev/null
set +e
/usr/bin/time -v "$NEWSARC" --archive "$ARCH" ingest "$CORPUS" >"$WORK/ingest.out" 2>"$WORK/ingest.time"
ING_RC=$?
set -e
(( ING_RC <= 1 )) || die "ingest failed (exit $ING_RC), see $WORK/ingest.time"
ING_RSS=$(rss_kib "$WORK/ingest.time")
ING_SUMMARY=$(summary_line "$WORK/ingest.time")
"$NEWSARC" --archive "$ARCH" stats --json >"$WORK/reuters-stats.json"
REU_FILE_BYTES=$(json_get "$WORK/reuters-stats.json" file_bytes)
REU_STORIES=$(json_get "$WORK/reuters-stats.json" stories)
REU_DU=$(du -sh "$ARCH" | cut -f1)

# --- (c) one core ---------------------------------------------------------
log "(c) hyperfine ingest on core $CPU, $RUNS runs"
read -r ING1_MED ING1_MIN ING1_MAX < <(time_ingest "$WORK/ingest1.json" "taskset -c $CPU $INGEST_CMD")
rm -rf "$ARCH" && "$NEWSARC" --archive "$ARCH" init >/dev/null
/usr/bin/time -v taskset -c "$CPU" "$NEWSARC" --archive "$ARCH" ingest "$CORPUS" \
  >/dev/null 2>"$WORK/ingest1.time" || true
ING1_RSS=$(rss_kib "$WORK/ingest1.time")

# --- (d) generated corpus: ingest + dups latency -----------------------------
GEN=$WORK/edits-$GEN_COUNT-s$SEED.jsonl
log "(d) generating $GEN_COUNT articles -> $GEN"
python3 "$ROOT/bench/gen_edits.py" --input "$CORPUS" --count "$GEN_COUNT" --seed "$SEED" \
  --output "$GEN" 2>"$WORK/gen.log"
GEN_KINDS=$(sed 's/^gen_edits.py: //' "$WORK/gen.log")
read -r GEN_TEXT_BYTES < <(python3 -c 'import json,sys
print(sum(len(json.loads(l)["text"].encode()) for l in open(sys.argv[1], encoding="utf-8")))' "$GEN")
GARCH=$WORK/gen-archive
rm -rf "$GARCH" && "$NEWSARC" --archive "$GARCH" init >/dev/null
log "(d) ingesting $GEN_COUNT articles (one run, limit 10 min)"
set +e
timeout 600 /usr/bin/time -v "$NEWSARC" --archive "$GARCH" ingest "$GEN" \
  >"$WORK/gen-ingest.out" 2>"$WORK/gen-ingest.time"
GEN_RC=$?
set -e
(( GEN_RC <= 1 )) || die "ingest of $GEN failed or took over 10 min (exit $GEN_RC); rerun with a smaller GEN_COUNT"
GEN_WALL=$(wall_s "$WORK/gen-ingest.time")
GEN_RSS=$(rss_kib "$WORK/gen-ingest.time")
GEN_SUMMARY=$(summary_line "$WORK/gen-ingest.time")
"$NEWSARC" --archive "$GARCH" stats --json >"$WORK/gen-stats.json"
GEN_STORIES=$(json_get "$WORK/gen-stats.json" stories)
GEN_ENTRIES=$(json_get "$WORK/gen-stats.json" entries)
GEN_FILE_BYTES=$(json_get "$WORK/gen-stats.json" file_bytes)
GEN_DU=$(du -sh "$GARCH" | cut -f1)

log "(d) $QUERIES dups queries, one process each"
python3 - "$NEWSARC" "$GARCH" "$GEN_STORIES" "$QUERIES" "$SEED" >"$WORK/dups-proc.json" <<'EOF'
import json, random, statistics, subprocess, sys, time
newsarc, archive, stories, queries, seed = sys.argv[1:6]
rng = random.Random(int(seed))
picks = [rng.randint(1, int(stories)) for _ in range(int(queries))]
ms, failures, lines = [], 0, 0
for s in picks:
    t = time.perf_counter()
    p = subprocess.run([newsarc, "--archive", archive, "dups", str(s)],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    ms.append((time.perf_counter() - t) * 1e3)
    failures += p.returncode != 0
    lines += p.stdout.count(b"\n")
ms.sort()
print(json.dumps({"queries": len(ms), "median_ms": statistics.median(ms),
                  "p99_ms": ms[min(len(ms) - 1, int(0.99 * len(ms)))], "mean_ms": statistics.mean(ms),
                  "max_ms": ms[-1], "failures": failures, "matches_mean": lines / len(ms),
                  "story": picks[0]}))
EOF
DP_MED=$(json_get "$WORK/dups-proc.json" median_ms)
DP_P99=$(json_get "$WORK/dups-proc.json" p99_ms)
DP_FAIL=$(json_get "$WORK/dups-proc.json" failures)
DP_MATCH=$(json_get "$WORK/dups-proc.json" matches_mean)
STORY=$(json_get "$WORK/dups-proc.json" story)

log "(d) hyperfine: one dups process vs. process start-up alone"
GA=$(q "$GARCH")
hyperfine --warmup 5 --runs 200 -N --output=null --style basic --export-json "$WORK/dups-hf.json" \
  "$NA --version" "$NA --archive $GA stats --json" "$NA --archive $GA dups $STORY" >&2
HF_VER=$(json_get "$WORK/dups-hf.json" results.0.median)
HF_STATS=$(json_get "$WORK/dups-hf.json" results.1.median)
HF_DUPS=$(json_get "$WORK/dups-hf.json" results.2.median)

if [[ -n $DUPS_QUERY ]]; then
  log "(d) in-process query timing ($QUERIES queries)"
  "$DUPS_QUERY" "$GARCH" "$QUERIES" "$SEED" >"$WORK/dups-inproc.json"
  DI_MED=$(json_get "$WORK/dups-inproc.json" median_us)
  DI_P99=$(json_get "$WORK/dups-inproc.json" p99_us)
  DI_OPEN=$(json_get "$WORK/dups-inproc.json" open_ms)
  DI_MATCH=$(json_get "$WORK/dups-inproc.json" matches_mean)
fi

# --- (e) zstd -3 reference --------------------------------------------------
log "(e) zstd -3, one file per article"
ZDIR=$WORK/zstd-files
rm -rf "$ZDIR" && mkdir -p "$ZDIR"
python3 - "$CORPUS" "$ZDIR" <<'EOF'
import json, os, sys
for i, line in enumerate(open(sys.argv[1], encoding="utf-8")):
    if line.strip():
        with open(os.path.join(sys.argv[2], "%06d.txt" % i), "wb") as f:
            f.write(json.loads(line).get("text", "").encode())
EOF
# In-memory speed, each file compressed on its own (zstd's benchmark mode):
# the CLI run below is dominated by creating 21,578 files.
Z_BENCH=$(zstd -b3 -i3 -r "$ZDIR" 2>&1 | tr '\r' '\n' | grep -E 'files +:' | tail -1)
Z_BENCH_MBS=$(sed -E 's/.*\), +([0-9.]+) MB\/s,.*/\1/' <<<"$Z_BENCH")
Z=$(q "$ZDIR")
hyperfine --runs 3 --output=null --style basic --prepare "find $Z -name '*.zst' -delete" \
  --export-json "$WORK/zstd.json" "zstd -3 -q -r $Z" >&2
Z_MED=$(json_get "$WORK/zstd.json" results.0.median)
Z_BYTES=$(find "$ZDIR" -name '*.zst' -printf '%s\n' | awk '{s+=$1} END {print s}')
Z_WHOLE=$(python3 -c 'import json,sys
sys.stdout.buffer.write(b"".join(json.loads(l)["text"].encode() for l in open(sys.argv[1], encoding="utf-8")))' "$CORPUS" \
  | zstd -3 -q -c | wc -c)
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- results ----------------------------------------------------------------
python3 - >"$WORK/results.md" <<EOF
n, tb = $N_ART, $TEXT_BYTES
def rate(s): return "%s articles/s, %.1f MB/s" % (format(round(n / s), ","), tb / 1e6 / s)
mb = lambda b: "%.1f MB" % (b / 1e6)
print("### newsarc benchmark results")
print()
print("- commit: \`$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)\`"
      "$( [[ -n $(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null) ]] && echo ' (working tree has uncommitted changes)')")
print("- machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), "
      "$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM; load average before/after: $LOAD_BEFORE / $LOAD_AFTER")
print("- corpus: \`$CORPUS\`: %s articles, %s of text (%s JSONL)" % (format(n, ","), mb(tb), mb($JSONL_BYTES)))
print()
print("| Benchmark | Result |")
print("|---|---|")
print("| Ingest, all cores (median of $RUNS; min %.2f s, max %.2f s) | %.2f s = %s |" % ($ING_MIN, $ING_MAX, $ING_MED, rate($ING_MED)))
print("| Ingest, one core (taskset -c $CPU; median of $RUNS; min %.2f s, max %.2f s) | %.2f s = %s |" % ($ING1_MIN, $ING1_MAX, $ING1_MED, rate($ING1_MED)))
print("| Ingest peak RSS (all cores / one core) | %.1f MiB / %.1f MiB |" % ($ING_RSS / 1024, $ING1_RSS / 1024))
print("| newsarc's own summary line | $ING_SUMMARY |")
print("| Archive size (stats file_bytes / du -sh) | %s / $REU_DU (%.1fx the text) |" % (mb($REU_FILE_BYTES), $REU_FILE_BYTES / tb))
print("| Archive stories | $REU_STORIES |")
print("| zstd -3, one file per article (zstd -3 -q -r, median of 3; time is mostly file creation) | %s (ratio %.2f), %.2f s |" % (mb($Z_BYTES), tb / $Z_BYTES, $Z_MED))
print("| zstd -b3 (benchmark mode, in memory, each article on its own) | $Z_BENCH_MBS MB/s compression |")
print("| zstd -3, whole corpus as one stream | %s (ratio %.2f) |" % (mb($Z_WHOLE), tb / $Z_WHOLE))
print("| Generated corpus (gen_edits.py --count $GEN_COUNT --seed $SEED) | $GEN_KINDS; %s of text |" % mb($GEN_TEXT_BYTES))
print("| Ingest of generated corpus (one run) | %.2f s = %s articles/s, %.1f MB/s; peak RSS %.1f MiB |" % ($GEN_WALL, format(round($GEN_COUNT / $GEN_WALL), ","), $GEN_TEXT_BYTES / 1e6 / $GEN_WALL, $GEN_RSS / 1024))
print("| newsarc's own summary line | $GEN_SUMMARY |")
print("| Generated archive | $GEN_STORIES stories, $GEN_ENTRIES entries; file_bytes %s, du -sh $GEN_DU |" % mb($GEN_FILE_BYTES))
print("| dups STORY, $QUERIES random stories, one process each (perf_counter around subprocess; includes process start) | median %.2f ms, p99 %.2f ms; %.2f lines/query; %d failures |" % ($DP_MED, $DP_P99, $DP_MATCH, $DP_FAIL))
print("| hyperfine -N, 200 runs: newsarc --version (process start only) | median %.2f ms |" % ($HF_VER * 1e3))
print("| hyperfine -N, 200 runs: stats --json (start + open archive) | median %.2f ms |" % ($HF_STATS * 1e3))
print("| hyperfine -N, 200 runs: dups $STORY | median %.2f ms |" % ($HF_DUPS * 1e3))
if "${DUPS_QUERY:+yes}":
    print("| dups query in-process (bench/dups_query.cc, $QUERIES random stories; archive open %.1f ms) | median %.1f us, p99 %.1f us; %.2f matches/query |" % (${DI_OPEN:-0}, ${DI_MED:-0}, ${DI_P99:-0}, ${DI_MATCH:-0}))
EOF
cat "$WORK/results.md"
