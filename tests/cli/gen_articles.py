#!/usr/bin/env python3
"""Write N synthetic German-like news articles as JSON Lines, for tests.

Fully determined by --seed (and the other options). Each article is 2-4
paragraphs of random words from a vocabulary of distinct made-up words, so
unrelated articles share no word 5-shingles. Besides fresh articles the
output holds, mixed in, articles built from an earlier one:

  copy      the same text (byte-exact, or differing only in letter case and
            white space), keyless or under a new URL: a duplicate by design
  near      one word in ~120 replaced, keyless or under a new URL: a
            near-duplicate (Jaccard about 0.9)
  version   a sentence appended and a few words replaced, keyless: a keyless
            version (Jaccard about 0.65)
  update    (only with --url-updates F) the same URL as an earlier keyed
            article with changed text: a version under a known key
  reject    (only with --rejects K) a line without a "text" field

Fresh articles carry a URL (https://PREFIX.example/N) about half of the time.
--overlap-from FILE --overlap K copies K lines of another generated file
verbatim, spread over the output (for two inputs that share articles).

  python3 gen_articles.py --count 3000 --seed 1 --prefix a > a.jsonl
"""
import argparse
import json
import random
import sys

SYLLABLES = ("ber gen schaft lich keit ung hau mann stadt wal dor fen rat haus zei tung "
             "strom land burg feld wein berg see markt kir che brü cke wald hof stein bach "
             "mei ster ger ter ner lin ken sel zug bahn tal kopf hand werk zeug "
             "grü über öl ärz tin füh rer läu fer schö nau sträu ße").split()


def make_vocab(rng, size):
    words = set()
    while len(words) < size:
        w = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        words.add(w.capitalize() if rng.random() < 0.3 else w)
    return sorted(words)


def sentence(rng, vocab):
    words = [rng.choice(vocab) for _ in range(rng.randint(8, 16))]
    words[0] = words[0].capitalize()
    return " ".join(words) + rng.choice(".....!?")


def article(rng, vocab):
    paras = []
    for _ in range(rng.randint(2, 4)):
        paras.append(" ".join(sentence(rng, vocab) for _ in range(rng.randint(2, 4))))
    return "\n\n".join(paras) + "\n"


def replace_words(rng, vocab, text, n):
    words = text.split(" ")
    for _ in range(n):
        i = rng.randrange(len(words))
        tail = words[i][-1] if words[i][-1] in ".!?\n" else ""
        words[i] = rng.choice(vocab) + tail
    return " ".join(words)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--prefix", default="gen")
    ap.add_argument("--url-updates", type=float, default=0.0, metavar="F",
                    help="share of same-URL updates (default 0)")
    ap.add_argument("--rejects", type=int, default=0, metavar="K")
    ap.add_argument("--overlap-from", metavar="FILE")
    ap.add_argument("--overlap", type=int, default=0, metavar="K")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    vocab = make_vocab(rng, 20000)
    done = []  # (text, url or None) of fresh articles
    keyed = []  # indexes into done of articles with a URL
    out = []
    for i in range(a.count):
        r = rng.random()
        url = None
        if not done or r < 0.72 - a.url_updates:
            text = article(rng, vocab)
            if rng.random() < 0.5:
                url = f"https://{a.prefix}.example/{i}"
                keyed.append(len(done))
            done.append((text, url))
        elif r < 0.82 - a.url_updates:
            text = rng.choice(done)[0]
            if rng.random() < 0.5:
                text = text.upper() if rng.random() < 0.5 else text.replace(" ", "  ")
            if rng.random() < 0.5:
                url = f"https://{a.prefix}.example/copy-{i}"
        elif r < 0.91 - a.url_updates:
            base = rng.choice(done)[0]
            text = replace_words(rng, vocab, base, max(1, len(base.split(" ")) // 120))
            if rng.random() < 0.5:
                url = f"https://{a.prefix}.example/near-{i}"
        elif r < 1.0 - a.url_updates or not keyed:
            base = rng.choice(done)[0]
            text = replace_words(rng, vocab, base, 3) + sentence(rng, vocab) + "\n"
        else:
            j = rng.choice(keyed)
            base, url = done[j]
            text = replace_words(rng, vocab, base, 4) + sentence(rng, vocab) + "\n"
            done[j] = (text, url)
        obj = {"text": text}
        if url:
            obj["url"] = url
            obj["title"] = text.split(".")[0][:60]
            obj["source"] = a.prefix
        out.append(json.dumps(obj, ensure_ascii=False))
    for _ in range(a.rejects):
        out.insert(rng.randrange(len(out) + 1), json.dumps({"url": "no-text", "titel": "ohne Text"}))
    if a.overlap_from and a.overlap:
        with open(a.overlap_from, encoding="utf-8") as f:
            theirs = [line.rstrip("\n") for line in f]
        for line in rng.sample(theirs, a.overlap):
            out.insert(rng.randrange(len(out) + 1), line)
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
