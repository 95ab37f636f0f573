#!/usr/bin/env bash
# Ingest at scale: COUNT generated articles (bench/gen_edits.py: exact copies,
# near-duplicates and updated versions of Reuters articles), ingested in
# chunks of CHUNK into one archive, timing each chunk. Prints a TSV of
# articles-so-far, chunk throughput, archive size and the chunk's peak memory,
# and, when gnuplot is installed, plots throughput against archive size.
# Peak memory comes three ways: peak RSS (/usr/bin/time), and the peaks of
# its two parts, sampled every 50 ms from /proc/PID/status: RssAnon (the
# process's own memory: heap, stacks) and RssFile (pages of the archive
# file, and of the binary and libraries, that the process has mapped: the
# kernel counts every cached page around a page LMDB reads, and can drop
# them at any time).
# Environment: CORPUS (/work/shared/corpus), BUILD (build-release), WORK (a
# temp dir), COUNT (1000000), CHUNK (50000), JOBS (cores), SEED (1).
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS=${CORPUS:-/work/shared/corpus}
BUILD=${BUILD:-build-release}
WORK=${WORK:-$(mktemp -d)}
COUNT=${COUNT:-1000000}
CHUNK=${CHUNK:-50000}
JOBS=${JOBS:-$(nproc)}
SEED=${SEED:-1}
NC=$BUILD/newsarc
[[ -x /usr/bin/time ]] || { echo "needs /usr/bin/time (apt-get install -y time)" >&2; exit 2; }
[[ -x $NC ]] || { echo "build $NC first (cmake --build $BUILD --target newsarc)" >&2; exit 2; }
mkdir -p "$WORK"
GEN=$WORK/gen-$COUNT-$SEED.jsonl
[[ -s $GEN ]] || python3 bench/gen_edits.py --input "$CORPUS/reuters21578-en/articles.jsonl" \
  --count "$COUNT" --seed "$SEED" --output "$GEN" >&2
rm -rf "$WORK/chunks" "$WORK/arc"
mkdir -p "$WORK/chunks"
split -l "$CHUNK" -d -a 4 --additional-suffix=.jsonl "$GEN" "$WORK/chunks/c"
# The chunks are written now, not during the first chunks' ingests (whose
# commits would wait behind a gigabyte of writeback).
sync
"$NC" -a "$WORK/arc" init >/dev/null
TSV=$WORK/scale.tsv
printf 'articles\tchunk_seconds\tarticles_per_s\tarchive_mb\tpeak_rss_mb\tpeak_anon_mb\tpeak_file_mb\n' >"$TSV"

# Samples /proc/PID/status of the child of process $1 until it exits; sets
# PEAK_ANON_KB and PEAK_FILE_KB.
sample_memory() {
  local pid="" k v _ a f
  PEAK_ANON_KB=0 PEAK_FILE_KB=0
  while [[ -z $pid ]] && kill -0 "$1" 2>/dev/null; do pid=$(pgrep -P "$1" || true); done
  while [[ -n $pid && -r /proc/$pid/status ]]; do
    a=0 f=0
    while read -r k v _; do
      case $k in RssAnon:) a=$v ;; RssFile:) f=$v ;; esac
    done </proc/"$pid"/status 2>/dev/null || true
    ((a > PEAK_ANON_KB)) && PEAK_ANON_KB=$a
    ((f > PEAK_FILE_KB)) && PEAK_FILE_KB=$f
    sleep 0.05
  done
}

done_so_far=0
for chunk in "$WORK"/chunks/c*.jsonl; do
  n=$(wc -l <"$chunk")
  /usr/bin/time -f '%e %M' -o "$WORK/time.txt" "$NC" -a "$WORK/arc" ingest -q -j "$JOBS" "$chunk" &
  sample_memory $!
  wait $! || [ $? = 1 ]
  read -r secs rss_kb <"$WORK/time.txt"
  done_so_far=$((done_so_far + n))
  mb=$(( $(stat -c %s "$WORK/arc/data.mdb") / 1000000 ))
  awk -v a="$done_so_far" -v s="$secs" -v n="$n" -v mb="$mb" -v r="$rss_kb" \
    -v an="$PEAK_ANON_KB" -v fi="$PEAK_FILE_KB" \
    'BEGIN { printf "%d\t%.2f\t%.0f\t%d\t%.0f\t%.0f\t%.0f\n", a, s, n / s, mb, r / 1024, an / 1024, fi / 1024 }' |
    tee -a "$TSV" >&2
done
if command -v gnuplot >/dev/null; then
  gnuplot <<GP
set terminal pngcairo size 900,500
set output "$WORK/scale.png"
set title "newsarc ingest throughput against archive size ($COUNT generated articles, chunks of $CHUNK, -j $JOBS)"
set xlabel "articles in the archive"
set ylabel "articles/s (chunk)"
set y2label "archive file (MB)"
set ytics nomirror
set y2tics
set grid
plot "$TSV" using 1:3 with linespoints title "throughput", "$TSV" using 1:4 axes x1y2 with lines title "archive MB"
GP
  echo "plot: $WORK/scale.png" >&2
fi
cat "$TSV"
