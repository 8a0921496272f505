#!/usr/bin/env python3
"""The operator hand-off: a probability threshold alone against a threshold plus a top-2 margin, chosen on a
validation set and applied to a test set, from `fastintent eval --predictions` files.

For each hand-off budget (share of texts sent to an operator) the policy with the best accuracy on the texts it
keeps, among those within the budget on validation, is chosen twice: thresholds only (margin 0) and thresholds with
margins (grids of 0.01, as `fastintent eval --fallback-target-*` searches). Both are then applied to the test
predictions. Prints a markdown table: budget, and for each rule the validation and test (sent, accuracy of the rest).
Usage: handoff_curves.py VALID_PREDICTIONS.jsonl TEST_PREDICTIONS.jsonl [--budgets 0.05,0.1,...]
"""
import argparse
import json

import numpy as np

GRID = np.round(np.arange(0, 1.0001, 0.01), 2)


def load(path):
    rows = [json.loads(line) for line in open(path, encoding="utf-8")]
    top = np.array([r["top"][0]["score"] for r in rows])
    second = np.array([r["top"][1]["score"] if len(r["top"]) > 1 else 0.0 for r in rows])
    correct = np.array([r["correct"] for r in rows])
    return top, second, correct


def outcome(data, threshold, margin):
    top, second, correct = data
    sent = (top < threshold) | ((top - second) < margin)
    kept = ~sent
    accuracy = correct[kept].mean() if kept.any() else 0.0
    return sent.mean(), accuracy


def choose(data, budget, margins):
    best = None
    for t in GRID:
        for m in margins:
            rate, accuracy = outcome(data, t, m)
            if rate <= budget + 1e-12 and (best is None or accuracy > best[0] + 1e-12):
                best = (accuracy, t, m)
    return best[1], best[2]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("valid")
    parser.add_argument("test")
    parser.add_argument("--budgets", default="0.05,0.1,0.15,0.2,0.3,0.4")
    args = parser.parse_args()
    valid, test = load(args.valid), load(args.test)
    print("| budget | threshold alone: valid sent / acc | test sent / acc | threshold + margin: valid sent / acc "
          "| test sent / acc | policy (t, m) |")
    print("|---:|---|---|---|---|---|")
    for budget in (float(b) for b in args.budgets.split(",")):
        cells = []
        for margins in ([0.0], GRID):
            t, m = choose(valid, budget, margins)
            for data in (valid, test):
                rate, accuracy = outcome(data, t, m)
                cells.append(f"{rate:.3f} / {accuracy:.4f}")
        print(f"| {budget:.2f} | " + " | ".join(cells) + f" | {t:.2f}, {m:.2f} |")


if __name__ == "__main__":
    main()
