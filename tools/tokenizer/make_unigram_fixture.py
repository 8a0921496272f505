#!/usr/bin/env python3
"""Writes the committed Unigram test inputs (made once; rerun after changing this script):

  tests/fixtures/tokenizers/unigram-small/tokenizer.json
      a 1,000-piece Unigram trained by Hugging Face's UnigramTrainer on tests/text/corpus (ru_phrases +
      banking77), plus the 256 <0xXX> byte pieces (byte fallback); normalizer Precompiled (sentencepiece charsmap
      of the NFKC mappings of U+00A0..U+2FFF and U+FB00..U+FFEF, built by charsmap.py) then Replace(" {2,}" -> " ");
      Metaspace (prepend always, split); XLM-R templates; <mask> with lstrip. Used by the fuzz targets and the
      unit tests, which must run without Python.
  tests/text/tokenizer_load_fuzz_corpus/tiny_unigram*.json
      hand-made tokenizer.json files of a few kilobytes with every SentencePiece-family component, as seeds for
      tests/text/tokenizer_load_fuzz.cpp.

usage: .venv/bin/python tools/tokenizer/make_unigram_fixture.py
"""
import base64
import json
import os
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import charsmap  # noqa: E402
import unigram_variants  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def small_fixture():
    from tokenizers import Tokenizer
    data = unigram_variants.train(os.path.join(REPO, "tests", "text", "corpus"), vocab_size=1000, max_piece_length=12,
                                  nmt=False)
    unigram_variants.with_byte_pieces(data)
    code_points = list(range(0xA0, 0x3000)) + list(range(0xFB00, 0xFFF0))
    rules = {}
    for cp in code_points:
        if 0xD800 <= cp <= 0xDFFF:
            continue
        n = unicodedata.normalize("NFKC", chr(cp))
        if n != chr(cp):
            rules[chr(cp)] = n
    rules["\u00ad"] = ""
    data["normalizer"] = {"type": "Sequence", "normalizers": [
        {"type": "Precompiled", "precompiled_charsmap": base64.b64encode(charsmap.build(rules)).decode("ascii")},
        {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}]}
    Tokenizer.from_str(json.dumps(data))  # the reference must accept it
    return data


def tiny(pre_tokenizer, normalizers, post_processor, byte_fallback):
    vocab = [["<s>", 0.0], ["<pad>", 0.0], ["</s>", 0.0], ["<unk>", 0.0], ["<mask>", 0.0], ["▁", -2.0]]
    for i, piece in enumerate(["▁привет", "▁мир", "при", "вет", "▁hello", "hello", "▁world", "▁wor", "ld", "fi",
                               "▁т", "ари", "ф", "а", "б", "в", "e", "é", "1", "⁄", "2", "▁x", "x", "!"]):
        vocab.append([piece, -3.0 - 0.25 * i])
    if byte_fallback:
        vocab += [["<0x%02X>" % b, -20.0] for b in (0xD0, 0xD1, 0xE2, 0x80, 0x8B, 0xF0, 0x9F, 0x98)]
    added = [{"id": i, "content": c, "single_word": False, "lstrip": c == "<mask>", "rstrip": False,
              "normalized": False, "special": True} for i, c in enumerate(["<s>", "<pad>", "</s>", "<unk>", "<mask>"])]
    added.append({"id": len(vocab), "content": "hi", "single_word": True, "lstrip": False, "rstrip": True,
                  "normalized": True, "special": False})
    return {"version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
            "normalizer": {"type": "Sequence", "normalizers": normalizers}, "pre_tokenizer": pre_tokenizer,
            "post_processor": post_processor, "decoder": None,
            "model": {"type": "Unigram", "unk_id": 3, "vocab": vocab, "byte_fallback": byte_fallback}}


def tiny_seeds():
    small_map = base64.b64encode(charsmap.build({"ﬁ": "fi", "½": "1⁄2", "\u00ad": "", "e\u0301": "é", "\t": " ",
                                                  "Ａ": "A", "ё": "е"})).decode("ascii")
    template = {"type": "TemplateProcessing",
                "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                           {"SpecialToken": {"id": "</s>", "type_id": 0}}],
                "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                         {"SpecialToken": {"id": "</s>", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}},
                         {"Sequence": {"id": "B", "type_id": 1}}, {"SpecialToken": {"id": "</s>", "type_id": 1}}],
                "special_tokens": {"<s>": {"id": "<s>", "ids": [0], "tokens": ["<s>"]},
                                   "</s>": {"id": "</s>", "ids": [2], "tokens": ["</s>"]}}}
    return {
        "tiny_unigram.json": tiny(
            {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": True},
            [{"type": "Precompiled", "precompiled_charsmap": small_map},
             {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}], template, True),
        "tiny_unigram_legacy.json": tiny(
            {"type": "Sequence", "pretokenizers": [
                {"type": "WhitespaceSplit"},
                {"type": "Metaspace", "replacement": "▁", "add_prefix_space": True}]},
            [{"type": "Strip", "strip_left": False, "strip_right": True},
             {"type": "Replace", "pattern": {"Regex": "[\\s\u2581]+"}, "content": "▁"},
             {"type": "Replace", "pattern": {"String": "''"}, "content": "\""},
             {"type": "NFKD"}, {"type": "StripAccents"}, {"type": "Lowercase"}, {"type": "NFC"}, {"type": "Nmt"}],
            {"type": "RobertaProcessing", "sep": ["</s>", 2], "cls": ["<s>", 0], "trim_offsets": True,
             "add_prefix_space": True}, False),
        "tiny_unigram_first.json": tiny(
            {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": False},
            [{"type": "NFKC"}, {"type": "NFD"}, {"type": "Strip", "strip_left": True, "strip_right": True}],
            None, True),
    }


def main():
    from tokenizers import Tokenizer
    fixture_dir = os.path.join(REPO, "tests", "fixtures", "tokenizers", "unigram-small")
    os.makedirs(fixture_dir, exist_ok=True)
    with open(os.path.join(fixture_dir, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(small_fixture(), f, ensure_ascii=False, separators=(",", ":"))
    seeds = os.path.join(REPO, "tests", "text", "tokenizer_load_fuzz_corpus")
    for name, data in tiny_seeds().items():
        text = json.dumps(data, ensure_ascii=False)
        Tokenizer.from_str(text)  # the reference must accept every seed
        with open(os.path.join(seeds, name), "w", encoding="utf-8") as f:
            f.write(text)
        print(f"{name}: {len(text.encode())} bytes")
    print(f"unigram-small: {os.path.getsize(os.path.join(fixture_dir, 'tokenizer.json'))} bytes")


if __name__ == "__main__":
    main()
