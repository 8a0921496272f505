#!/usr/bin/env python3
"""Loads two sequence-classification checkpoints with transformers and checks they are the same model:
same architecture, labels and logits (max abs difference <= --tolerance) on a fixed batch of token ids.
Exit 0 when they agree, 1 (with the differences printed) when not.

Usage: compare_checkpoints.py REFERENCE_DIR CANDIDATE_DIR [--tolerance 1e-6]
"""
import argparse
import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch  # noqa: E402
from transformers import AutoModelForSequenceClassification  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("reference")
    parser.add_argument("candidate")
    parser.add_argument("--tolerance", type=float, default=1e-6)
    args = parser.parse_args()
    reference = AutoModelForSequenceClassification.from_pretrained(args.reference).eval()
    candidate = AutoModelForSequenceClassification.from_pretrained(args.candidate).eval()
    problems = []
    if type(reference) is not type(candidate):
        problems.append(f"class: got {type(candidate).__name__}, expected {type(reference).__name__}")
    if reference.config.id2label != candidate.config.id2label:
        problems.append(f"id2label: got {candidate.config.id2label}, expected {reference.config.id2label}")
    generator = torch.Generator().manual_seed(7)
    input_ids = torch.randint(1, reference.config.vocab_size, (3, 9), generator=generator)
    attention_mask = torch.ones_like(input_ids)
    attention_mask[1, 5:] = 0
    with torch.no_grad():
        expected = reference(input_ids=input_ids, attention_mask=attention_mask).logits
        got = candidate(input_ids=input_ids, attention_mask=attention_mask).logits
    difference = float((expected - got).abs().max())
    if difference > args.tolerance:
        problems.append(f"logits: max abs difference {difference:.3g} > {args.tolerance}")
    for problem in problems:
        print(f"{args.candidate}: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
