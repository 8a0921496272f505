#!/usr/bin/env python3
"""Writes data/telecom-ru-multilabel: telecom-ru phrases alone and joined in pairs of two different intents, for
multi-label training and evaluation ("инет не пашет третий день, и ещё верните деньги за прошлый месяц" ->
internet_down|billing_dispute). Train pairs come from telecom-ru's train split only and test pairs from its test
split only, so the two stay as separate as telecom-ru's own splits (their templates differ).

Each split holds every single phrase of its telecom-ru split (label = its intent) and about half as many
two-intent phrases: two phrases of different intents (neither `other`, whose greetings and thanks do not make a
second request), joined by a connector a customer would write, with the second phrase lower-cased at its
start; the label field names both intents in phrase order, separated by '|'. Seeded: the same seed writes the
same files.

Usage: make_telecom_ru_multilabel.py [--source data/telecom-ru] [--out data/telecom-ru-multilabel] [--seed 7]
       make_telecom_ru_multilabel.py --check   (exit 1 when the committed files differ from a fresh run)
"""
import argparse
import csv
import io
import os
import random
import sys

CONNECTORS = [", и ещё ", ". И ещё: ", ". Кроме того, ", "; а также ", ". Ещё вопрос: ", " и ", ". Плюс ",
              ", а ещё ", ". Заодно: ", "!!! и "]
PAIR_SHARE = 0.5


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return [(row["text"], row["category"]) for row in csv.DictReader(f)]


def lower_first(text):
    return text[:1].lower() + text[1:] if text else text


def build(rows, rng):
    """The single phrases and the pairs for one split."""
    out = [(text, label) for text, label in rows]
    candidates = [(text, label) for text, label in rows if label != "other"]
    for _ in range(int(len(rows) * PAIR_SHARE)):
        (a, la), (b, lb) = rng.sample(candidates, 2)
        while la == lb:
            (b, lb) = rng.choice(candidates)
        first = a.rstrip(" .!?,")
        out.append((first + rng.choice(CONNECTORS) + lower_first(b), la + "|" + lb))
    rng.shuffle(out)
    return out


def render(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["text", "category"])
    writer.writerows(rows)
    return buffer.getvalue()


def main():
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", default=os.path.join(repo, "data", "telecom-ru"))
    parser.add_argument("--out", default=os.path.join(repo, "data", "telecom-ru-multilabel"))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    files = {}
    for offset, split in enumerate(("train", "test")):
        rng = random.Random(args.seed * 1000 + offset)
        files[split + ".csv"] = render(build(read(os.path.join(args.source, split + ".csv")), rng))
    if args.check:
        for name, content in files.items():
            with open(os.path.join(args.out, name), encoding="utf-8") as f:
                if f.read() != content:
                    print(f"{name} differs from a fresh run of {__file__}")
                    return 1
        print("telecom-ru-multilabel: the committed files are what the generator writes")
        return 0
    os.makedirs(args.out, exist_ok=True)
    for name, content in files.items():
        with open(os.path.join(args.out, name), "w", encoding="utf-8") as f:
            f.write(content)
    return 0


if __name__ == "__main__":
    sys.exit(main())
