"""The worker side of fastintent's runner protocol (src/bench/worker_protocol.h), shared by every Python peer.

A study (`fastintent bench study`) starts one worker process per runtime and model, sends one JSON request per
line on stdin and reads one JSON reply per line on stdout:
  load    {"runtime", "model_dir", "threads"}            -> {"ok": true, "configuration": "..."}
  prepare {"timing", "texts", "padding", "max_length", "batch", "sequence", "input_ids", "attention_mask",
           "token_type_ids"}                              -> {"ok": true}
  time    {"calls"}                                       -> {"ok": true, "ms": [...]}, each call timed here
  logits  {}                                              -> {"ok": true, "logits": [[...], ...]}, one call
  quit
Failures are replied as {"ok": false, "error": ...}; a model the runtime cannot run (a converted file is missing)
as {"ok": false, "skip": ...}. Anything a library prints goes to stderr: file descriptor 1 is moved away before
any peer library is imported, so a native library writing to stdout cannot corrupt the protocol.
"""
import json
import os
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

import numpy as np


class Skip(Exception):
    """This runtime cannot run this model; the message says why (the study reports it and goes on)."""


@dataclass
class Cell:
    """One cell's input: the texts, and the same texts tokenized by fastintent's tokenizer as [batch, sequence]."""
    texts: list
    padding: str  # "max_length" or "longest"
    max_length: int
    input_ids: np.ndarray
    attention_mask: np.ndarray
    token_type_ids: np.ndarray

    @classmethod
    def from_request(cls, request):
        shape = (int(request["batch"]), int(request["sequence"]))

        def tensor(name):
            return np.asarray(request[name], dtype=np.int64).reshape(shape)

        return cls(list(request["texts"]), request["padding"], int(request["max_length"]), tensor("input_ids"),
                   tensor("attention_mask"), tensor("token_type_ids"))


class StagedInputs:
    """The staging the tensor peers share: `prepare` converts the cell's token ids once with the peer's
    `_stage(ids, mask, types)`; `inputs()` returns them, or under end-to-end timing tokenizes the texts again with
    the peer's own `self.tokenizer` (peer_tokenizer.PeerTokenizer) inside the timed call."""

    def prepare(self, cell, timing):
        self.cell = cell
        self.end_to_end = timing == "end-to-end"
        self.staged = self._stage(cell.input_ids, cell.attention_mask, cell.token_type_ids)

    def inputs(self):
        if not self.end_to_end:
            return self.staged
        return self._stage(*self.tokenizer(self.cell.texts, self.cell.padding, self.cell.max_length))


def claim_stdout():
    """Returns a text stream on the real stdout and points fd 1 (and sys.stdout) at stderr."""
    protocol = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return protocol


def serve(load, protocol):
    """Runs the request loop. `load(runtime, model_dir: Path, threads)` returns a runner with a `configuration`
    string, `prepare(cell, timing)` (timing is "end-to-end" or "model-only"), and `call()` (which returns the
    logits, [batch, labels]); it raises Skip when the model has not been converted for it."""
    runner = None
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            op = request.get("op")
            if op == "quit":
                break
            if op == "load":
                runner = None
                try:
                    runner = load(request["runtime"], Path(request["model_dir"]), int(request["threads"]))
                except Skip as skip:
                    reply = {"ok": False, "skip": str(skip)}
                else:
                    reply = {"ok": True, "configuration": runner.configuration}
            elif runner is None:
                reply = {"ok": False, "error": 'no runtime loaded; send "load" first'}
            elif op == "prepare":
                runner.prepare(Cell.from_request(request), request["timing"])
                reply = {"ok": True}
            elif op == "time":
                ms = []
                for _ in range(int(request["calls"])):
                    start = time.perf_counter()
                    runner.call()
                    ms.append((time.perf_counter() - start) * 1e3)
                reply = {"ok": True, "ms": ms}
            elif op == "logits":
                reply = {"ok": True, "logits": np.asarray(runner.call(), dtype=np.float64).tolist()}
            else:
                reply = {"ok": False, "error": f"unknown op {op!r}, expected load, prepare, time, logits or quit"}
        except Exception as error:  # every failure goes back to the study with the request that caused it
            traceback.print_exc(file=sys.stderr)
            reply = {"ok": False, "error": f"{type(error).__name__}: {error}"}
        protocol.write(json.dumps(reply) + "\n")
        protocol.flush()


def checkpoint_of(model_dir: Path):
    """The Hugging Face checkpoint behind a model directory: MODEL_DIR/peers/checkpoint (tools/peers/prepare_peers.sh
    links it), MODEL_DIR/../checkpoints/NAME (tools/bench/prepare_models.sh) or the directory itself."""
    for candidate in (model_dir / "peers" / "checkpoint", model_dir.parent / "checkpoints" / model_dir.name,
                      model_dir):
        if (candidate / "model.safetensors").is_file() or (candidate / "pytorch_model.bin").is_file():
            return candidate
    return None


def require(path: Path, how: str):
    """`path`, or Skip naming the command that makes it."""
    if not path.exists():
        raise Skip(f"no {path} (make it with {how})")
    return path
