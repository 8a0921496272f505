#!/usr/bin/env python3
"""fastText as the n-gram speed and quality reference: trains a supervised fastText classifier the way its
documentation advises (word bigrams and character n-grams, hyperparameters found by fastText's own autotune on a
validation split held out of the training file, never the test file), scores it on the test file with
scikit-learn (accuracy and F1 macro, the definitions fastintent's metrics follow), and writes
  OUT_DIR/peers/fasttext/model.bin and OUT_DIR/peers/fasttext/quality.json
OUT_DIR is normally the directory of fastintent's n-gram model trained on the same data, so a study can time both
on it (runtimes fastintent-ngram and fasttext). Runs in var/peers/fasttext.

Usage: train.py --train TRAIN.csv --test TEST.csv --out MODEL_DIR [--autotune-seconds 120] [--seed 0]
"""
import argparse
import csv
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fasttext  # noqa: E402
from fasttext_text import prepare  # noqa: E402
from sklearn.metrics import accuracy_score, f1_score  # noqa: E402


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    column = "category" if "category" in rows[0] else "label"
    return [(row["text"], row[column]) for row in rows]


def write_fasttext(rows, path):
    with open(path, "w", encoding="utf-8") as f:
        for text, label in rows:
            f.write(f"__label__{label.replace(' ', '_')} {prepare(text)}\n")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--train", type=Path, required=True)
    p.add_argument("--test", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--autotune-seconds", type=int, default=120)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    train, test = read(args.train), read(args.test)
    random.Random(args.seed).shuffle(train)
    held_out = max(1, len(train) // 10)
    out = args.out / "peers" / "fasttext"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fit_file, valid_file = Path(tmp) / "fit.txt", Path(tmp) / "valid.txt"
        write_fasttext(train[held_out:], fit_file)
        write_fasttext(train[:held_out], valid_file)
        start = time.perf_counter()
        model = fasttext.train_supervised(input=str(fit_file), autotuneValidationFile=str(valid_file),
                                          autotuneDuration=args.autotune_seconds, seed=args.seed, verbose=0)
        seconds = time.perf_counter() - start
    model.save_model(str(out / "model.bin"))
    labels = [label.replace(" ", "_") for _, label in test]
    predicted = [p[0].removeprefix("__label__") for p in model.predict([prepare(t) for t, _ in test], k=1)[0]]
    args_used = model.f.getArgs()
    quality = {
        "train_file": str(args.train), "test_file": str(args.test), "test_examples": len(test),
        "accuracy": accuracy_score(labels, predicted), "f1_macro": f1_score(labels, predicted, average="macro"),
        "autotune_seconds": args.autotune_seconds, "training_seconds": seconds,
        "hyperparameters": {name: getattr(args_used, name) for name in (
            "lr", "epoch", "dim", "wordNgrams", "minn", "maxn", "bucket", "loss", "minCount")},
        "file_bytes": (out / "model.bin").stat().st_size,
    }
    (out / "quality.json").write_text(json.dumps(quality, indent=2, default=str) + "\n", encoding="utf-8")
    print(json.dumps(quality, indent=2, default=str))


if __name__ == "__main__":
    main()
