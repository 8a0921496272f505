#!/usr/bin/env python3
"""Runs the reference tokenizers over the parity corpus and writes goldens (JSONL) plus a manifest.

References:
  tokenizer.json form  Hugging Face `tokenizers` (Tokenizer.from_file), for rubert-tiny2 and all-MiniLM-L6-v2
  vocab.txt form       transformers' Python BertTokenizer.from_pretrained(dir), for bert-base-uncased
Corpus lines are bytes; each is decoded with errors="replace" (so invalid UTF-8 becomes U+FFFD, as in our C++).

Settings per tokenizer: "none" (no truncation, no padding), "max32" (truncate to 32, no padding) and, for the
tokenizer.json form, "saved" (the truncation/padding saved in the file, exactly as from_file applies them).
Every corpus file is encoded line by line; pairs.txt is encoded as (line 2k, line 2k+1) pairs.

Two synthetic variants (variant-a from rubert-tiny2, variant-b from MiniLM; see write_variants) cover the
normalizer flags, added-token flags, post-processor, truncation and padding options the shipped files do not use.

Output: OUT/<tokenizer>.<setting>.<corpus>.jsonl, one object per text: {"ids", "type_ids", "mask"} and, for
valid UTF-8 single texts of the tokenizer.json form, "offsets" as byte [begin, end) into the line; or
{"error": message} where the reference raised.
OUT/manifest.json lists every case for tests/text/tokenizer_parity_test.cpp.

usage: make_goldens.py --corpus tests/text/corpus --tokenizers assets/tokenizers --out BUILD/tests/text/goldens
"""
import argparse
import json
import logging
import os
import time

TOKENIZERS = [
    ("rubert-tiny2", "json"),
    ("all-MiniLM-L6-v2", "json"),
    ("bert-base-uncased", "vocab"),
    ("variant-a", "json"),
    ("variant-b", "json"),
]


def write_variants(tokenizers, out):
    """Synthetic tokenizer.json files that exercise what the shipped ones do not: other normalizer flags,
    added tokens (normalized, lstrip/rstrip, single_word), BertProcessing, left truncation and padding,
    pad_to_multiple_of, OnlyFirst. Written into OUT/variant-*/tokenizer.json."""
    def load(name):
        with open(os.path.join(tokenizers, name, "tokenizer.json"), encoding="utf-8") as f:
            return json.load(f)

    def added(i, content, **flags):
        token = {"id": i, "content": content, "single_word": False, "lstrip": False, "rstrip": False,
                 "normalized": True, "special": False}
        token.update(flags)
        return token

    a = load("rubert-tiny2")
    n = len(a["model"]["vocab"])
    a["normalizer"] = {"type": "BertNormalizer", "clean_text": False, "handle_chinese_chars": False,
                       "strip_accents": True, "lowercase": False}
    a["added_tokens"] += [added(n, "<intent>"), added(n + 1, "[BOT]", lstrip=True, rstrip=True, normalized=False,
                                                       special=True),
                          added(n + 2, "sim", single_word=True, normalized=False), added(n + 3, "Ёлка")]
    a["truncation"] = {"direction": "Left", "max_length": 24, "strategy": "LongestFirst", "stride": 0}
    a["padding"] = {"strategy": "BatchLongest", "direction": "Left", "pad_to_multiple_of": 8, "pad_id": 0,
                    "pad_type_id": 0, "pad_token": "[PAD]"}
    b = load("all-MiniLM-L6-v2")
    n = len(b["model"]["vocab"])
    b["normalizer"] = {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": False, "lowercase": True}
    b["added_tokens"] += [added(n, "Hello World"), added(n + 1, "<INTENT>", normalized=False)]
    b["post_processor"] = {"type": "BertProcessing", "sep": ["[SEP]", 102], "cls": ["[CLS]", 101]}
    b["truncation"] = {"direction": "Right", "max_length": 20, "strategy": "OnlyFirst", "stride": 0}
    b["padding"] = {"strategy": {"Fixed": 24}, "direction": "Right", "pad_to_multiple_of": None, "pad_id": 0,
                    "pad_type_id": 0, "pad_token": "[PAD]"}
    paths = {}
    for name, data in (("variant-a", a), ("variant-b", b)):
        directory = os.path.join(out, name)
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, "tokenizer.json"), "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False)
        paths[name] = directory
    return paths


def read_lines(path):
    with open(path, "rb") as f:
        data = f.read()
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return lines


def byte_offsets(text, char_offsets):
    # tokenizers reports offsets in characters of the Python string; turn them into UTF-8 byte offsets.
    starts = [0]
    for ch in text:
        starts.append(starts[-1] + len(ch.encode("utf-8")))
    return [[starts[b], starts[e]] for b, e in char_offsets]


def encode_json_form(path, setting, texts, pair):
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(path)
    if setting == "none":
        tok.no_truncation()
        tok.no_padding()
    elif setting == "max32":
        tok.enable_truncation(32)
        tok.no_padding()
    out = []
    if pair:
        for a, b in zip(texts[0::2], texts[1::2]):
            try:
                e = tok.encode(a, b)
            except Exception as error:  # e.g. OnlyFirst truncation of a too short first sequence
                out.append({"error": str(error)})
                continue
            out.append({"ids": e.ids, "type_ids": e.type_ids, "mask": e.attention_mask})
    else:
        for t, valid in texts:
            e = tok.encode(t)
            rec = {"ids": e.ids, "type_ids": e.type_ids, "mask": e.attention_mask}
            if valid:
                rec["offsets"] = byte_offsets(t, e.offsets)
            out.append(rec)
    return out


def encode_vocab_form(directory, setting, texts, pair):
    from transformers import BertTokenizer
    tok = BertTokenizer.from_pretrained(directory)
    kwargs = {"truncation": True, "max_length": 32} if setting == "max32" else {"truncation": False}
    out = []
    if pair:
        for a, b in zip(texts[0::2], texts[1::2]):
            e = tok(a, b, **kwargs)
            out.append({"ids": e["input_ids"], "type_ids": e["token_type_ids"], "mask": e["attention_mask"]})
    else:
        for t, _ in texts:
            e = tok(t, **kwargs)
            out.append({"ids": e["input_ids"], "type_ids": e["token_type_ids"], "mask": e["attention_mask"]})
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=os.path.join(repo, "tests", "text", "corpus"))
    parser.add_argument("--tokenizers", default=os.path.join(repo, "assets", "tokenizers"))
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    logging.getLogger("transformers").setLevel(logging.ERROR)
    import transformers
    transformers.logging.set_verbosity_error()
    os.makedirs(args.out, exist_ok=True)

    corpus_files = sorted(n for n in os.listdir(args.corpus) if n.endswith(".txt"))
    manifest = []
    start = time.time()
    variants = write_variants(args.tokenizers, args.out)
    for name, form in TOKENIZERS:
        directory = variants.get(name, os.path.join(args.tokenizers, name))
        settings = ["none", "max32"] + (["saved"] if form == "json" else [])
        for setting in settings:
            for corpus in corpus_files:
                raw = read_lines(os.path.join(args.corpus, corpus))
                pair = corpus.startswith("pairs")
                texts = []
                for line in raw:
                    try:
                        texts.append((line.decode("utf-8"), True))
                    except UnicodeDecodeError:
                        texts.append((line.decode("utf-8", errors="replace"), False))
                if pair:
                    texts = [t for t, _ in texts]
                if form == "json":
                    records = encode_json_form(os.path.join(directory, "tokenizer.json"), setting, texts, pair)
                else:
                    records = encode_vocab_form(directory, setting, texts, pair)
                stem = corpus[:-4]
                golden = f"{name}.{setting}.{stem}.jsonl"
                with open(os.path.join(args.out, golden), "w", encoding="utf-8") as f:
                    for rec in records:
                        f.write(json.dumps(rec, separators=(",", ":")) + "\n")
                manifest.append({"tokenizer": directory, "form": form, "setting": setting,
                                 "corpus": os.path.join(os.path.abspath(args.corpus), corpus), "pair": pair,
                                 "golden": golden, "count": len(records)})
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump({"cases": manifest}, f, indent=1)
    print(f"wrote {len(manifest)} golden files to {args.out} in {time.time() - start:.1f} s")


if __name__ == "__main__":
    main()
