#!/usr/bin/env python3
"""Write a revision chain of one article: N versions under one URL.

Two sources:

  synthetic (default)  one article of a JSONL corpus (default: the German
                       10kGNAD test split), edited N-1 times. Each revision
                       applies --ops-min..--ops-max (default 2-3) newsroom-style
                       edits to the previous one:
                         replace  a word or a short phrase of one sentence by
                                  other words of the article, or a number by
                                  another number (a corrected figure)
                         insert   a new sentence after a random sentence: a
                                  stock newsroom sentence naming a noun of the
                                  article, or a sentence built from words of
                                  the article
                         delete   one sentence (only while the text is longer
                                  than 85 % of the original, so the chain keeps
                                  its size)
                       Fully determined by --seed.
  --versions FILE      a real chain: the versions of one article of a JSONL
                       file with "article_id" and "version" fields, such as
                       wiki-versions-en/versions.jsonl. --article picks one by
                       article_id; by default the first article (in file order)
                       with the most versions, among those whose first version
                       has at least --min-bytes bytes. The first N versions are
                       taken in "version" order.

Output: JSON Lines on --output (default stdout), one line per revision, all
with the same "url" (the source's url, if any, so newsarc files them as versions of one story), ids
<source id>-rNN, and "bench_ops" describing the edits (newsarc ignores unknown
fields). With --dir DIR also DIR/rev01.txt, rev02.txt, ...: each revision's
text, byte-identical to the JSON "text" (for git). A summary goes to stderr.

Stdlib only:
  python3 bench/gen_revisions.py --output chain.jsonl --dir revs/
  python3 bench/gen_revisions.py --versions .../wiki-versions-en/versions.jsonl \
      --output wiki.jsonl --dir wiki-revs/
"""
import argparse
import json
import os
import random
import re
import sys

DEFAULT_INPUT = "/work/shared/corpus/gnad10k-test-de/articles.jsonl"

# A sentence ends at . ! ? (optionally followed by a closing quote) before
# whitespace and an upper-case letter, digit or opening quote. German and
# English alike.
SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"“”»']))\s+(?=[\"„“«(]?[A-ZÄÖÜ0-9])")
WORD = re.compile(r"[^\W\d_]{4,}")
NOUN = re.compile(r"\b[A-ZÄÖÜ][a-zäöüß]{4,}\b")
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")

# Stock sentences of German news updates; {n} is a noun taken from the article.
TEMPLATES_DE = [
    "Eine Stellungnahme zu {n} lag bis Redaktionsschluss nicht vor.",
    "Ein Sprecher wollte sich zu {n} zunächst nicht äußern.",
    "Weitere Details zu {n} sollen im Laufe des Tages bekanntgegeben werden.",
    "Die Angaben zu {n} wurden inzwischen bestätigt.",
    "Nach Angaben der Agentur APA ist {n} weiterhin Gegenstand von Gesprächen.",
    "Die Zahlen zu {n} wurden gegenüber einer ersten Meldung korrigiert.",
    "Kritik an {n} kam am Abend auch aus der Opposition.",
    "Wie es mit {n} weitergeht, ist derzeit offen.",
]
TEMPLATES_EN = [
    "A spokesperson declined to comment on {n}.",
    "More details about {n} are expected later in the day.",
    "The figures on {n} were revised from an earlier report.",
    "It was not immediately clear what {n} would mean for the talks.",
]


def sentence_spans(text):
    """(start, end) spans of the sentences of text, separating whitespace excluded."""
    spans, start = [], 0
    for m in SENTENCE_END.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    end = len(text.rstrip())
    if start < end:
        spans.append((start, end))
    return [s for s in spans if s[1] > s[0]]


class Editor:
    def __init__(self, rng, original, lang):
        self.rng = rng
        self.original_len = len(original)
        words = WORD.findall(original)
        self.vocab = sorted(set(words)) or ["Text"]
        self.nouns = sorted(set(NOUN.findall(original))) or self.vocab
        self.templates = TEMPLATES_DE if lang == "de" else TEMPLATES_EN

    def replace(self, text, spans):
        rng = self.rng
        s, e = rng.choice(spans)
        sentence = text[s:e]
        numbers = list(NUMBER.finditer(sentence))
        if numbers and rng.random() < 0.3:
            m = rng.choice(numbers)
            digits = re.sub(r"\D", "", m.group()) or "0"
            new = str(int(digits) + rng.randint(1, 9))
            what = "number %s -> %s" % (m.group(), new)
            sentence = sentence[:m.start()] + new + sentence[m.end():]
        else:
            words = list(WORD.finditer(sentence))
            if not words:
                return self.insert(text, spans)
            i = rng.randrange(len(words))
            j = min(len(words), i + rng.choice([1, 1, 2, 3]))  # a word or a short phrase
            a, b = words[i].start(), words[j - 1].end()
            old = sentence[a:b]
            new = old
            while new.casefold() == old.casefold():
                new = " ".join(rng.choice(self.vocab) for _ in range(j - i))
            what = "replace %r -> %r" % (old, new)
            sentence = sentence[:a] + new + sentence[b:]
        return text[:s] + sentence + text[e:], what

    def insert(self, text, spans):
        rng = self.rng
        if rng.random() < 0.5:
            new = rng.choice(self.templates).format(n=rng.choice(self.nouns))
        else:
            words = [rng.choice(self.vocab) for _ in range(rng.randint(7, 16))]
            new = " ".join(words)
            new = new[0].upper() + new[1:] + "."
        # After a sentence (never before the first: the first line is the headline).
        _, e = rng.choice(spans)
        return text[:e] + " " + new + text[e:], "insert %r" % new

    def delete(self, text, spans):
        rng = self.rng
        if len(spans) < 4 or len(text) < 0.85 * self.original_len:
            return self.insert(text, spans)
        i = rng.randrange(1, len(spans))  # keep the first sentence (headline and lead)
        s, e = spans[i]
        # Remove the sentence and the whitespace before it.
        prev_end = spans[i - 1][1]
        return text[:prev_end] + text[e:], "delete %r" % text[s:e]

    def revise(self, text, n_ops):
        """n_ops edits; more while the result would still normalize to the old
        text (newsarc would file that as a duplicate, not a version)."""
        before, ops = normalized(text), []
        while len(ops) < n_ops or normalized(text) == before:
            spans = sentence_spans(text)
            kind = self.rng.choices(["replace", "insert", "delete"], weights=[5, 3, 2])[0]
            text, what = getattr(self, kind)(text, spans)
            ops.append(what)
        return text, ops


def normalized(text):
    """Roughly newsarc's comparison form: case and punctuation folded."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def synthetic_chain(args):
    with open(args.input, encoding="utf-8") as f:
        articles = [json.loads(line) for line in f if line.strip()]
    if args.index is not None:
        idx = args.index
    else:
        idx = next((i for i, a in enumerate(articles)
                    if len(a.get("text", "").encode("utf-8")) >= args.min_bytes), None)
        if idx is None:
            sys.exit("gen_revisions.py: no article with >= %d bytes of text" % args.min_bytes)
    art = articles[idx]
    text = art["text"]
    lang = args.lang or ("de" if re.search(r"[äöüß]| und | der | die ", text) else "en")
    rng = random.Random("%s/%d" % (args.seed, idx))
    editor = Editor(rng, text, lang)
    source_id = art.get("id") or "article%d" % idx
    revs = [(text, ["original: %s (line %d of %s)" % (source_id, idx + 1, os.path.basename(args.input))])]
    for _ in range(args.revisions - 1):
        text, ops = editor.revise(text, rng.randint(args.ops_min, args.ops_max))
        revs.append((text, ops))
    url = "https://bench.example.org/revchain/%s" % source_id
    return source_id, url, revs, "synthetic %s, %d revisions, seed %s" % (source_id, len(revs), args.seed)


def versions_chain(args):
    by_article, order = {}, []
    with open(args.versions, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            v = json.loads(line)
            aid = v["article_id"]
            if aid not in by_article:
                by_article[aid] = []
                order.append(aid)
            by_article[aid].append(v)
    for vs in by_article.values():
        vs.sort(key=lambda v: v["version"])
    if args.article:
        if args.article not in by_article:
            sys.exit("gen_revisions.py: no article_id %s in %s" % (args.article, args.versions))
        aid = args.article
    else:
        ok = [a for a in order
              if len(by_article[a][0]["text"].encode("utf-8")) >= args.min_bytes]
        if not ok:
            sys.exit("gen_revisions.py: no article with a first version >= %d bytes" % args.min_bytes)
        longest = max(len(by_article[a]) for a in ok)
        aid = next(a for a in ok if len(by_article[a]) == longest)
    vs = by_article[aid][:args.revisions]
    revs = [(v["text"], ["version %s of %s (%s)" % (v["version"], aid, v.get("id"))]) for v in vs]
    title = vs[0].get("title") or aid
    desc = "%s %r: %d versions (of %d stored)" % (aid, title, len(vs), len(by_article[aid]))
    url = vs[0].get("url") or "https://bench.example.org/revchain/%s" % aid
    return aid, url, revs, desc


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--input", default=DEFAULT_INPUT, help="JSONL corpus for the synthetic chain")
    ap.add_argument("--index", type=int, help="0-based line of the article to edit "
                    "(default: the first with >= --min-bytes bytes of text)")
    ap.add_argument("--versions", help="JSONL of real versions (article_id, version): take a real chain")
    ap.add_argument("--article", help="article_id for --versions (default: first longest chain)")
    ap.add_argument("--min-bytes", type=int, default=3000, help="minimum size of the first version")
    ap.add_argument("--revisions", "-n", type=int, default=20, help="revisions in the chain (default 20)")
    ap.add_argument("--ops-min", type=int, default=2)
    ap.add_argument("--ops-max", type=int, default=3)
    ap.add_argument("--seed", default="1")
    ap.add_argument("--lang", choices=["de", "en"], help="language of inserted stock sentences (default: guessed)")
    ap.add_argument("--url", help="URL of all revisions (default: the source's url, else "
                    "https://bench.example.org/revchain/<id>)")
    ap.add_argument("--output", "-o", help="JSONL output (default stdout)")
    ap.add_argument("--dir", help="also write DIR/revNN.txt, one file per revision")
    args = ap.parse_args()
    if args.revisions < 1 or args.ops_min < 1 or args.ops_max < args.ops_min:
        ap.error("need --revisions >= 1 and 1 <= --ops-min <= --ops-max")

    source_id, url, revs, desc = versions_chain(args) if args.versions else synthetic_chain(args)
    url = args.url or url
    out = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout
    for i, (text, ops) in enumerate(revs, 1):
        out.write(json.dumps({"id": "%s-r%02d" % (source_id, i), "url": url, "title": None,
                              "date": None, "text": text, "bench_ops": ops},
                             ensure_ascii=False) + "\n")
    if args.output:
        out.close()
    if args.dir:
        os.makedirs(args.dir, exist_ok=True)
        for name in os.listdir(args.dir):
            if re.fullmatch(r"rev\d+\.txt", name):
                os.remove(os.path.join(args.dir, name))
        width = max(2, len(str(len(revs))))
        for i, (text, _) in enumerate(revs, 1):
            with open(os.path.join(args.dir, "rev%0*d.txt" % (width, i)), "wb") as f:
                f.write(text.encode("utf-8"))
    sizes = [len(t.encode("utf-8")) for t, _ in revs]
    print("%s; url %s; bytes first %d, last %d, all %d" % (desc, url, sizes[0], sizes[-1], sum(sizes)),
          file=sys.stderr)


if __name__ == "__main__":
    main()
