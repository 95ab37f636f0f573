#!/usr/bin/env bash
# Plots throughput against articles ingested for one or more TSV files of
# bench/scale_stream.py, one line each.
# Usage: bench/plot_stream.sh OUT.png "TITLE" FILE.tsv "LABEL" [FILE.tsv "LABEL" ...]
set -euo pipefail
out=$1 title=$2
shift 2
plot=""
while (($# >= 2)); do
  plot+="${plot:+, }\"$1\" using 1:3 with linespoints title \"$2\""
  shift 2
done
gnuplot <<GP
set terminal pngcairo noenhanced size 900,500
set output "$out"
set title "$title"
set xlabel "articles in the archive"
set ylabel "articles/s (window of 50,000)"
set yrange [0:*]
set grid
plot $plot
GP
