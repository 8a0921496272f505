#!/usr/bin/env python3
"""Runs the reference tokenizers over the parity corpus and writes goldens (JSONL) plus a manifest.

References:
  tokenizer.json form  Hugging Face `tokenizers` (Tokenizer.from_file), for rubert-tiny2, all-MiniLM-L6-v2 and
                       the Unigram tokenizers below
  vocab.txt form       transformers' Python BertTokenizer.from_pretrained(dir), for bert-base-uncased
Corpus files: *.txt lines are bytes, each decoded with errors="replace" (so invalid UTF-8 becomes U+FFFD, as
in our C++); *.jsonl lines are JSON strings (texts with newlines, CR LF, ...).

Settings per tokenizer: "none" (no truncation, no padding), "max32" (truncate to 32, no padding) and, for the
tokenizer.json form, "saved" (the truncation/padding saved in the file, exactly as from_file applies them);
Unigram cases also "nospecial" (add_special_tokens=False, no truncation or padding).
Every corpus file is encoded line by line; pairs.txt is encoded as (line 2k, line 2k+1) pairs.

Two synthetic WordPiece variants (variant-a from rubert-tiny2, variant-b from MiniLM; see write_variants) cover
the normalizer flags, added-token flags, post-processor, truncation and padding options the shipped files do
not use. The Unigram cases come from a tokenizer this script trains itself with Hugging Face's UnigramTrainer
on ru_phrases + banking77 (write_unigram_variants): the trained file (XLM-R layout) and variants that use
the other normalizers (Precompiled with a charsmap built by charsmap.py, Replace, Strip, NFD/NFKD/NFC,
StripAccents, Lowercase), both Metaspace JSON forms and prepend schemes, WhitespaceSplit, RobertaProcessing,
byte fallback, added tokens and saved truncation/padding.

--set e5 --e5 DIR makes the goldens of the converted multilingual-e5-small tokenizer instead (ctest label
real); when DIR has no tokenizer.json the manifest says why the case is skipped.

Output: OUT/<tokenizer>.<setting>.<corpus>.jsonl, one object per text: {"ids", "type_ids", "mask"} and, for
valid UTF-8 texts of the tokenizer.json form, "offsets" as byte [begin, end) into the line (for pairs, into
the token's own text); or {"error": message} where the reference raised.
OUT/manifest.json lists every case for tests/text/tokenizer_parity_test.cpp.

usage: make_goldens.py --corpus tests/text/corpus --tokenizers assets/tokenizers --out BUILD/tests/text/goldens
       make_goldens.py --set e5 --e5 models/base/multilingual-e5-small --out BUILD/tests/text/goldens-e5
"""
import argparse
import json
import logging
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import unigram_variants  # noqa: E402

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

    a = load("rubert-tiny2")
    n = len(a["model"]["vocab"])
    a["normalizer"] = {"type": "BertNormalizer", "clean_text": False, "handle_chinese_chars": False,
                       "strip_accents": True, "lowercase": False}
    a["added_tokens"] += unigram_variants.test_added_tokens(n)
    a["truncation"] = {"direction": "Left", "max_length": 24, "strategy": "LongestFirst", "stride": 0}
    a["padding"] = {"strategy": "BatchLongest", "direction": "Left", "pad_to_multiple_of": 8, "pad_id": 0,
                    "pad_type_id": 0, "pad_token": "[PAD]"}
    b = load("all-MiniLM-L6-v2")
    n = len(b["model"]["vocab"])
    b["normalizer"] = {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": False, "lowercase": True}
    b["added_tokens"] += [unigram_variants.added(n, "Hello World"),
                          unigram_variants.added(n + 1, "<INTENT>", normalized=False)]
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
    if path.endswith(".jsonl"):
        return [json.loads(line).encode("utf-8", errors="surrogatepass") for line in lines]
    return lines


def byte_offsets(text, char_offsets):
    # tokenizers reports offsets in characters of the Python string; turn them into UTF-8 byte offsets.
    starts = [0]
    for ch in text:
        starts.append(starts[-1] + len(ch.encode("utf-8")))
    return [[starts[min(b, len(text))], starts[min(e, len(text))]] for b, e in char_offsets]


def encode_json_form(path, setting, texts, pair):
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(path)
    if setting in ("none", "nospecial"):
        tok.no_truncation()
        tok.no_padding()
    elif setting == "max32":
        tok.enable_truncation(32)
        tok.no_padding()
    special = setting != "nospecial"
    out = []
    if pair:
        for (a, valid_a), (b, valid_b) in zip(texts[0::2], texts[1::2]):
            try:
                e = tok.encode(a, b, add_special_tokens=special)
            except Exception as error:  # e.g. OnlyFirst truncation of a too short first sequence
                out.append({"error": str(error)})
                continue
            rec = {"ids": e.ids, "type_ids": e.type_ids, "mask": e.attention_mask}
            if valid_a and valid_b:
                # Each token's offsets point into its own text; special and pad tokens have none.
                sources = (byte_offsets(a, e.offsets), byte_offsets(b, e.offsets))
                rec["offsets"] = [sources[s][i] if s is not None else [0, 0] for i, s in enumerate(e.sequence_ids)]
            out.append(rec)
    else:
        for t, valid in texts:
            e = tok.encode(t, add_special_tokens=special)
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


def decode_texts(raw):
    texts = []
    for line in raw:
        try:
            texts.append((line.decode("utf-8"), True))
        except UnicodeDecodeError:
            texts.append((line.decode("utf-8", errors="replace"), False))
    return texts


def write_case(args, manifest, name, directory, form, setting, corpus):
    path = os.path.join(args.corpus, corpus)
    texts = decode_texts(read_lines(path))
    pair = corpus.startswith("pairs")
    if form == "json":
        records = encode_json_form(os.path.join(directory, "tokenizer.json"), setting, texts, pair)
    else:
        records = encode_vocab_form(directory, setting, [t for t, _ in texts] if pair else texts, pair)
    stem = corpus.rsplit(".", 1)[0]
    golden = f"{name}.{setting}.{stem}.jsonl"
    with open(os.path.join(args.out, golden), "w", encoding="utf-8") as f:
        for rec in records:
            f.write(json.dumps(rec, separators=(",", ":")) + "\n")
    manifest.append({"tokenizer": directory, "form": form, "setting": setting,
                     "corpus": os.path.join(os.path.abspath(args.corpus), corpus), "pair": pair,
                     "golden": golden, "count": len(records)})


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=os.path.join(repo, "tests", "text", "corpus"))
    parser.add_argument("--tokenizers", default=os.path.join(repo, "assets", "tokenizers"))
    parser.add_argument("--set", choices=["default", "e5"], default="default",
                        help="default: the shipped WordPiece tokenizers and the trained Unigram ones; e5: --e5")
    parser.add_argument("--e5", default=os.path.join(repo, "models", "base", "multilingual-e5-small"),
                        help="directory of the converted multilingual-e5-small (tokenizer.json)")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    logging.getLogger("transformers").setLevel(logging.ERROR)
    import transformers
    transformers.logging.set_verbosity_error()
    os.makedirs(args.out, exist_ok=True)

    corpus_files = sorted(n for n in os.listdir(args.corpus) if n.endswith(".txt") or n.endswith(".jsonl"))
    manifest = []
    start = time.time()
    unigram_settings = ["none", "max32", "saved", "nospecial"]
    if args.set == "e5":
        if not os.path.isfile(os.path.join(args.e5, "tokenizer.json")):
            reason = (f"no {os.path.join(args.e5, 'tokenizer.json')}: make it with scripts/fetch_e5.sh "
                      "(the converted multilingual-e5-small); the e5 parity case is skipped")
            with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as f:
                json.dump({"cases": [], "skipped": reason}, f, indent=1)
            print(reason)
            return
        jobs = [("multilingual-e5-small", os.path.abspath(args.e5), "json", unigram_settings)]
    else:
        variants = write_variants(args.tokenizers, args.out)
        jobs = []
        for name, form in TOKENIZERS:
            directory = variants.get(name, os.path.join(args.tokenizers, name))
            jobs.append((name, directory, form, ["none", "max32"] + (["saved"] if form == "json" else [])))
        for name, directory in unigram_variants.write_unigram_variants(args.corpus, args.out).items():
            jobs.append((name, directory, "json", unigram_settings))
        # The committed fixture the unit and fuzz tests use (tools/tokenizer/make_unigram_fixture.py).
        jobs.append(("unigram-small", os.path.join(repo, "tests", "fixtures", "tokenizers", "unigram-small"), "json",
                     unigram_settings))
    for name, directory, form, settings in jobs:
        for setting in settings:
            for corpus in corpus_files:
                write_case(args, manifest, name, directory, form, setting, corpus)
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump({"cases": manifest}, f, indent=1)
    print(f"wrote {len(manifest)} golden files to {args.out} in {time.time() - start:.1f} s")


if __name__ == "__main__":
    main()
