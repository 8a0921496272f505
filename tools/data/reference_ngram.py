#!/usr/bin/env python3
"""scikit-learn reference for the C++ n-gram baseline (src/ngram).

The pipeline, which fastintent_ngram mirrors:
  FeatureUnion([TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
                TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 5), sublinear_tf=True)])
  + LogisticRegression(solver="liblinear", C=C)          (one-vs-rest, intercept, tol=1e-4)
with sklearn's defaults otherwise: lowercase=True, smooth_idf=True, norm="l2", min_df=1,
token_pattern r"(?u)\\b\\w\\w+\\b".

Subcommands:
  features --fit CSV [--fit-rows N] --probe CSV [--probe-rows N] --out JSON
      fits both vectorizers on the first N texts of --fit, then writes, for extra hand-written strings and the
      first rows of --probe, every non-zero feature (block, term, value), plus vocabulary sizes.
  fit --train CSV --test CSV [--C 10] --out JSON
      trains the pipeline, writes accuracy, F1 macro/weighted, training seconds and the test predictions.
"""
import argparse
import csv
import json
import time

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.pipeline import FeatureUnion, make_pipeline

# Strings that exercise the analyzers: case, Cyrillic, ё, digits, underscores, punctuation, one-letter
# words, non-ASCII whitespace, words shorter than the n-gram size.
HAND_STRINGS = [
    "Инет не пашет третий день!!!",
    "хочу сменить тариф на интернет",
    "как бы мне оператора услышать?",
    "Ёлки, опять списали 300 руб. за ТВ",
    "a b c dd e_f x1 42",
    "router\u00a0setup\u2003please",
    "  ",
    "I",
    "ПРИВЕТ привет Привет",
    "wi-fi 5ГГц не ловит; роутер TP-Link",
]


def word_vectorizer():
    return TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)


def char_vectorizer():
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 5), sublinear_tf=True)


def read_csv(path, rows=None):
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        data = [(r["text"], r["category"]) for r in reader]
    return data if rows is None else data[:rows]


def nonzeros(vectorizer, text):
    names = vectorizer.get_feature_names_out()
    row = vectorizer.transform([text]).tocoo()
    return sorted([[str(names[j]), float(v)] for j, v in zip(row.col, row.data)])


def features(args):
    fit_texts = [t for t, _ in read_csv(args.fit, args.fit_rows)] + HAND_STRINGS
    probes = HAND_STRINGS + [t for t, _ in read_csv(args.probe, args.probe_rows)]
    word, char = word_vectorizer().fit(fit_texts), char_vectorizer().fit(fit_texts)
    out = {
        "fit_texts": fit_texts,
        "word_features": len(word.vocabulary_),
        "char_features": len(char.vocabulary_),
        "probes": [{"text": t, "word": nonzeros(word, t), "char": nonzeros(char, t)} for t in probes],
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False)


def fit(args):
    train, test = read_csv(args.train), read_csv(args.test)
    model = make_pipeline(FeatureUnion([("word", word_vectorizer()), ("char", char_vectorizer())]),
                          LogisticRegression(solver="liblinear", C=args.C))
    started = time.perf_counter()
    model.fit([t for t, _ in train], [c for _, c in train])
    seconds = time.perf_counter() - started
    truth = [c for _, c in test]
    predicted = list(model.predict([t for t, _ in test]))
    result = {
        "C": args.C,
        "train_rows": len(train),
        "test_rows": len(test),
        "train_seconds": seconds,
        "accuracy": accuracy_score(truth, predicted),
        "f1_macro": f1_score(truth, predicted, average="macro", zero_division=0),
        "f1_weighted": f1_score(truth, predicted, average="weighted", zero_division=0),
        "predicted": predicted,
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False)
    print(f"sklearn n-gram baseline: accuracy {result['accuracy']:.4f}  F1 macro {result['f1_macro']:.4f}  "
          f"F1 weighted {result['f1_weighted']:.4f}  train {seconds:.1f} s  ({len(train)} train / {len(test)} test)")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    f = sub.add_parser("features")
    f.add_argument("--fit", required=True)
    f.add_argument("--fit-rows", type=int, default=2000)
    f.add_argument("--probe", required=True)
    f.add_argument("--probe-rows", type=int, default=200)
    f.add_argument("--out", required=True)
    t = sub.add_parser("fit")
    t.add_argument("--train", required=True)
    t.add_argument("--test", required=True)
    t.add_argument("--C", type=float, default=10.0)
    t.add_argument("--out", required=True)
    args = parser.parse_args()
    features(args) if args.command == "features" else fit(args)


if __name__ == "__main__":
    main()
