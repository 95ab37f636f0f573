#!/usr/bin/env python3
"""Ingest one large JSON Lines file in a single `newsarc ingest` run and
report the throughput as the archive grows.

bench/scale.sh measures the same articles as a series of separate runs (one
per chunk, like a nightly job); this measures them as one continuous run
(a bulk import). It reads `ingest -v`'s "batch N committed: M inputs so far"
lines as they come, stamps each with the time since the process started,
and samples the process's RssAnon, RssFile and VmHWM (the peak of the whole
resident set; /proc/PID/status) every 50 ms. It prints one TSV row per
window of --window articles: the inputs committed at its end, the window's
throughput (articles per second between the commits nearest its two ends,
the first window from the start of the process), and the peak memory so far.

Usage: scale_stream.py --newsarc BIN --archive DIR --input FILE.jsonl
           [--window 50000] [--jobs N] [--memory-limit MIB] [--tsv OUT]
The archive must not exist yet; it is created with `init`.
"""
import argparse
import os
import re
import subprocess
import sys
import threading
import time

COMMIT = re.compile(r"batch \d+ committed: (\d+) inputs so far")


def sample_memory(pid, peaks, stop):
    path = f"/proc/{pid}/status"
    while not stop.is_set():
        try:
            with open(path) as f:
                for line in f:
                    key, _, rest = line.partition(":")
                    if key in ("RssAnon", "RssFile", "VmHWM"):
                        kb = int(rest.split()[0])
                        peaks[key] = max(peaks[key], kb)
        except (FileNotFoundError, ProcessLookupError):
            return
        time.sleep(0.05)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--newsarc", required=True)
    ap.add_argument("--archive", required=True)
    ap.add_argument("--input", required=True)
    ap.add_argument("--window", type=int, default=50000)
    ap.add_argument("--jobs", type=int, default=os.cpu_count())
    ap.add_argument("--memory-limit", type=int, default=0,
                    help="pass --memory-limit MIB to ingest (0: none)")
    ap.add_argument("--tsv", default="-")
    args = ap.parse_args()

    if os.path.exists(args.archive):
        sys.exit(f"{args.archive} exists; give a new directory")
    subprocess.run([args.newsarc, "-a", args.archive, "init"], check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run(["sync"], check=True)

    start = time.monotonic()
    proc = subprocess.Popen(
        [args.newsarc, "-a", args.archive, "ingest", "-v", "-j", str(args.jobs), args.input] +
        (["--memory-limit", str(args.memory_limit)] if args.memory_limit else []),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peaks = {"RssAnon": 0, "RssFile": 0, "VmHWM": 0}
    stop = threading.Event()
    sampler = threading.Thread(target=sample_memory, args=(proc.pid, peaks, stop))
    sampler.start()
    commits = [(0.0, 0, 0, 0, 0)]  # seconds, inputs, peak anon, file and whole RSS (KiB)
    for line in proc.stderr:
        m = COMMIT.search(line)
        if m:
            commits.append((time.monotonic() - start, int(m.group(1)), peaks["RssAnon"],
                            peaks["RssFile"], peaks["VmHWM"]))
        else:
            sys.stderr.write(line)
    status = proc.wait()
    total = time.monotonic() - start
    stop.set()
    sampler.join()
    if status != 0:
        sys.exit(f"ingest exited with status {status}")

    out = sys.stdout if args.tsv == "-" else open(args.tsv, "w")
    out.write("articles\twindow_seconds\tarticles_per_s\tpeak_anon_mb\tpeak_file_mb\tpeak_rss_mb\n")

    def nearest(n):
        return min(commits, key=lambda c: abs(c[1] - n))

    last = commits[-1][1]
    for end in range(args.window, last + 1, args.window):
        a, b = nearest(end - args.window), nearest(end)
        if b[1] <= a[1]:
            continue
        seconds = b[0] - a[0]
        out.write(f"{b[1]}\t{seconds:.3f}\t{(b[1] - a[1]) / seconds:.0f}\t"
                  f"{b[2] / 1024:.0f}\t{b[3] / 1024:.0f}\t{b[4] / 1024:.0f}\n")
    out.flush()
    size = os.path.getsize(os.path.join(args.archive, "data.mdb"))
    print(f"{last} articles in {total:.2f} s ({last / total:.0f}/s); archive {size / 1e6:.0f} MB; "
          f"peak RSS {peaks['VmHWM'] / 1024:.0f} MB (RssAnon {peaks['RssAnon'] / 1024:.0f} MB, "
          f"RssFile {peaks['RssFile'] / 1024:.0f} MB, each at its own peak)",
          file=sys.stderr)


if __name__ == "__main__":
    main()
