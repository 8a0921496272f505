#!/usr/bin/env python3
"""Reference logits for export parity tests: tokenizes fixed texts with the checkpoint's Hugging Face tokenizer,
runs transformers' AutoModelForSequenceClassification (eval, float32) and writes JSON:
  {"batches": [{"input_ids": [[..]], "attention_mask": [[..]], "token_type_ids": [[..]], "logits": [[..]]}]}
Batches: each text alone, then all texts together padded to the longest (mixed lengths).

Usage: reference_logits.py --checkpoint DIR --out FILE.json
"""
import argparse
import json
import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch  # noqa: E402
from transformers import AutoModelForSequenceClassification, AutoTokenizer  # noqa: E402

TEXTS = [
    "hi",
    "how do I check my balance?",
    "My card was declined at the shop yesterday, and the app shows a pending payment I never made; what now?",
    "как бы мне оператора услышать?",
    "roaming in Turkey: is the internet package still active after the 30th of the month",
    "",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checkpoint", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    tokenizer = AutoTokenizer.from_pretrained(args.checkpoint)
    model = AutoModelForSequenceClassification.from_pretrained(args.checkpoint).eval()
    batches = [[text] for text in TEXTS] + [TEXTS]
    result = []
    for texts in batches:
        encoded = tokenizer(texts, padding=True, truncation=True, max_length=64, return_tensors="pt",
                            return_token_type_ids=True)
        with torch.no_grad():
            kwargs = {"input_ids": encoded["input_ids"], "attention_mask": encoded["attention_mask"]}
            if model.config.model_type == "bert":
                kwargs["token_type_ids"] = encoded["token_type_ids"]
            logits = model(**kwargs).logits
        result.append({key: encoded[key].tolist() for key in ("input_ids", "attention_mask", "token_type_ids")})
        result[-1]["logits"] = logits.tolist()
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump({"batches": result}, out)


if __name__ == "__main__":
    main()
