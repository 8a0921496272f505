#!/usr/bin/env python3
"""Reference numbers for the C++ calibration and multi-label code, from scikit-learn and SciPy.

Writes one JSON object:
- "multi_label": cases of label-id sets per row (truth, predicted) with scikit-learn's multi-label indicator
  metrics: micro precision/recall/F1, macro F1, subset accuracy and per-label precision/recall/F1/support
  (zero_division = 0).
- "temperature": cases of logits and true classes with the temperature that minimises the mean negative
  log-likelihood of softmax(logits / T), found by SciPy's bounded scalar minimiser on 1/T in [1/20, 1/0.05].
Usage: reference_calibration.py --out FILE [--seed N]
"""
import argparse
import json

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support
from sklearn.preprocessing import MultiLabelBinarizer


def multi_label_reference(labels, truth, predicted):
    binarizer = MultiLabelBinarizer(classes=list(range(len(labels))))
    y_true = binarizer.fit_transform(truth)
    y_pred = binarizer.transform(predicted)
    precision, recall, f1, support = precision_recall_fscore_support(y_true, y_pred, average=None, zero_division=0)
    micro = precision_recall_fscore_support(y_true, y_pred, average="micro", zero_division=0)
    return {
        "labels": labels,
        "truth": truth,
        "predicted": predicted,
        "micro_precision": float(micro[0]),
        "micro_recall": float(micro[1]),
        "micro_f1": float(micro[2]),
        "macro_f1": float(f1_score(y_true, y_pred, average="macro", zero_division=0)),
        "subset_accuracy": float(accuracy_score(y_true, y_pred)),
        "precision": [float(x) for x in precision],
        "recall": [float(x) for x in recall],
        "f1": [float(x) for x in f1],
        "support": [int(x) for x in support],
    }


def random_multi_label_case(rng, classes, rows, extra_label, noise):
    truth, predicted = [], []
    for _ in range(rows):
        labels = {int(rng.integers(classes))}
        while rng.random() < extra_label:
            labels.add(int(rng.integers(classes)))
        guess = {label for label in labels if rng.random() > noise}
        if rng.random() < noise:
            guess.add(int(rng.integers(classes)))
        truth.append(sorted(labels))
        predicted.append(sorted(guess))
    return [f"intent_{i:02d}" for i in range(classes)], truth, predicted


def temperature_reference(logits, truth):
    logits = np.asarray(logits, dtype=np.float64)
    truth = np.asarray(truth)

    def loss(inverse):
        return -log_softmax(logits * inverse, axis=1)[np.arange(len(truth)), truth].mean()

    best = minimize_scalar(loss, bounds=(1 / 20, 1 / 0.05), method="bounded", options={"xatol": 1e-10})
    return {"logits": logits.tolist(), "truth": truth.tolist(), "temperature": float(1 / best.x),
            "loss": float(best.fun)}


def random_temperature_case(rng, classes, rows, scale, accuracy):
    # Overconfident logits (large scale) of a model right `accuracy` of the time.
    truth = rng.integers(classes, size=rows)
    logits = rng.normal(size=(rows, classes))
    top = np.where(rng.random(rows) < accuracy, truth, rng.integers(classes, size=rows))
    logits[np.arange(rows), top] += 2.0
    return (logits * scale).astype(np.float32).tolist(), truth.tolist()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=20261207)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)

    multi = [
        # Corner cases: an empty prediction, a label never predicted, a label absent from everything, all right.
        multi_label_reference(["a", "b", "c"], [[0], [0, 1], [2]], [[], [0, 1], [1]]),
        multi_label_reference(["a", "b", "c", "unused"], [[0, 2], [1]], [[0, 2], [1]]),
        multi_label_reference(["x", "y"], [[0], [1]], [[1], [0]]),
    ]
    for classes, rows, extra, noise in [(5, 40, 0.3, 0.2), (26, 600, 0.25, 0.15), (12, 9, 0.6, 0.5)]:
        multi.append(multi_label_reference(*random_multi_label_case(rng, classes, rows, extra, noise)))
    temperature = [temperature_reference(*random_temperature_case(rng, classes, rows, scale, accuracy))
                   for classes, rows, scale, accuracy in [(3, 50, 4.0, 0.7), (26, 400, 3.0, 0.8),
                                                          (10, 200, 0.5, 0.9), (5, 30, 8.0, 0.5)]]
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump({"multi_label": multi, "temperature": temperature}, out)


if __name__ == "__main__":
    main()
