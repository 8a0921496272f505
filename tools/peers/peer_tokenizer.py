"""Tokenization for the Python peers' end-to-end calls: the Hugging Face `tokenizers` library (the Rust tokenizer
behind transformers' fast tokenizers) on the model directory's tokenizer.json, truncated and padded as the cell
says, returned as int64 numpy arrays — the fastest tokenization a Python stack has, so the peers are not slowed
by transformers' wrapper.
"""
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer


class PeerTokenizer:
    def __init__(self, model_dir: Path):
        file = model_dir / "tokenizer.json"
        if not file.is_file():
            raise FileNotFoundError(f"{file}: the Python peers tokenize with a tokenizer.json")
        self.tokenizer = Tokenizer.from_file(str(file))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self.pad_id = self.tokenizer.token_to_id("[PAD]")
        if self.pad_id is None:
            self.pad_id = 0
        self._configured = None

    def _configure(self, padding: str, max_length: int):
        if self._configured == (padding, max_length):
            return
        self.tokenizer.enable_truncation(max_length=max_length)
        if padding == "max_length":
            self.tokenizer.enable_padding(pad_id=self.pad_id, length=max_length)
        else:
            self.tokenizer.enable_padding(pad_id=self.pad_id)
        self._configured = (padding, max_length)

    def __call__(self, texts, padding: str, max_length: int):
        """(input_ids, attention_mask, token_type_ids), each int64 [batch, sequence]."""
        self._configure(padding, max_length)
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        types = np.array([e.type_ids for e in encodings], dtype=np.int64)
        return ids, mask, types
