#!/usr/bin/env python3
"""Where OpenVINO's time goes: runs one of the OpenVINO peer's models (compiled exactly as the study's worker
compiles it: f32 precision hint, LATENCY, one stream, the given threads) with the CPU plugin's per-node performance
counters on, on one cell of the study (random token ids, full attention mask), and prints the share of time per
node type and the kernel (exec type) that ran it. The counterpart of tools/bench/profile_ort.py, for explaining a
ratio of the study. Runs in var/peers/openvino.

Usage: profile.py MODEL_DIR [--runtime openvino-int8] [--batch 32] [--length 64] [--runs 20] [--threads 1]
"""
import argparse
import collections
import json
import sys
from pathlib import Path

import numpy as np
import openvino as ov

sys.path.insert(0, str(Path(__file__).resolve().parent))
from settings import FILES, compile_config  # noqa: E402  (the same files and settings as the study's worker)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("model_dir", type=Path)
    p.add_argument("--runtime", default="openvino-int8", choices=sorted(FILES))
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--length", type=int, default=64)
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args()
    model = args.model_dir / FILES[args.runtime]
    if not model.is_file():
        sys.exit(f"profile: error: {model} does not exist (tools/peers/prepare_peers.sh)")
    if min(args.batch, args.length, args.runs, args.threads) < 1:
        sys.exit("profile: error: --batch, --length, --runs and --threads must be at least 1")
    vocab = int(json.loads((args.model_dir / "config.json").read_text(encoding="utf-8"))["vocab_size"])

    core = ov.Core()
    config = dict(compile_config(args.threads), PERF_COUNT="YES")
    compiled = core.compile_model(core.read_model(str(model)), "CPU", config)
    request = compiled.create_infer_request()
    rng = np.random.default_rng(0)
    shape = (args.batch, args.length)
    arrays = {"input_ids": rng.integers(5, vocab, size=shape, dtype=np.int64),
              "attention_mask": np.ones(shape, dtype=np.int64), "token_type_ids": np.zeros(shape, dtype=np.int64)}
    feed = {i.get_any_name(): arrays[i.get_any_name()] for i in compiled.inputs}
    request.infer(feed)  # the first call allocates and selects kernels; not counted
    per_type = collections.Counter()
    kernels = collections.defaultdict(collections.Counter)
    for _ in range(args.runs):
        request.infer(feed)
        for node in request.get_profiling_info():
            if node.status != node.Status.EXECUTED:
                continue
            us = node.real_time.total_seconds() * 1e6
            per_type[node.node_type] += us
            kernels[node.node_type][node.exec_type] += us
    total = sum(per_type.values())
    print(f"{model}: {args.runtime}, batch {args.batch} x {args.length} tokens, {args.runs} runs, "
          f"{args.threads} thread(s), OpenVINO {ov.__version__}: node time {total / args.runs / 1e3:.2f} ms per run")
    print("| node type | share of node time | ms per run | kernels (exec type, share of the row) |\n|---|---:|---:|---|")
    for node_type, us in per_type.most_common():
        detail = ", ".join(f"{k} {100 * v / us:.0f}%" for k, v in kernels[node_type].most_common(3))
        print(f"| {node_type} | {100 * us / total:.1f}% | {us / args.runs / 1e3:.3f} | {detail} |")


if __name__ == "__main__":
    main()
