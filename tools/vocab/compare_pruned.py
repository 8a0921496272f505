#!/usr/bin/env python3
"""Checks a vocabulary pruned by `fastintent prune-vocab` with Hugging Face `tokenizers` itself: every text of
--texts (one a line) must give the same pieces (token strings) with the original and the pruned tokenizer.json,
and the pruned ids must be the original ids mapped through the kept-id order.

Usage: compare_pruned.py --original DIR --pruned DIR --texts FILE [--prefix "query: "]
Prints "identical N/N"; exit status 1 on the first difference (with the text and both segmentations).
"""
import argparse
import json
import sys

from tokenizers import Tokenizer


def vocab_ids(path):
    """Piece -> id of a tokenizer.json (WordPiece or Unigram model) plus its added tokens."""
    with open(path, encoding="utf-8") as f:
        root = json.load(f)
    model = root["model"]
    if model["type"] == "WordPiece":
        ids = dict(model["vocab"])
    else:
        ids = {entry[0]: i for i, entry in enumerate(model["vocab"])}
    for token in root.get("added_tokens", []):
        ids[token["content"]] = token["id"]
    return ids


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--original", required=True)
    parser.add_argument("--pruned", required=True)
    parser.add_argument("--texts", required=True)
    parser.add_argument("--prefix", default="")
    args = parser.parse_args()
    original = Tokenizer.from_file(args.original + "/tokenizer.json")
    pruned = Tokenizer.from_file(args.pruned + "/tokenizer.json")
    for tokenizer in (original, pruned):
        tokenizer.no_truncation()
        tokenizer.no_padding()
    original_ids = vocab_ids(args.original + "/tokenizer.json")
    pruned_ids = vocab_ids(args.pruned + "/tokenizer.json")
    with open(args.texts, encoding="utf-8") as f:
        texts = [line.rstrip("\n") for line in f if line.strip()]
    for text in texts:
        a = original.encode(args.prefix + text)
        b = pruned.encode(args.prefix + text)
        if a.tokens != b.tokens:
            print(f"FAIL: {text!r}\n  original {a.tokens}\n  pruned   {b.tokens}")
            return 1
        if [pruned_ids[t] for t in a.tokens] != b.ids or [original_ids[t] for t in b.tokens] != a.ids:
            print(f"FAIL: ids of {text!r} are not the id map of the same pieces")
            return 1
    print(f"identical {len(texts)}/{len(texts)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
