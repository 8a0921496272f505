#!/usr/bin/env python3
"""Compares INT8 models with their fp32 model on a labelled file, in ONNX Runtime Python with the model
directory's Hugging Face tokenizer: top-1 agreement with fp32, max |logit difference|, and (when the file's
labels are the model's labels) accuracy and F1 macro. One line per model, fp32 first.

Usage: compare_int8.py MODEL_DIR FILE.csv INT8.onnx... [--text-column text] [--label-column category] [--limit N]
"""
import argparse
import csv
import json
import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402
import onnxruntime  # noqa: E402
from sklearn.metrics import accuracy_score, f1_score  # noqa: E402
from transformers import AutoTokenizer  # noqa: E402


def run(path, batches):
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    session = onnxruntime.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    names = [i.name for i in session.get_inputs()]
    return np.concatenate([session.run(["logits"], {n: b[n] for n in names})[0] for b in batches])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model_dir")
    parser.add_argument("file")
    parser.add_argument("int8", nargs="+")
    parser.add_argument("--text-column", default="text")
    parser.add_argument("--label-column", default="category")
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    with open(args.file, encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t" if args.file.endswith(".tsv") else ","))
    if args.limit:
        rows = rows[:args.limit]
    texts = [r[args.text_column] for r in rows]
    config = json.load(open(os.path.join(args.model_dir, "config.json"), encoding="utf-8"))
    label_ids = {v: int(k) for k, v in config.get("id2label", {}).items()}
    truth = [label_ids.get(r.get(args.label_column)) for r in rows]
    scored = all(t is not None for t in truth)
    tokenizer = AutoTokenizer.from_pretrained(args.model_dir)
    batches = []
    for start in range(0, len(texts), 32):
        enc = tokenizer(texts[start:start + 32], padding=True, truncation=True, max_length=128, return_tensors="np",
                        return_token_type_ids=True)
        batches.append({k: enc[k].astype(np.int64) for k in ("input_ids", "attention_mask", "token_type_ids")})
    fp32 = run(os.path.join(args.model_dir, "model.onnx"), batches)
    print(f"{len(texts)} texts from {args.file}" + ("" if scored else " (labels are not the model's: no F1)"))
    for path, logits in [("fp32 model.onnx", fp32)] + [(p, run(p, batches)) for p in args.int8]:
        predicted = logits.argmax(1)
        line = (f"{path}: top-1 agreement {100 * np.mean(predicted == fp32.argmax(1)):.2f}%, "
                f"max |dlogit| {np.abs(logits - fp32).max():.4f}")
        if scored:
            line += (f", accuracy {100 * accuracy_score(truth, predicted):.2f}, "
                     f"F1 macro {100 * f1_score(truth, predicted, average='macro', zero_division=0):.2f}")
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
