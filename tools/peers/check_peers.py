#!/usr/bin/env python3
"""Checks that every runtime of a study computes the same function before its speed is compared: each runtime gets
the same texts (a batch of test phrases padded to the longest, and one phrase padded to max_length), through the
same worker processes a study uses, and its logits are compared with a reference runtime (default pytorch-fp32,
transformers' own forward pass): largest absolute difference and top-1 agreement. fp32 runtimes should agree to
about 1e-5; INT8 ones are judged by agreement (random-weight models have tiny logit margins, so INT8 agreement on
them says little; see docs/quantization.md).

Runs in var/peers/ort (numpy + tokenizers). Engine runtimes run in `fastintent bench worker`.
Usage: check_peers.py MODEL_DIR [--runtimes R ...] [--reference pytorch-fp32] [--texts data/telecom-ru/test.csv]
                      [--batch 32] [--fastintent build/bin/fastintent] [--peers tools/peers/peers.json]
"""
import argparse
import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from peer_tokenizer import PeerTokenizer  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
ENGINE = ("fastintent-fp32", "fastintent-int8")


def commands(peers_file: Path, fastintent: Path):
    registry = json.loads(peers_file.read_text(encoding="utf-8"))
    root = (peers_file.parent / registry.get("root", ".")).resolve()
    table = {name: [str(fastintent), "bench", "worker"] for name in ENGINE}
    for worker in registry["workers"]:
        argv = [str(root / a) if "/" in a and not a.startswith("/") else a for a in worker["command"]]
        for runtime in worker["runtimes"]:
            table[runtime if isinstance(runtime, str) else runtime["name"]] = argv
    return table


class Worker:
    def __init__(self, argv, runtime, model_dir, log):
        self.process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True)
        self.loaded = self.ask({"op": "load", "runtime": runtime, "model_dir": str(model_dir), "threads": 1})

    def ask(self, request):
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"worker {self.process.args} exited")
        return json.loads(line)

    def close(self):
        try:
            self.ask({"op": "quit"}) if self.process.poll() is None else None
        except (RuntimeError, BrokenPipeError, json.JSONDecodeError):
            pass
        self.process.wait(timeout=30)


def cell_request(tokenizer, texts, padding, max_length):
    ids, mask, types = tokenizer(texts, padding, max_length)
    return {"op": "prepare", "timing": "model-only", "texts": texts, "padding": padding, "max_length": max_length,
            "batch": ids.shape[0], "sequence": ids.shape[1], "input_ids": ids.ravel().tolist(),
            "attention_mask": mask.ravel().tolist(), "token_type_ids": types.ravel().tolist()}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("model_dir", type=Path)
    p.add_argument("--runtimes", nargs="*")
    p.add_argument("--reference", default="pytorch-fp32")
    p.add_argument("--texts", type=Path, default=REPO / "data" / "telecom-ru" / "test.csv")
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--fastintent", type=Path, default=REPO / "build" / "bin" / "fastintent")
    p.add_argument("--peers", type=Path, default=REPO / "tools" / "peers" / "peers.json")
    p.add_argument("--log", type=Path, default=Path("/dev/null"))
    args = p.parse_args()
    table = commands(args.peers, args.fastintent)
    runtimes = args.runtimes or [r for r in table if r not in ("fasttext", args.reference)]
    with args.texts.open(encoding="utf-8", newline="") as f:
        texts = [row["text"] for row in csv.DictReader(f)][: args.batch]
    tokenizer = PeerTokenizer(args.model_dir)
    cells = {"batch of test texts, longest": cell_request(tokenizer, texts, "longest", 128),
             "phrase, max_length 128": cell_request(tokenizer, ["как бы мне оператора услышать?"], "max_length", 128)}
    results = {}
    with open(args.log, "a", encoding="utf-8") as log:
        for runtime in [args.reference] + [r for r in runtimes if r != args.reference]:
            if runtime not in table:
                sys.exit(f"check_peers: unknown runtime {runtime!r}; known: {', '.join(table)}")
            worker = Worker(table[runtime], runtime, args.model_dir.resolve(), log)
            try:
                if not worker.loaded.get("ok"):
                    results[runtime] = worker.loaded.get("skip") or worker.loaded.get("error")
                    continue
                results[runtime] = {}
                for name, request in cells.items():
                    reply = worker.ask(request)
                    if reply.get("ok"):
                        reply = worker.ask({"op": "logits"})
                    results[runtime][name] = np.array(reply["logits"]) if reply.get("ok") else reply.get("error")
            finally:
                worker.close()
    reference = results[args.reference]
    if not isinstance(reference, dict):
        sys.exit(f"check_peers: the reference {args.reference} did not run: {reference}")
    print(f"{args.model_dir}: logits against {args.reference}\n")
    print("| runtime | cell | max abs difference | top-1 agreement |\n|---|---|---:|---:|")
    for runtime, by_cell in results.items():
        if runtime == args.reference:
            continue
        if not isinstance(by_cell, dict):
            print(f"| {runtime} | – | skipped: {by_cell} | |")
            continue
        for name, logits in by_cell.items():
            if not isinstance(logits, np.ndarray):
                print(f"| {runtime} | {name} | error: {logits} | |")
                continue
            ref = reference[name]
            diff = float(np.max(np.abs(logits - ref))) if logits.shape == ref.shape else float("nan")
            agree = float(np.mean(logits.argmax(axis=1) == ref.argmax(axis=1))) if logits.shape == ref.shape else 0
            print(f"| {runtime} | {name} | {diff:.2e} | {100 * agree:.1f}% |")


if __name__ == "__main__":
    main()
