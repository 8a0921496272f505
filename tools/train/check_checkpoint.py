#!/usr/bin/env python3
"""Checks a checkpoint directory written by fastintent with Hugging Face transformers (the C++ -> HF direction
of the checkpoint round trip; tests/train runs it after the C++ side wrote the directory).

--expected is a JSON file written by the C++ test: {"dir", "labels", "texts", "batch", "sequence", "ids", "mask",
"type_ids", "logits"}. The script loads "dir" with AutoModelForSequenceClassification and AutoTokenizer, checks that
  - config.json's architectures and id2label are the expected ones,
  - the saved tokenizer gives the same ids as the C++ side did for "texts" (if given),
  - transformers' logits on the ids equal the C++ logits within --tolerance (default 1e-4) (for
    "fastintent_pooling": "mean", the base model's mean-pooled hidden states through the classifier).
Exit status 0 when all hold; 1 with a message naming the first failure.
"""
import argparse
import json
import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import pathlib  # noqa: E402

import torch  # noqa: E402
from transformers import AutoModelForSequenceClassification, AutoTokenizer  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "export"))
from reference_logits import classifier_logits  # noqa: E402


def fail(message):
    print("FAIL: " + message)
    return 1


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--expected", required=True)
    parser.add_argument("--tolerance", type=float, default=1e-4)
    args = parser.parse_args()
    with open(args.expected) as f:
        expected = json.load(f)
    directory = expected["dir"]
    model = AutoModelForSequenceClassification.from_pretrained(directory).eval()
    architectures = model.config.architectures or []
    if architectures != [type(model).__name__]:
        return fail(f"config.json architectures {architectures}, expected [{type(model).__name__}]")
    id2label = [model.config.id2label[i] for i in range(model.config.num_labels)]
    if id2label != expected["labels"]:
        return fail(f"id2label {id2label}, expected {expected['labels']}")

    shape = (expected["batch"], expected["sequence"])
    ids = torch.tensor(expected["ids"], dtype=torch.long).view(shape)
    mask = torch.tensor(expected["mask"], dtype=torch.long).view(shape)
    type_ids = torch.tensor(expected["type_ids"], dtype=torch.long).view(shape)
    if expected.get("texts"):
        tokenizer = AutoTokenizer.from_pretrained(directory)
        encoded = tokenizer(expected["texts"], padding="longest", return_tensors="pt")
        if encoded["input_ids"].shape != ids.shape or not torch.equal(encoded["input_ids"], ids):
            return fail(f"tokenizer ids differ:\n  transformers {encoded['input_ids'].tolist()}\n  fastintent   {ids.tolist()}")

    inputs = {"input_ids": ids, "attention_mask": mask}
    if model.config.model_type != "distilbert":
        inputs["token_type_ids"] = type_ids
    with torch.no_grad():
        logits = classifier_logits(model, **inputs)
    ours = torch.tensor(expected["logits"], dtype=torch.float32).view(logits.shape)
    difference = (logits - ours).abs().max().item()
    print(f"{directory}: {model.config.model_type}, {logits.shape[0]} rows, max |logit difference| = {difference:.3g}")
    if difference > args.tolerance:
        return fail(f"max logit difference {difference:.3g} > tolerance {args.tolerance}")
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
