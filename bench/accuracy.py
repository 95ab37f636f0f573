#!/usr/bin/env python3
"""Accuracy of newsarc's classification against exact ground truth.

Four measurements, each on a fresh archive made with `newsarc init` (default
parameters unless --init-args is given):

1. Near-duplicates at J >= 0.8 (bbc-fulltext-en, reuters21578-en). Each
   corpus is ingested in file order with `ingest --json`; its lines carry an
   `id`, which becomes the key. The ground truth is the corpus's
   near_dup_pairs.tsv: exact Jaccard of word 5-shingles for every pair with
   J >= 0.3 (BBC: all pairs; Reuters: pairs dated within one calendar day).
   A pair not in the file has J < 0.3. Two predicted pair sets are scored:

   (a) query: `newsarc dups STORY@N --threshold 0.8 --json` for every stored
       entry (one process each, --jobs in parallel), plus every pair of
       entries of the same story: `dups` never lists the queried story's own
       entries (near-duplicate copies are stored in the story of what they
       copy), a user sees those with `log`.
   (b) classification: every input classified `duplicate` or
       `near-duplicate` paired with the entry it was classified against
       (`of`). This links each article to its best match only.

   Entry pairs are expanded to input pairs: an input maps to the entry it was
   stored as, or, for a duplicate, to the entry it repeats, so two inputs of
   one entry are a predicted pair (same normalized text), and a predicted
   pair of entries covers every input of each. For Reuters, predicted pairs
   of articles more than one calendar day apart (or undated: reut-17192) are
   not scored, as the ground truth does not cover them.

   Precision = predicted pairs with J >= 0.8 / predicted pairs;
   recall = ground-truth pairs with J >= 0.8 predicted / all of them.

2. Keyless updates (wiki-versions-en): a copy of the file with only `title`
   and `text` kept (no url, no id: no key) is written to WORK and ingested in
   file order (articles grouped, versions in order). Scored: the share of
   consecutive versions (same article, ranks k and k+1) with exact J >= 0.5
   that end in the same story, and the number of inputs placed in a story
   whose first entry belongs to another article.

3. Keyed updates (frontpage-revisions-de, key = URL), ingested in file order
   (URLs grouped) and, as a second run, in order of first_seen: the share of
   versions stored in (or duplicating an entry of) the story of their URL's
   first version, and the stories that hold entries of more than one URL.
   Such a story is justified when every other URL entered it as a duplicate
   or near-duplicate copy whose exact J with the entry it was matched to is
   >= 0.8.

4. Pair estimates: newsarc's MinHash estimate for ground-truth pairs near the
   threshold and for every wrongly scored pair, each from a two-article
   keyless archive (the hash seed is fixed, so the estimate is the one the
   big archive sees). Used to show where the errors come from and what a
   verification step with exact Jaccard would give.

Exact Jaccard here (wiki, frontpage, sanity check against the TSV): NFKC,
str.casefold(), default-ignorable code points removed, words = maximal runs of
\\w (Unicode letters, digits, numbers, _) and combining marks, shingles =
tuples of 5 consecutive words (one shingle of all words when there are fewer
than 5). newsarc also maps quotes and dashes, which are not word characters,
so words come out the same; utf8proc's case folding can differ from Python's
for a few characters. The TSVs use lower() and \\w+; the script reports how
far its own J is from theirs.

Prints Markdown; writes WORK/accuracy.md and WORK/accuracy.json. Exit status
0: all targets met; 1: a target missed; 2: setup error.
"""

import argparse
import collections
import concurrent.futures
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
import unicodedata

NEAR = 0.8
VERSION = 0.5
TARGET_RECALL = 0.99
TARGET_PRECISION = 0.99
TARGET_WIKI_SHARE = 0.9


# --------------------------------------------------------------------------
# Exact Jaccard of word 5-shingles

def _ignorable_class():
    ranges = [(0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160),
              (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E),
              (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
              (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
              (0xE0000, 0xE0FFF)]
    return "[" + "".join("%s-%s" % (re.escape(chr(a)), re.escape(chr(b))) for a, b in ranges) + "]"


def _mark_class():
    out, start, prev = [], None, None
    for cp in range(0x110000):
        if unicodedata.category(chr(cp))[0] == "M":
            if start is None:
                start = cp
            elif cp != prev + 1:
                out.append((start, prev))
                start = cp
            prev = cp
        # only marks matter; the loop is about 0.3 s once
    if start is not None:
        out.append((start, prev))
    return "".join("%s-%s" % (re.escape(chr(a)), re.escape(chr(b))) for a, b in out)


IGNORABLE_RE = re.compile(_ignorable_class())
WORD_RE = re.compile(r"[\w" + _mark_class() + r"]+")


def words(text):
    text = unicodedata.normalize("NFKC", text).casefold()
    text = IGNORABLE_RE.sub("", text)
    return WORD_RE.findall(text)


def shingles(text, k=5):
    w = words(text)
    if len(w) < k:
        return {tuple(w)} if w else set()
    return {tuple(w[i:i + k]) for i in range(len(w) - k + 1)}


def jaccard(a, b):
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


# --------------------------------------------------------------------------
# Running newsarc

class Runner:
    def __init__(self, newsarc, init_args, jobs):
        self.newsarc = newsarc
        self.init_args = init_args
        self.jobs = jobs

    def init(self, archive):
        if os.path.exists(archive):
            shutil.rmtree(archive)
        subprocess.run([self.newsarc, "-a", archive, "init"] + self.init_args, check=True,
                       stdout=subprocess.DEVNULL)

    def ingest(self, archive, path):
        """Fresh archive, ingest PATH with --json; returns (results by line, seconds, summary)."""
        self.init(archive)
        t0 = time.perf_counter()
        p = subprocess.run([self.newsarc, "-a", archive, "ingest", "--json", path],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        seconds = time.perf_counter() - t0
        if p.returncode not in (0, 1):
            raise SystemExit("ingest %s failed (%d): %s" % (path, p.returncode, p.stderr[-2000:]))
        by_line = {}
        for line in p.stdout.splitlines():
            r = json.loads(line)
            by_line[int(r["input"].rsplit(":", 1)[1])] = r
        summary = [l for l in p.stderr.splitlines() if " articles in " in l]
        return by_line, seconds, summary[-1] if summary else ""

    def dups(self, archive, entry, threshold):
        p = subprocess.run([self.newsarc, "-a", archive, "dups", entry, "--threshold",
                            str(threshold), "--json"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
        if p.returncode != 0:
            raise RuntimeError("dups %s: exit %d: %s" % (entry, p.returncode, p.stderr))
        return [(m["story"], m["version"], m["similarity"]) for m in json.loads(p.stdout)]

    def dups_all(self, archive, entries, threshold):
        with concurrent.futures.ThreadPoolExecutor(self.jobs) as pool:
            found = pool.map(lambda e: self.dups(archive, "%d@%d" % e, threshold), entries)
            return dict(zip(entries, found))

    def pair_estimate(self, scratch, text_a, text_b):
        """newsarc's estimated similarity of two texts (two-article keyless archive)."""
        self.init(scratch)
        path = os.path.join(scratch, "pair.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            f.write(json.dumps({"text": text_a}) + "\n" + json.dumps({"text": text_b}) + "\n")
        p = subprocess.run([self.newsarc, "-a", scratch, "ingest", "--json", path],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        second = json.loads(p.stdout.splitlines()[1])
        if second["status"] in ("duplicate", "near-duplicate", "version"):
            return second["similarity"]
        if second["status"] != "new":
            return None
        found = self.dups(scratch, "2@1", 0.0)
        return found[0][2] if found else 0.0

    def pair_estimates(self, work, pairs):
        """pairs: list of (text_a, text_b); returns list of estimates."""
        def one(i):
            return self.pair_estimate(os.path.join(work, "pair-%d" % (i % self.jobs)), *pairs[i])
        # one scratch archive per worker slot: run the slots' pairs sequentially
        out = [None] * len(pairs)

        def slot(s):
            for i in range(s, len(pairs), self.jobs):
                out[i] = one(i)
        with concurrent.futures.ThreadPoolExecutor(self.jobs) as pool:
            list(pool.map(slot, range(self.jobs)))
        for s in range(self.jobs):
            shutil.rmtree(os.path.join(work, "pair-%d" % s), ignore_errors=True)
        return out


def load_jsonl(path):
    rows = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                rows[n] = json.loads(line)
    return rows


def fmt_share(num, den):
    return "%.4f (%d / %d)" % (num / den if den else float("nan"), num, den)


def ok(flag):
    return "**yes**" if flag else "**NO**"


# --------------------------------------------------------------------------
# 1. Near-duplicate pairs

def entry_maps(results):
    """input line -> entry; entry -> [lines]; story -> [entries]."""
    entry_of, lines_of, story_entries = {}, collections.defaultdict(list), collections.defaultdict(set)
    for line, r in results.items():
        if r["status"] == "rejected":
            continue
        e = (r["story"], r["version"])
        entry_of[line] = e
        lines_of[e].append(line)
        story_entries[r["story"]].add(e)
    return entry_of, lines_of, story_entries


def parse_entry(s):
    a, b = s.split("@")
    return int(a), int(b)


def near_dup_eval(runner, name, corpus_dir, work, restrict_days, report):
    path = os.path.join(corpus_dir, "articles.jsonl")
    rows = load_jsonl(path)
    ids = {n: r["id"] for n, r in rows.items()}
    line_of_id = {v: k for k, v in ids.items()}
    truth_j = {}
    with open(os.path.join(corpus_dir, "near_dup_pairs.tsv"), encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        assert header[:3] == ["id_a", "id_b", "jaccard_w5"], header
        for line in f:
            a, b, j = line.rstrip("\n").split("\t")[:3]
            truth_j[frozenset((line_of_id[a], line_of_id[b]))] = float(j)
    truth = {p for p, j in truth_j.items() if j >= NEAR}

    dates = {}
    for n, r in rows.items():
        dates[n] = datetime.date.fromisoformat(r["date"][:10]) if r.get("date") else None

    def scored(pair):
        if not restrict_days:
            return True
        a, b = tuple(pair)
        return dates[a] is not None and dates[b] is not None and abs((dates[a] - dates[b]).days) <= 1

    archive = os.path.join(work, name + ".arc")
    t0 = time.perf_counter()
    results, ingest_s, summary = runner.ingest(archive, path)
    entry_of, lines_of, story_entries = entry_maps(results)

    def expand(*labelled):
        """(label, entry pairs)...: input pair -> how it was predicted (first label wins)."""
        out = {}
        for e, ls in lines_of.items():  # inputs of one entry: same normalized text
            for i in range(len(ls)):
                for j in range(i + 1, len(ls)):
                    out[frozenset((ls[i], ls[j]))] = "same entry"
        for label, entry_pairs in labelled:
            for e, f in entry_pairs:
                for a in lines_of[e]:
                    for b in lines_of[f]:
                        if a != b:
                            out.setdefault(frozenset((a, b)), label)
        return out

    # (b) classification links
    class_edges = set()
    for line, r in results.items():
        if r["status"] == "near-duplicate":
            class_edges.add(((r["story"], r["version"]), parse_entry(r["of"])))
    pred_b = expand(("of", class_edges))

    # (a) dups --threshold 0.8 on every entry, plus same-story pairs
    entries = sorted(lines_of)
    t1 = time.perf_counter()
    found = runner.dups_all(archive, entries, NEAR)
    dups_s = time.perf_counter() - t1
    query_edges, story_edges = set(), set()
    for e, matches in found.items():
        for s, v, _sim in matches:
            query_edges.add((e, (s, v)))
    for es in story_entries.values():
        es = sorted(es)
        for i in range(len(es)):
            for j in range(i + 1, len(es)):
                story_edges.add((es[i], es[j]))
    pred_a = expand(("dups", query_edges), ("same story", story_edges))
    pred_a_query_only = expand(("dups", query_edges))
    total_s = time.perf_counter() - t0

    def score(pred):
        s = {p for p in pred if scored(p)}
        tp = s & truth
        return {"predicted": len(s), "unscored": len(pred) - len(s), "tp": len(tp),
                "via": {tuple(sorted(p)): pred[p] for p in s - truth},
                "fp": sorted(tuple(sorted(p)) for p in s - truth),
                "fn": sorted(tuple(sorted(p)) for p in truth - s),
                "precision": len(tp) / len(s) if s else float("nan"),
                "recall": len(tp) / len(truth) if truth else float("nan")}

    out = {"corpus": name, "inputs": len(rows), "entries": len(entries),
           "stories": len(story_entries), "truth_pairs": len(truth),
           "truth_exact": sum(1 for p in truth if truth_j[p] == 1.0),
           "ingest_seconds": ingest_s, "dups_seconds": dups_s, "total_seconds": total_s,
           "dups_processes": len(entries), "ingest_summary": summary,
           "statuses": dict(collections.Counter(r["status"] for r in results.values())),
           "a": score(pred_a), "b": score(pred_b), "a_query_only": score(pred_a_query_only),
           "query_edges": len(query_edges), "story_edges": len(story_edges)}
    out["_rows"], out["_truth_j"], out["_entry_of"], out["_results"] = rows, truth_j, entry_of, results
    out["_scored"] = scored
    report[name] = out
    return out


# --------------------------------------------------------------------------
# 2. Keyless updates (wiki-versions-en)

def wiki_eval(runner, corpus_dir, work, report):
    src = os.path.join(corpus_dir, "versions.jsonl")
    rows = load_jsonl(src)
    copy = os.path.join(work, "wiki-nokey.jsonl")
    with open(copy, "w", encoding="utf-8") as f:
        for n in sorted(rows):
            f.write(json.dumps({"title": rows[n].get("title"), "text": rows[n]["text"]},
                               ensure_ascii=False) + "\n")
    # the copy has one line per input line, in the same order
    by_pos = {i: n for i, n in enumerate(sorted(rows), 1)}
    t0 = time.perf_counter()
    results, ingest_s, summary = runner.ingest(os.path.join(work, "wiki.arc"), copy)
    res = {by_pos[i]: r for i, r in results.items()}
    founder = {r["story"]: rows[n]["article_id"] for n, r in res.items() if r["status"] == "new"}
    versions = {}
    for n, r in rows.items():
        versions[(r["article_id"], r["version"])] = n
    sh = {n: shingles(r["text"]) for n, r in rows.items()}
    pairs = []
    for (aid, k), n in versions.items():
        m = versions.get((aid, k + 1))
        if m is None:
            continue
        j = jaccard(sh[n], sh[m])
        same = (res[n]["status"] != "rejected" and res[m]["status"] != "rejected"
                and res[n]["story"] == res[m]["story"])
        pairs.append({"article": aid, "k": k, "a": n, "b": m, "j": j, "same": same,
                      "status_b": res[m]["status"], "of_b": res[m]["of"],
                      "sim_b": res[m]["similarity"]})
    wrong = [(n, r) for n, r in res.items()
             if r["status"] not in ("new", "rejected") and founder[r["story"]] != rows[n]["article_id"]]
    stories_per_article = collections.defaultdict(set)
    for n, r in res.items():
        if r["status"] != "rejected":
            stories_per_article[rows[n]["article_id"]].add(r["story"])
    total_s = time.perf_counter() - t0
    eligible = [p for p in pairs if p["j"] >= VERSION]
    out = {"inputs": len(rows), "articles": len(stories_per_article), "ingest_seconds": ingest_s,
           "total_seconds": total_s, "ingest_summary": summary,
           "statuses": dict(collections.Counter(r["status"] for r in res.values())),
           "consecutive": len(pairs), "eligible": len(eligible),
           "eligible_same": sum(p["same"] for p in eligible),
           "below_same": sum(p["same"] for p in pairs if p["j"] < VERSION),
           "below": sum(1 for p in pairs if p["j"] < VERSION),
           "wrong": len(wrong),
           "wrong_by_status": dict(collections.Counter(r["status"] for _, r in wrong)),
           "wrong_list": [{"input": rows[n]["id"], "status": r["status"], "of": r["of"],
                           "similarity": r["similarity"],
                           "story_of_article": founder[r["story"]]} for n, r in wrong],
           "articles_one_story": sum(1 for s in stories_per_article.values() if len(s) == 1),
           "stories": len(founder)}
    out["_pairs"], out["_rows"] = pairs, rows
    report["wiki"] = out
    return out


# --------------------------------------------------------------------------
# 3. Keyed updates (frontpage-revisions-de)

def frontpage_eval(runner, corpus_dir, work, order, report):
    src = os.path.join(corpus_dir, "versions.jsonl")
    rows = load_jsonl(src)
    if order == "file":
        path, by_pos = src, {n: n for n in rows}
    else:
        order_lines = sorted(rows, key=lambda n: (rows[n]["first_seen"], n))
        path = os.path.join(work, "frontpage-by-time.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for n in order_lines:
                f.write(json.dumps(rows[n], ensure_ascii=False) + "\n")
        by_pos = {i: n for i, n in enumerate(order_lines, 1)}
    t0 = time.perf_counter()
    results, ingest_s, summary = runner.ingest(os.path.join(work, "frontpage-%s.arc" % order), path)
    seq = [(by_pos[i], results[i]) for i in sorted(results)]  # ingest order
    creator = {}  # entry -> line that created it
    for n, r in seq:
        if r["status"] in ("new", "near-duplicate", "version"):
            creator[(r["story"], r["version"])] = n
    url_story, in_url_story, rejected = {}, 0, 0
    story_urls = collections.defaultdict(dict)  # story -> url -> first (line, result) in it
    for n, r in seq:
        if r["status"] == "rejected":
            rejected += 1
            continue
        url = rows[n]["url"]
        url_story.setdefault(url, r["story"])
        in_url_story += url_story[url] == r["story"]
        story_urls[r["story"]].setdefault(url, (n, r))
    mixed = {s: u for s, u in story_urls.items() if len(u) > 1}
    sh_cache = {}

    def sh(n):
        if n not in sh_cache:
            sh_cache[n] = shingles(rows[n]["text"])
        return sh_cache[n]

    details, by_class, by_exact = [], 0, 0
    for s, urls in sorted(mixed.items()):
        first_url = rows[creator[(s, 1)]]["url"]
        cls_ok = exact_ok = True
        for url, (n, r) in urls.items():
            if url == first_url:
                continue
            if r["status"] not in ("duplicate", "near-duplicate"):
                cls_ok = exact_ok = False
                details.append({"story": s, "input": rows[n]["id"], "status": r["status"], "j": None})
                continue
            j = jaccard(sh(n), sh(creator[parse_entry(r["of"])]))
            details.append({"story": s, "input": rows[n]["id"], "status": r["status"],
                            "of": r["of"], "similarity": r["similarity"], "j": j,
                            "of_input": rows[creator[parse_entry(r["of"])]]["id"]})
            exact_ok &= j >= NEAR
        by_class += cls_ok
        by_exact += exact_ok
    total_s = time.perf_counter() - t0
    out = {"order": order, "inputs": len(rows), "urls": len(url_story), "rejected": rejected,
           "ingest_seconds": ingest_s, "total_seconds": total_s, "ingest_summary": summary,
           "statuses": dict(collections.Counter(r["status"] for r in results.values())),
           "in_url_story": in_url_story, "placed": len(rows) - rejected,
           "stories": len(story_urls), "mixed": len(mixed), "mixed_by_class": by_class,
           "mixed_by_exact": by_exact, "mixed_details": details}
    report["frontpage-" + order] = out
    return out


# --------------------------------------------------------------------------
# Pair estimates and analysis

BINS = [(0.0, 0.3), (0.3, 0.6), (0.6, 0.7), (0.7, 0.75), (0.75, 0.8), (0.8, 0.85), (0.85, 0.9),
        (0.9, 1.0), (1.0, 1.01)]


def bin_label(lo, hi):
    if lo == 1.0:
        return "1.0"
    return "[%.2f, %.2f)" % (lo, hi)


def analyse_near(runner, work, nd):
    """Estimates for truth pairs with 0.6 <= J < 1 and for every wrongly scored pair."""
    rows, truth_j = nd["_rows"], nd["_truth_j"]
    want = {p for p, j in truth_j.items() if 0.6 <= j < 1.0 and nd["_scored"](p)}
    for key in ("a", "b"):
        want |= {frozenset(p) for p in nd[key]["fp"]} | {frozenset(p) for p in nd[key]["fn"]}
    want = sorted(tuple(sorted(p)) for p in want)
    t0 = time.perf_counter()
    est = runner.pair_estimates(work, [(rows[a]["text"], rows[b]["text"]) for a, b in want])
    nd["estimate_seconds"] = time.perf_counter() - t0
    nd["estimate_pairs"] = len(want)
    estimate = dict(zip(want, est))
    nd["_estimate"] = estimate
    nd["estimates"] = [[rows[a]["id"], rows[b]["id"], truth_j.get(frozenset((a, b))), e]
                       for (a, b), e in estimate.items()]
    diffs = [e - truth_j[frozenset(p)] for p, e in estimate.items()
             if e is not None and frozenset(p) in truth_j and 0.6 <= truth_j[frozenset(p)] < 1.0]
    nd["bias"] = (sum(diffs) / len(diffs), (sum(d * d for d in diffs) / len(diffs)) ** 0.5,
                  len(diffs)) if diffs else None

    def j_of(p):
        return truth_j.get(frozenset(p), None)

    for key in ("a", "b"):
        nd[key]["fp_list"] = [{"a": rows[a]["id"], "b": rows[b]["id"], "j": j_of((a, b)),
                               "estimate": estimate[(a, b)], "via": nd[key]["via"][(a, b)],
                               "entries": [nd["_entry_of"].get(a), nd["_entry_of"].get(b)]}
                              for a, b in nd[key]["fp"]]
        nd[key]["fn_list"] = [{"a": rows[a]["id"], "b": rows[b]["id"], "j": j_of((a, b)),
                               "estimate": estimate[(a, b)],
                               "entries": [nd["_entry_of"].get(a), nd["_entry_of"].get(b)]}
                              for a, b in nd[key]["fn"]]
    # calibration: share of pairs in each exact-J bin whose estimate reaches 0.8 / 0.7
    cal = []
    for lo, hi in BINS:
        if lo < 0.6 and lo != 1.0:
            continue
        ps = [p for p in want if j_of(p) is not None and lo <= j_of(p) < hi]
        if lo == 1.0:
            ps = [p for p, j in truth_j.items() if j == 1.0 and nd["_scored"](p)]
            cal.append({"bin": "1.0", "pairs": len(ps), "est_ge_08": len(ps), "est_ge_07": len(ps)})
            continue
        cal.append({"bin": bin_label(lo, hi), "pairs": len(ps),
                    "est_ge_08": sum(1 for p in ps if estimate[p] is not None and estimate[p] >= NEAR),
                    "est_ge_07": sum(1 for p in ps if estimate[p] is not None and estimate[p] >= 0.7)})
    nd["calibration"] = cal
    # verification fix: LSH candidates at estimate >= t, then exact J >= 0.8.
    truth_pairs = [tuple(sorted(p)) for p, j in truth_j.items() if j >= NEAR and nd["_scored"](p)]
    ver = {}
    for t in (0.8, 0.75, 0.7, 0.65):
        hit = sum(1 for p in truth_pairs if truth_j[frozenset(p)] == 1.0 or
                  (estimate.get(p) is not None and estimate[p] >= t))
        ver[t] = (hit, len(truth_pairs))
    nd["verify"] = ver


def analyse_wiki(runner, work, wk):
    pairs = [p for p in wk["_pairs"] if p["j"] >= VERSION and not p["same"]]
    rows = wk["_rows"]
    est = runner.pair_estimates(work, [(rows[p["a"]]["text"], rows[p["b"]]["text"]) for p in pairs])
    for p, e in zip(pairs, est):
        p["estimate"] = e
    wk["missed"] = [{"article": p["article"], "k": p["k"], "j": p["j"], "estimate": p["estimate"],
                     "status_b": p["status_b"], "of_b": p["of_b"], "sim_b": p["sim_b"]}
                    for p in pairs]
    bins = []
    for lo, hi in [(0.5, 0.55), (0.55, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.01)]:
        ps = [p for p in wk["_pairs"] if lo <= p["j"] < hi]
        bins.append({"bin": "[%.2f, %.2f)" % (lo, min(hi, 1.0)) if hi <= 1 else "[%.2f, 1.00]" % lo,
                     "pairs": len(ps), "same": sum(p["same"] for p in ps)})
    wk["bins"] = bins


# --------------------------------------------------------------------------
# Report

def machine():
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = open("/proc/loadavg").read().split()[:3] if os.path.exists("/proc/loadavg") else []
    return cpu, os.cpu_count(), " ".join(load)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--newsarc", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--jobs", type=int, default=max(2, os.cpu_count() or 2),
                    help="parallel dups / estimate processes")
    ap.add_argument("--init-args", default="", help="extra `newsarc init` arguments, e.g. '--perms 256'")
    ap.add_argument("--only", default="bbc,reuters,wiki,frontpage")
    ap.add_argument("--no-estimates", action="store_true", help="skip the pair-estimate analysis")
    args = ap.parse_args()
    runner = Runner(args.newsarc, args.init_args.split(), args.jobs)
    os.makedirs(args.work, exist_ok=True)
    only = set(args.only.split(","))
    report = {}
    t_start = time.perf_counter()
    cpu, ncpu, load_before = machine()
    version = subprocess.run([args.newsarc, "--version"], stdout=subprocess.PIPE, text=True).stdout.strip()
    runner.init(os.path.join(args.work, "params.arc"))
    params = json.loads(subprocess.run([args.newsarc, "-a", os.path.join(args.work, "params.arc"),
                                        "stats", "--json"], stdout=subprocess.PIPE, text=True).stdout)
    shutil.rmtree(os.path.join(args.work, "params.arc"))

    near = []
    if "bbc" in only:
        near.append(near_dup_eval(runner, "bbc", os.path.join(args.corpus, "bbc-fulltext-en"),
                                  args.work, False, report))
    if "reuters" in only:
        near.append(near_dup_eval(runner, "reuters", os.path.join(args.corpus, "reuters21578-en"),
                                  args.work, True, report))
    wk = fps = None
    if "wiki" in only:
        wk = wiki_eval(runner, os.path.join(args.corpus, "wiki-versions-en"), args.work, report)
    if "frontpage" in only:
        fps = [frontpage_eval(runner, os.path.join(args.corpus, "frontpage-revisions-de"),
                              args.work, order, report) for order in ("file", "time")]
    if not args.no_estimates:
        t0 = time.perf_counter()
        for nd in near:
            analyse_near(runner, args.work, nd)
        if wk:
            analyse_wiki(runner, args.work, wk)
        report["estimate_seconds"] = time.perf_counter() - t0
    # sanity: own exact J against the TSVs
    sanity = []
    for nd in near:
        rows, diffs = nd["_rows"], []
        cache = {}
        for p, j in nd["_truth_j"].items():
            a, b = tuple(p)
            for n in (a, b):
                if n not in cache:
                    cache[n] = shingles(rows[n]["text"])
            diffs.append(abs(jaccard(cache[a], cache[b]) - j))
        sanity.append((nd["corpus"], len(diffs), max(diffs), sum(d > 0.01 for d in diffs)))
    wall = time.perf_counter() - t_start
    _, _, load_after = machine()

    # ---------------- Markdown
    md, failed = [], []
    P = md.append
    P("## Accuracy results")
    P("")
    P("newsarc: `%s`; parameters: k=%s, P=%s, bands %sx%s, near-duplicate >= %s, version >= %s%s." % (
        version, params["shingle"], params["perms"], params["bands"], params["rows"],
        params["near_duplicate_threshold"], params["version_threshold"],
        " (init %s)" % args.init_args if args.init_args else " (defaults)"))
    P("Machine: %s, %s CPUs; load average %s before, %s after; %d parallel processes for `dups`." % (
        cpu, ncpu, load_before, load_after, args.jobs))
    P("")
    P("| Measure | Corpus | Measured | Target | Met |")
    P("|---|---|---|---|---|")

    def target_row(measure, corpus, value, num, den, target, cmp=">="):
        v = num / den if den else float("nan")
        met = v >= target if cmp == ">=" else v <= target
        if not met:
            failed.append("%s %s" % (measure, corpus))
        P("| %s | %s | %s | %s %s | %s |" % (measure, corpus, value, cmp.replace(">=", "≥").replace("<=", "≤"),
                                              target, ok(met)))

    for nd in near:
        label = "BBC (all pairs)" if nd["corpus"] == "bbc" else "Reuters (pairs within ±1 day)"
        for key, what in (("a", "(a) query: `dups --threshold 0.8` + own story"),
                          ("b", "(b) classification links")):
            s = nd[key]
            target_row("Near-dup recall at J ≥ 0.8, " + what, label,
                       fmt_share(s["tp"], nd["truth_pairs"]), s["tp"], nd["truth_pairs"], TARGET_RECALL)
            target_row("Near-dup precision at J ≥ 0.8, " + what, label,
                       fmt_share(s["tp"], s["predicted"]), s["tp"], s["predicted"], TARGET_PRECISION)
    if wk:
        target_row("Consecutive versions with J ≥ 0.5 in the same story", "wiki-versions-en, no keys",
                   fmt_share(wk["eligible_same"], wk["eligible"]), wk["eligible_same"], wk["eligible"],
                   TARGET_WIKI_SHARE)
        target_row("Inputs placed in another article's story", "wiki-versions-en, no keys",
                   str(wk["wrong"]), wk["wrong"], 1, 0, "<=")
    if fps:
        for fp in fps:
            label = "frontpage-revisions-de, URL keys, %s order" % ("file" if fp["order"] == "file" else "first_seen")
            target_row("Versions in their URL's story", label, fmt_share(fp["in_url_story"], fp["placed"]),
                       fp["in_url_story"], fp["placed"], 1.0)
            bad = fp["mixed"] - fp["mixed_by_exact"]
            target_row("Stories mixing URLs without near-duplicate copy (exact J ≥ 0.8)", label,
                       "%d (of %d mixing; %d justified by classification alone)" % (
                           bad, fp["mixed"], fp["mixed_by_class"]), bad, 1, 0, "<=")
    P("")

    if near:
        P("### Near-duplicate pairs")
        P("")
        P("| Corpus | Inputs | Entries / stories | Truth pairs J ≥ 0.8 (exact dup) | Method | Predicted | TP | FP | FN | Not scored (> 1 day) |")
        P("|---|---|---|---|---|---|---|---|---|---|")
        for nd in near:
            for key, what in (("a", "(a)"), ("a_query_only", "(a) without own-story pairs"), ("b", "(b)")):
                s = nd[key]
                P("| %s | %d | %d / %d | %d (%d) | %s | %d | %d | %d | %d | %d |" % (
                    nd["corpus"], nd["inputs"], nd["entries"], nd["stories"], nd["truth_pairs"],
                    nd["truth_exact"], what, s["predicted"], s["tp"], len(s["fp"]), len(s["fn"]),
                    s["unscored"]))
        P("")
        for nd in near:
            P("%s: ingest %s; `dups` on %d entries %.1f s, whole evaluation %.1f s." % (
                nd["corpus"], nd["ingest_summary"] or "%.2f s" % nd["ingest_seconds"],
                nd["dups_processes"], nd["dups_seconds"], nd["total_seconds"]))
        P("")
        for name, n, mx, over in sanity:
            P("Own exact J vs `near_dup_pairs.tsv` (%s, %d pairs): max |ΔJ| = %.4f, %d pairs differ by more than 0.01." % (
                name, n, mx, over))
        P("")
        if not args.no_estimates:
            P("Misclassified pairs, with exact J (TSV) and newsarc's estimate:")
            P("")
            P("| Corpus | Method | Kind | Article A | Article B | Entries | Exact J | Estimate | Predicted by |")
            P("|---|---|---|---|---|---|---|---|---|")
            for nd in near:
                for key in ("a", "b"):
                    for kind, lst in (("FN", nd[key]["fn_list"]), ("FP", nd[key]["fp_list"])):
                        for x in lst:
                            P("| %s | (%s) | %s | %s | %s | %s | %s | %s | %s |" % (
                                nd["corpus"], key, kind, x["a"], x["b"],
                                " / ".join("%d@%d" % e if e else "-" for e in x["entries"]),
                                "%.4f" % x["j"] if x["j"] is not None else "< 0.3",
                                "%.4f" % x["estimate"] if x["estimate"] is not None else "?",
                                x.get("via", "-")))
            P("")
            P("Estimate vs exact J (ground-truth pairs, J ≥ 0.6; exact J = 1 gives identical signatures):")
            P("")
            for nd in near:
                if nd["bias"]:
                    P("%s: estimate − exact J over %d pairs with 0.6 ≤ J < 1: mean %+.4f, RMS %.4f "
                      "(binomial σ at J = 0.8: %.4f)." % (nd["corpus"], nd["bias"][2], nd["bias"][0],
                                                          nd["bias"][1], (0.16 / params["perms"]) ** 0.5))
            P("")
            P("| Exact J | " + " | ".join(nd["corpus"] + " pairs, est ≥ 0.8, est ≥ 0.7" for nd in near) + " |")
            P("|---|" + "---|" * len(near))
            for i, c in enumerate(near[0]["calibration"]):
                cells = []
                for nd in near:
                    c = nd["calibration"][i]
                    cells.append("%d, %d, %d" % (c["pairs"], c["est_ge_08"], c["est_ge_07"]))
                P("| %s | %s |" % (c["bin"], " | ".join(cells)))
            P("")
            b, r = params["bands"], params["rows"]
            P("Recall if candidates at estimate ≥ t were verified with exact J ≥ 0.8 (precision then 1 by "
              "construction; the band layout %dx%d makes a pair at J = 0.65 a candidate with probability "
              "%.6f, taken as 1):" % (b, r, 1 - (1 - 0.65 ** r) ** b))
            P("")
            P("| t | " + " | ".join(nd["corpus"] for nd in near) + " |")
            P("|---|" + "---|" * len(near))
            for t in (0.8, 0.75, 0.7, 0.65):
                P("| %.2f | %s |" % (t, " | ".join(fmt_share(*nd["verify"][t]) for nd in near)))
            P("")
    if wk:
        P("### Keyless updates: wiki-versions-en")
        P("")
        P("Ingest: %s (%.1f s). %d articles, %d stories; %d articles end in one story." % (
            wk["ingest_summary"], wk["ingest_seconds"], wk["articles"], wk["stories"],
            wk["articles_one_story"]))
        P("")
        P("| Consecutive pairs by exact J | Pairs | Same story |")
        P("|---|---|---|")
        P("| all | %d | %d |" % (wk["consecutive"], wk["below_same"] + wk["eligible_same"]))
        P("| < 0.5 | %d | %d |" % (wk["below"], wk["below_same"]))
        for b in wk.get("bins", []):
            P("| %s | %d | %d |" % (b["bin"], b["pairs"], b["same"]))
        P("")
        P("Inputs in another article's story: %d %s." % (wk["wrong"], json.dumps(wk["wrong_by_status"])))
        for x in wk["wrong_list"][:20]:
            P("- %s (%s of %s, estimate %s) in a story of %s" % (
                x["input"], x["status"], x["of"], x["similarity"], x["story_of_article"]))
        P("")
        if "missed" in wk and wk["missed"]:
            P("Consecutive pairs with J ≥ 0.5 split into two stories:")
            P("")
            P("| Article | k → k+1 | Exact J | Estimate (pair alone) | Status of k+1 | of | Its similarity |")
            P("|---|---|---|---|---|---|---|")
            for x in sorted(wk["missed"], key=lambda x: x["j"]):
                P("| %s | %d → %d | %.4f | %s | %s | %s | %s |" % (
                    x["article"], x["k"], x["k"] + 1, x["j"],
                    "%.4f" % x["estimate"] if x["estimate"] is not None else "?", x["status_b"],
                    x["of_b"], x["sim_b"]))
            P("")
    if fps:
        P("### Keyed updates: frontpage-revisions-de")
        P("")
        P("| Order | Ingest | URLs | Stories | Versions in URL's story | Stories mixing URLs | justified by classification | and by exact J ≥ 0.8 |")
        P("|---|---|---|---|---|---|---|---|")
        for fp in fps:
            P("| %s | %s | %d | %d | %d / %d | %d | %d | %d |" % (
                fp["order"], fp["ingest_summary"], fp["urls"], fp["stories"], fp["in_url_story"],
                fp["placed"], fp["mixed"], fp["mixed_by_class"], fp["mixed_by_exact"]))
        P("")
        for fp in fps:
            hist = collections.Counter()
            for d in fp["mixed_details"]:
                j = d["j"]
                hist["no copy" if j is None else "1.0" if j == 1.0 else ">= 0.8" if j >= NEAR
                     else ">= 0.5" if j >= 0.5 else "< 0.5"] += 1
            P("%s order: other URLs' first inputs in mixing stories by exact J to their match: %s." % (
                fp["order"], ", ".join("%s: %d" % kv for kv in sorted(hist.items()))))
            bad = [d for d in fp["mixed_details"] if d["j"] is None or d["j"] < NEAR]
            for d in bad[:15]:
                P("- story %d: %s %s of %s (%s), estimate %s, exact J %s" % (
                    d["story"], d["input"], d["status"], d.get("of"), d.get("of_input"),
                    d.get("similarity"), "%.4f" % d["j"] if d["j"] is not None else "-"))
        P("")
    P("### Timings (wall clock)")
    P("")
    P("| Step | Seconds |")
    P("|---|---|")
    for nd in near:
        P("| %s: `ingest --json` into a fresh archive | %.2f |" % (nd["corpus"], nd["ingest_seconds"]))
        P("| %s: `dups STORY@N --threshold 0.8 --json`, %d processes, %d at a time | %.1f |" % (
            nd["corpus"], nd["dups_processes"], args.jobs, nd["dups_seconds"]))
    if wk:
        P("| wiki-versions-en: `ingest --json` of the keyless copy | %.2f |" % wk["ingest_seconds"])
    for fp in fps or []:
        P("| frontpage-revisions-de (%s order): `ingest --json` | %.2f |" % (fp["order"], fp["ingest_seconds"]))
    if "estimate_seconds" in report:
        P("| pair estimates (two-article archives: %s pairs) | %.1f |" % (
            " + ".join(str(nd["estimate_pairs"]) for nd in near) + (" + %d wiki" % len(wk["missed"]) if wk else ""),
            report["estimate_seconds"]))
    P("| whole run (including exact Jaccard in Python) | %.1f |" % wall)
    P("")
    P("Result: " + ("all targets met." if not failed else "**targets missed: %s**." % "; ".join(failed)))
    text = "\n".join(md) + "\n"
    sys.stdout.write(text)
    with open(os.path.join(args.work, "accuracy.md"), "w", encoding="utf-8") as f:
        f.write(text)

    def clean(o):
        if isinstance(o, dict):
            return {str(k): clean(v) for k, v in o.items() if not str(k).startswith("_")}
        if isinstance(o, (list, tuple, set)):
            return [clean(v) for v in o]
        return o if not callable(o) else None
    with open(os.path.join(args.work, "accuracy.json"), "w", encoding="utf-8") as f:
        json.dump(clean(report), f, indent=1, default=str)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
