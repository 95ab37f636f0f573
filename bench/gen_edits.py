#!/usr/bin/env python3
"""Generate a benchmark corpus with realistic edits from a JSONL news corpus.

Reads JSON Lines articles ({"id", "title", "date", "text", ...}) and writes
--count articles as JSON Lines:

  ~10 %  exact copy of an earlier generated article (same text, new id)
  ~10 %  near-duplicate of an earlier article: a new headline line and one
         sentence changed or added
  ~10 %  updated version of an earlier article: a few sentences edited and a
         paragraph appended
  rest   originals, cycling through the input corpus. The first pass uses the
         text unchanged; on later passes every --stride-th word is replaced by
         a numbered token ("r3w17") so repeats are distinct stories rather
         than duplicates of the first pass (with the default stride of 4, every
         word 5-shingle contains a replaced word).

Every article gets a URL (https://bench.example.org/<id>) except updates,
which keep the URL of the article they update (--update-url new gives them
their own; newsarc then has to find them by similarity alone, and since a
keyed article is never filed as a version by similarity, most become new).

Every output line carries "bench_kind" (original/copy/near/update) and, for
edits, "bench_of" (the id of the article it was derived from) as ground truth;
newsarc ignores unknown fields. Output is fully determined by --seed.

Stdlib only:  python3 bench/gen_edits.py --input articles.jsonl --count 100000 \
                  --seed 1 --output edits.jsonl
"""
import argparse
import json
import random
import re
import sys

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(]?[A-Z0-9])")
WORD = re.compile(r"[A-Za-z]{4,}")
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")

URL = "https://bench.example.org/%s"
HEADLINE_PREFIXES = ["UPDATE 1-", "UPDATE 2-", "REFILE-", "CORRECTED-", "RPT-", "WRAPUP-"]
HEADLINE_SUFFIXES = [" - SOURCES", " - OFFICIAL", ", ANALYSTS SAY", " (UPDATE)", ""]
REPLACEMENTS = {
    "said": "stated", "rose": "climbed", "fell": "dropped", "higher": "stronger",
    "lower": "weaker", "company": "firm", "market": "markets", "expected": "forecast",
    "increase": "rise", "decrease": "decline", "shares": "stock", "government": "administration",
    "billion": "million", "million": "billion", "profit": "earnings", "year": "period",
    "week": "month", "Monday": "Tuesday", "Tuesday": "Wednesday", "Wednesday": "Thursday",
    "Thursday": "Friday", "Friday": "Monday", "March": "April", "April": "May",
}
ADDED_SENTENCES = [
    "A spokesman declined to comment further on the report.",
    "Officials said more details would be released later in the day.",
    "The figures were revised from a preliminary estimate issued earlier.",
    "Analysts said the move had been widely anticipated in the market.",
    "The statement did not say when the measures would take effect.",
    "Trading in the shares was halted pending the announcement.",
]


def split_title_body(text):
    """Reuters texts are 'TITLE\\n\\nBODY'; other texts may have no title line."""
    head, sep, body = text.partition("\n\n")
    if sep and len(head) < 200 and "\n" not in head:
        return head, body
    return None, text


def sentence_spans(body):
    """(start, end) spans of sentences in body, whitespace between them excluded."""
    spans, start = [], 0
    for m in SENTENCE_END.finditer(body):
        spans.append((start, m.start()))
        start = m.end()
    if start < len(body):
        spans.append((start, len(body.rstrip())))
    return [s for s in spans if s[1] > s[0]]


def edit_sentence(rng, sentence, tag, max_words):
    """Change a sentence the way a wire update would: a number and a word or two."""
    numbers = list(NUMBER.finditer(sentence))
    out = sentence
    if numbers and rng.random() < 0.5:
        m = rng.choice(numbers)
        new = str(int(re.sub(r"\D", "", m.group())) + rng.randint(1, 9))
        out = out[:m.start()] + new + out[m.end():]
    words = list(WORD.finditer(out))
    if not words:
        return out + " (" + tag + ")"
    picks = rng.sample(words, k=min(len(words), rng.randint(1, max_words)))
    for m in sorted(picks, key=lambda m: m.start(), reverse=True):
        w = m.group()
        new = REPLACEMENTS.get(w, tag + w.lower())
        out = out[:m.start()] + new + out[m.end():]
    return out


def replace_span(text, span, new):
    return text[:span[0]] + new + text[span[1]:]


def make_near(rng, art, n):
    title, body = split_title_body(art["text"])
    base_title = title if title is not None else art.get("title") or "REPORT"
    headline = rng.choice(HEADLINE_PREFIXES) + base_title + rng.choice(HEADLINE_SUFFIXES)
    spans = sentence_spans(body)
    if spans and rng.random() < 0.5:
        span = rng.choice(spans)
        body = replace_span(body, span, edit_sentence(rng, body[span[0]:span[1]], "n%d" % n, 1))
    else:
        body = body.rstrip() + " " + rng.choice(ADDED_SENTENCES) + "\n"
    return headline, headline + "\n\n" + body


def make_update(rng, art, corpus, n):
    title, body = split_title_body(art["text"])
    spans = sentence_spans(body)
    if spans:
        # "A few" sentences: 1-3, but at most a quarter of a short story's.
        k = max(1, min(rng.randint(1, 3), len(spans) // 4))
        for span in sorted(rng.sample(spans, k), reverse=True):
            body = replace_span(body, span, edit_sentence(rng, body[span[0]:span[1]], "u%d" % n, 2))
    # Appended paragraph: two or three sentences of another story, lightly edited.
    other = rng.choice(corpus)
    _, obody = split_title_body(other["text"])
    ospans = sentence_spans(obody)
    if ospans:
        i = rng.randrange(len(ospans))
        para = " ".join(obody[s:e] for s, e in ospans[i:i + max(1, min(3, len(spans) // 3))])
        para = re.sub(r"\s+", " ", para)
    else:
        para = rng.choice(ADDED_SENTENCES)
    body = body.rstrip() + "\n    " + para + "\n"
    text = (title + "\n\n" + body) if title is not None else body
    return title or art.get("title"), text


def perturb(text, cycle, stride, offset):
    """Replace every stride-th word by a numbered token (cycle >= 1)."""
    count = [0]

    def sub(m):
        count[0] += 1
        if (count[0] + offset) % stride == 0:
            return "r%dw%d" % (cycle, count[0])
        return m.group()

    return re.sub(r"\w+", sub, text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--input", required=True, help="JSONL corpus (needs a \"text\" field)")
    ap.add_argument("--count", type=int, default=100000, help="articles to write")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--output", default="-", help="output JSONL (- for stdout)")
    ap.add_argument("--stride", type=int, default=4,
                    help="on repeat passes, replace every N-th word (default 4)")
    ap.add_argument("--update-url", choices=("same", "new"), default="same",
                    help="URL of updated versions: the updated article's (default) or a new one")
    ap.add_argument("--copy", type=float, default=0.10, help="share of exact copies")
    ap.add_argument("--near", type=float, default=0.10, help="share of near-duplicates")
    ap.add_argument("--update", type=float, default=0.10, help="share of updated versions")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    corpus = []
    with open(args.input, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                d = json.loads(line)
                if isinstance(d.get("text"), str) and d["text"].strip():
                    corpus.append(d)
    if not corpus:
        sys.exit("gen_edits.py: no articles in " + args.input)

    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    emitted = []  # (id, title, date, text) of everything written so far
    next_orig = 0
    kinds = {"original": 0, "copy": 0, "near": 0, "update": 0}
    for n in range(args.count):
        r = rng.random()
        src = None
        if emitted:
            src_i = rng.randrange(len(emitted))
            src = dict(zip(("id", "url", "title", "date", "text"), emitted[src_i]))
        if src and r < args.copy:
            kind, title, text = "copy", src["title"], src["text"]
        elif src and r < args.copy + args.near:
            kind = "near"
            title, text = make_near(rng, src, n)
        elif src and r < args.copy + args.near + args.update:
            kind = "update"
            title, text = make_update(rng, src, corpus, n)
        else:
            kind, src = "original", None
            base = corpus[next_orig % len(corpus)]
            cycle = next_orig // len(corpus)
            next_orig += 1
            title, text = base.get("title"), base["text"]
            if cycle > 0:
                text = perturb(text, cycle, args.stride, rng.randrange(args.stride))
                title = perturb(title, cycle, args.stride, 0) if title else title
        art_id = "gen-%d" % (n + 1)
        date = src["date"] if src else base.get("date")
        # The URL is the story's identity across scrapes: an update keeps the
        # URL of the article it updates (newsarc files it as a version by key);
        # copies and near-duplicates are re-publications under a new URL.
        url = src["url"] if kind == "update" and args.update_url == "same" else URL % art_id
        rec = {"id": art_id, "url": url, "title": title, "date": date, "source": "bench",
               "text": text, "bench_kind": kind}
        if src:
            rec["bench_of"] = src["id"]
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        emitted.append((art_id, url, title, date, text))
        kinds[kind] += 1
    if out is not sys.stdout:
        out.close()
    print("gen_edits.py: wrote %d articles: %s" % (args.count, ", ".join(
        "%s %d" % kv for kv in kinds.items())), file=sys.stderr)


if __name__ == "__main__":
    main()
