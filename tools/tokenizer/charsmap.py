#!/usr/bin/env python3
"""Builds a sentencepiece-format `precompiled_charsmap` from normalization rules, for test tokenizers.

Format (what sentencepiece writes and Hugging Face's `Precompiled` normalizer reads):
    u32 little-endian: size of the trie in bytes
    the trie: a double array of u32 units over the UTF-8 bytes of the rules' keys
    the replacements: NUL-terminated UTF-8 strings; a key's value is the offset of its replacement

A unit holds a label byte (bits 0-7), a has-leaf flag (bit 8) and an offset (bits 10-31; bit 9 would shift it
by 8, not needed here). From a node at position p, the child for byte c sits at (p ^ offset(p)) ^ c and must
carry label c; the node's value, when it has one, sits at (p ^ offset(p)) itself, with bit 31 set. Node bases
are placed first-fit so that all their slots are free, and the array is padded so that any byte from any base
stays inside it (readers index it without bounds checks).

usage (library): charsmap.build({"ﬁ": "fi", "\\u00ad": ""}) -> bytes;  base64.b64encode(...) for tokenizer.json
"""
import struct
import unicodedata


def build(rules):
    """rules: dict key (non-empty str without NUL) -> replacement str. Returns the charsmap bytes."""
    blob = bytearray()
    offsets = {}
    keys = {}
    for key in sorted(rules, key=lambda k: k.encode("utf-8")):
        if not key or "\0" in key:
            raise ValueError(f"bad key {key!r}")
        value = rules[key]
        if value not in offsets:
            offsets[value] = len(blob)
            blob += value.encode("utf-8") + b"\0"
        keys[key.encode("utf-8")] = offsets[value]

    # The trie as nested dicts: byte -> child; "value" on nodes that end a key.
    root = {}
    for key, value in keys.items():
        node = root
        for b in key:
            node = node.setdefault(b, {})
        node["value"] = value

    units = [0] * 1024
    used = bytearray(1024)
    used[0] = 1  # the root unit
    used_bases = set()

    def grow(size):
        while len(units) < size:
            units.extend([0] * len(units))
            used.extend(bytearray(len(used)))

    next_free = 1

    def place(labels):
        # First fit: try to put the first label on each free slot in turn.
        f = next_free
        while True:
            grow(f + 512)
            if not used[f]:
                base = f ^ labels[0]
                if base not in used_bases and all(not used[base ^ c] for c in labels):
                    return base
            f += 1

    def offset_bits(offset):
        if offset >= 1 << 21:
            raise ValueError("charsmap too large for this simple builder")
        return offset << 10

    # Breadth first: place each node's children (and its value slot, label 0) around a free base.
    queue = [(0, root)]
    while queue:
        position, node = queue.pop(0)
        children = sorted(b for b in node if b != "value")
        labels = ([0] if "value" in node else []) + children
        if not labels:
            continue
        base = place(labels)
        used_bases.add(base)
        for c in labels:
            used[base ^ c] = 1
        while next_free < len(used) and used[next_free]:
            next_free += 1
        units[position] |= offset_bits(position ^ base)
        if "value" in node:
            units[position] |= 1 << 8
            units[base] = (1 << 31) | node["value"]
        for c in children:
            units[base ^ c] = c
            queue.append((base ^ c, node[c]))

    size = (max(used_bases, default=0) | 0xFF) + 1
    size = max(size, max((i for i, u in enumerate(used) if u), default=0) + 1)
    units = units[:size]
    trie = b"".join(struct.pack("<I", u) for u in units)
    return struct.pack("<I", len(trie)) + trie + bytes(blob)


def nfkc_rules(extra=None):
    """NFKC of every code point where it changes something (as sentencepiece's nmt_nfkc, by Python's Unicode
    data), sentencepiece's control-character rules, plus `extra` multi-character rules."""
    rules = {}
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF or cp == 0:
            continue
        c = chr(cp)
        n = unicodedata.normalize("NFKC", c)
        if n != c:
            rules[c] = n
    for cp in list(range(0x01, 0x09)) + [0x0B] + list(range(0x0E, 0x20)) + [0x7F, 0x8F, 0x9F]:
        rules[chr(cp)] = ""
    for cp in [0x09, 0x0A, 0x0C, 0x0D, 0x1680, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2028, 0x2029, 0xFEFF]:
        rules[chr(cp)] = " "
    rules["\u00ad"] = ""
    rules.update(extra or {})
    return rules
