#!/usr/bin/env python3
"""Reference classification metrics from scikit-learn, for the C++ ComputeMetrics parity test.

Writes a JSON list of cases: labels, truth, predicted (class ids) and what sklearn computes for them
(precision/recall/F1 per class with zero_division=0, macro and weighted F1, accuracy, confusion matrix).
Usage: reference_metrics.py --out FILE [--seed N]
"""
import argparse
import json
import random

from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support


def reference(labels, truth, predicted):
    ids = list(range(len(labels)))
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, predicted, labels=ids, average=None, zero_division=0)
    return {
        "labels": labels,
        "truth": truth,
        "predicted": predicted,
        "accuracy": accuracy_score(truth, predicted),
        "f1_macro": f1_score(truth, predicted, labels=ids, average="macro", zero_division=0),
        "f1_weighted": f1_score(truth, predicted, labels=ids, average="weighted", zero_division=0),
        "precision": [float(x) for x in precision],
        "recall": [float(x) for x in recall],
        "f1": [float(x) for x in f1],
        "support": [int(x) for x in support],
        "confusion": confusion_matrix(truth, predicted, labels=ids).tolist(),
    }


def noisy_case(rng, classes, count, accuracy, skew):
    labels = [f"intent_{i:02d}" for i in range(classes)]
    weights = [skew ** i for i in range(classes)]
    truth = rng.choices(range(classes), weights=weights, k=count)
    predicted = [t if rng.random() < accuracy else rng.randrange(classes) for t in truth]
    return labels, truth, predicted


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=20261202)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    cases = []
    # Hand-made corner cases: a class never predicted, a class absent from truth and predictions,
    # a perfect run, an all-wrong run.
    cases.append(reference(["a", "b", "c"], [0, 0, 1, 1, 2], [0, 1, 1, 1, 1]))
    cases.append(reference(["a", "b", "c", "unused"], [0, 1, 2, 2], [0, 1, 2, 0]))
    cases.append(reference(["x", "y"], [0, 1, 1, 0], [0, 1, 1, 0]))
    cases.append(reference(["x", "y", "z"], [0, 1, 2], [1, 2, 0]))
    cases.append(reference(["only"], [0, 0, 0], [0, 0, 0]))
    # Random cases of Banking77/telecom size with imbalance and absent classes.
    for classes, count, accuracy, skew in [(5, 50, 0.6, 0.8), (26, 1200, 0.85, 0.92), (77, 3080, 0.9, 1.0),
                                           (40, 200, 0.5, 0.85), (3, 7, 0.3, 1.0)]:
        cases.append(reference(*noisy_case(rng, classes, count, accuracy, skew)))
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump(cases, out)


if __name__ == "__main__":
    main()
