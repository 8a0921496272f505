#!/usr/bin/env python3
"""fastText (var/peers/fasttext) as a study worker, runtime "fasttext": peers/fasttext/model.bin of the model
directory (tools/peers/fasttext/train.py), texts in, top label out; each call prepares the texts (fasttext_text)
and predicts, one thread (fastText's predict is single-threaded). Only end-to-end timing means anything here:
fastText has no token ids, so model-only calls also start from the texts.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from runner_protocol import claim_stdout, require, serve  # noqa: E402

PROTOCOL = claim_stdout()
import fasttext  # noqa: E402
from fasttext_text import prepare  # noqa: E402


class FastTextRunner:
    def __init__(self, runtime, model_dir: Path, threads: int):
        if runtime != "fasttext":
            raise ValueError(f"runtime {runtime!r}, expected fasttext")
        file = require(model_dir / "peers" / "fasttext" / "model.bin", "tools/peers/fasttext/train.py")
        self.model = fasttext.load_model(str(file))
        args = self.model.f.getArgs()
        self.configuration = (f"fastText 0.9.2 (fasttext-wheel), {file.name}, dim {args.dim}, wordNgrams "
                              f"{args.wordNgrams}, char n-grams {args.minn}-{args.maxn}, 1 thread")

    def prepare(self, cell, timing):
        self.texts = cell.texts

    def call(self):
        """The top label's probability per text ([batch, 1]: fastText has no logits to compare)."""
        return self.model.predict([prepare(t) for t in self.texts], k=1)[1]


if __name__ == "__main__":
    serve(FastTextRunner, PROTOCOL)
