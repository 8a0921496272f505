#!/usr/bin/env python3
"""Reference logits for export parity tests: tokenizes fixed texts with the checkpoint's Hugging Face tokenizer,
runs transformers' AutoModelForSequenceClassification (eval, float32) and writes JSON:
  {"batches": [{"texts": [..], "input_ids": [[..]], "attention_mask": [[..]], "token_type_ids": [[..]],
                "logits": [[..]]}]}
Batches: each text alone, then all texts together padded to the longest (mixed lengths).
A checkpoint whose config.json says "fastintent_pooling": "mean" is run as fastintent defines it: the encoder's
last hidden states averaged over real tokens, then the classifier (transformers' class would use its pooler);
"fastintent_input_prefix" is prepended to every text before tokenization (the ids include it, "texts" do not).

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


def mean_pooled_logits(model, **inputs):
    """fastintent's mean-pooling head on a transformers *ForSequenceClassification: the base model's last hidden
    states averaged over real tokens (count clamped at 1e-9, as sentence-transformers does), then the classifier."""
    base = getattr(model, model.base_model_prefix)
    hidden = base(**inputs).last_hidden_state
    mask = inputs["attention_mask"].unsqueeze(-1).to(hidden.dtype)
    pooled = (hidden * mask).sum(1) / torch.clamp(mask.sum(1), min=1e-9)
    return model.classifier(pooled)


def classifier_logits(model, **inputs):
    """Logits as fastintent's model computes them: transformers' own forward, or the mean-pooling head."""
    if getattr(model.config, "fastintent_pooling", "cls") == "mean":
        return mean_pooled_logits(model, **inputs)
    return model(**inputs).logits


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checkpoint", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    tokenizer = AutoTokenizer.from_pretrained(args.checkpoint)
    model = AutoModelForSequenceClassification.from_pretrained(args.checkpoint).eval()
    prefix = getattr(model.config, "fastintent_input_prefix", "")
    batches = [[text] for text in TEXTS] + [TEXTS]
    result = []
    for texts in batches:
        encoded = tokenizer([prefix + text for text in texts], padding=True, truncation=True, max_length=64,
                            return_tensors="pt", return_token_type_ids=True)
        with torch.no_grad():
            kwargs = {"input_ids": encoded["input_ids"], "attention_mask": encoded["attention_mask"]}
            if model.config.model_type == "bert":
                kwargs["token_type_ids"] = encoded["token_type_ids"]
            logits = classifier_logits(model, **kwargs)
        result.append({key: encoded[key].tolist() for key in ("input_ids", "attention_mask", "token_type_ids")})
        result[-1]["texts"] = texts
        result[-1]["logits"] = logits.tolist()
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump({"batches": result}, out)


if __name__ == "__main__":
    main()
