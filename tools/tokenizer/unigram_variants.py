#!/usr/bin/env python3
"""The Unigram tokenizers of the parity goldens (used by make_goldens.py; not run on its own).

write_unigram_variants trains a Unigram model with Hugging Face's UnigramTrainer on the corpus's Russian
phrases and Banking77 texts (XLM-R layout: Nmt + NFKC + Replace(" {2,}") normalizer, Metaspace, <s> A </s>
templates), saves it as OUT/unigram/tokenizer.json, and derives variants that use what the trained file does
not; each is written as OUT/<name>/tokenizer.json:

  unigram-legacy  transformers' SpmConverter normalizer (Strip right, Replace " {2,}" -> "▁"), the old
                  Metaspace form {"add_prefix_space": true}, RobertaProcessing (trim_offsets), added tokens
                  with normalized / lstrip / rstrip / single_word, saved left truncation and left padding
  unigram-first   NFD + StripAccents + Lowercase + two String Replaces, WhitespaceSplit then Metaspace with
                  prepend_scheme "first" and split false, type ids 0/1, byte fallback, OnlyFirst truncation,
                  fixed padding
  unigram-never   Precompiled (an NFKC charsmap built by charsmap.py, with multi-character and deleting rules)
                  + Replace("\\s+") + a class Replace + Strip, Metaspace prepend_scheme "never", byte fallback
  unigram-nfc     NFKD + NFC + Lowercase, Metaspace without split, no post-processor
"""
import base64
import copy
import json
import os

import charsmap

SPECIALS = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]


def read_texts(path):
    with open(path, "rb") as f:
        return [line.decode("utf-8", errors="replace") for line in f.read().split(b"\n") if line]


def train(corpus_dir, vocab_size=6000, max_piece_length=16, nmt=True):
    """An XLM-R-style Unigram tokenizer.json (as a dict) trained on ru_phrases + banking77."""
    from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers, processors, trainers
    texts = read_texts(os.path.join(corpus_dir, "ru_phrases.txt")) + read_texts(os.path.join(corpus_dir, "banking77.txt"))
    tok = Tokenizer(models.Unigram())
    tok.normalizer = normalizers.Sequence(([normalizers.Nmt()] if nmt else []) +
                                          [normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    trainer = trainers.UnigramTrainer(vocab_size=vocab_size, special_tokens=SPECIALS, unk_token="<unk>",
                                      max_piece_length=max_piece_length, show_progress=False)
    tok.train_from_iterator(texts, trainer=trainer)
    tok.post_processor = processors.TemplateProcessing(single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>",
                                                       special_tokens=[("<s>", 0), ("</s>", 2)])
    data = json.loads(tok.to_str())
    for token in data["added_tokens"]:
        if token["content"] == "<mask>":
            token["lstrip"] = True  # as XLM-R's
    return data


def added(i, content, **flags):
    token = {"id": i, "content": content, "single_word": False, "lstrip": False, "rstrip": False, "normalized": True,
             "special": False}
    token.update(flags)
    return token


def test_added_tokens(n):
    """The added tokens of the synthetic variants (ids from n on): normalized, lstrip/rstrip, single_word."""
    return [added(n, "<intent>"), added(n + 1, "[BOT]", lstrip=True, rstrip=True, normalized=False, special=True),
            added(n + 2, "sim", single_word=True, normalized=False), added(n + 3, "Ёлка")]


def with_byte_pieces(data):
    """Appends the 256 <0xXX> pieces (scored below every other piece) and turns byte fallback on."""
    vocab = data["model"]["vocab"]
    low = min(score for _, score in vocab) - 1.0
    vocab += [["<0x%02X>" % b, low] for b in range(256)]
    data["model"]["byte_fallback"] = True


def template(single, pair):
    ids = {"<s>": 0, "</s>": 2}

    def parts(spec):
        out = []
        for item in spec:
            name, type_id = item
            if name in ("A", "B"):
                out.append({"Sequence": {"id": name, "type_id": type_id}})
            else:
                out.append({"SpecialToken": {"id": name, "type_id": type_id}})
        return out
    return {"type": "TemplateProcessing", "single": parts(single), "pair": parts(pair),
            "special_tokens": {name: {"id": name, "ids": [i], "tokens": [name]} for name, i in ids.items()}}


def variants(base):
    n = len(base["model"]["vocab"])
    out = {"unigram": base}

    v = copy.deepcopy(base)
    v["normalizer"] = {"type": "Sequence", "normalizers": [
        {"type": "Strip", "strip_left": False, "strip_right": True},
        {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": "▁"}]}
    v["pre_tokenizer"] = {"type": "Metaspace", "replacement": "▁", "add_prefix_space": True}
    v["post_processor"] = {"type": "RobertaProcessing", "sep": ["</s>", 2], "cls": ["<s>", 0], "trim_offsets": True,
                           "add_prefix_space": True}
    v["added_tokens"] += test_added_tokens(n)
    v["truncation"] = {"direction": "Left", "max_length": 24, "strategy": "LongestFirst", "stride": 0}
    v["padding"] = {"strategy": "BatchLongest", "direction": "Left", "pad_to_multiple_of": 8, "pad_id": 1,
                    "pad_type_id": 0, "pad_token": "<pad>"}
    out["unigram-legacy"] = v

    v = copy.deepcopy(base)
    v["normalizer"] = {"type": "Sequence", "normalizers": [
        {"type": "NFD"}, {"type": "StripAccents"}, {"type": "Lowercase"},
        {"type": "Replace", "pattern": {"String": "``"}, "content": "\""},
        {"type": "Replace", "pattern": {"String": "''"}, "content": "\""}]}
    v["pre_tokenizer"] = {"type": "Sequence", "pretokenizers": [
        {"type": "WhitespaceSplit"},
        {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": False}]}
    v["post_processor"] = template([("<s>", 0), ("A", 0), ("</s>", 0)],
                                   [("<s>", 0), ("A", 0), ("</s>", 0), ("B", 1), ("</s>", 1)])
    with_byte_pieces(v)
    v["truncation"] = {"direction": "Right", "max_length": 20, "strategy": "OnlyFirst", "stride": 0}
    v["padding"] = {"strategy": {"Fixed": 24}, "direction": "Right", "pad_to_multiple_of": None, "pad_id": 1,
                    "pad_type_id": 0, "pad_token": "<pad>"}
    out["unigram-first"] = v

    v = copy.deepcopy(base)
    rules = charsmap.nfkc_rules({"e\u0301": "é", "ё": "е", "Ё": "Е", "\u00a0\u0301": "!", "ﬁ\u0301": "never used",
                                 "x\u0308": "", "q": "kw", "\u2581": " "})
    v["normalizer"] = {"type": "Sequence", "normalizers": [
        {"type": "Precompiled", "precompiled_charsmap": base64.b64encode(charsmap.build(rules)).decode("ascii")},
        {"type": "Replace", "pattern": {"Regex": "\\s+"}, "content": " "},
        {"type": "Replace", "pattern": {"Regex": "[\u2018\u2019`]"}, "content": "'"},
        {"type": "Strip", "strip_left": True, "strip_right": True}]}
    v["pre_tokenizer"] = {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "never", "split": True}
    with_byte_pieces(v)
    out["unigram-never"] = v

    v = copy.deepcopy(base)
    v["normalizer"] = {"type": "Sequence", "normalizers": [{"type": "NFKD"}, {"type": "NFC"}, {"type": "Lowercase"}]}
    v["pre_tokenizer"] = {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": False}
    v["post_processor"] = None
    out["unigram-nfc"] = v
    return out


def write_unigram_variants(corpus_dir, out):
    """Trains, writes every variant as OUT/<name>/tokenizer.json; returns {name: directory}."""
    paths = {}
    for name, data in variants(train(corpus_dir)).items():
        directory = os.path.join(out, name)
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, "tokenizer.json"), "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False)
        paths[name] = directory
    return paths
