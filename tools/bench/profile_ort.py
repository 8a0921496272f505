#!/usr/bin/env python3
"""Where the time goes: runs one model file under onnxruntime's built-in profiler (same session options as
fastintent: ORT_ENABLE_ALL, 1 intra-op thread) on one cell of the study, and prints the share of kernel time per
operator type. Python is only the driver here; the kernels are the same onnxruntime CPU kernels our engine runs.

Usage: profile_ort.py MODEL_DIR [--file model.onnx] [--batch 32] [--length 64] [--runs 20]
"""
import argparse
import collections
import json
import os
import pathlib
import sys
import tempfile

import numpy as np
import onnxruntime


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("model_dir", type=pathlib.Path)
    p.add_argument("--file", default="model.onnx")
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--length", type=int, default=64)
    p.add_argument("--runs", type=int, default=20)
    args = p.parse_args()
    model = args.model_dir / args.file
    if not model.is_file():
        sys.exit(f"profile_ort: error: {model} does not exist")
    config = json.loads((args.model_dir / "config.json").read_text(encoding="utf-8"))
    vocab = int(config["vocab_size"])

    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.enable_profiling = True
    options.profile_file_prefix = os.path.join(tempfile.mkdtemp(), "ort_profile")
    session = onnxruntime.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(0)
    shape = (args.batch, args.length)
    feed = {}
    for i in session.get_inputs():
        if i.name == "input_ids":
            feed[i.name] = rng.integers(5, vocab, size=shape, dtype=np.int64)
        elif i.name == "attention_mask":
            feed[i.name] = np.ones(shape, dtype=np.int64)
        else:
            feed[i.name] = np.zeros(shape, dtype=np.int64)
    for _ in range(args.runs):
        session.run(None, feed)
    trace = json.loads(pathlib.Path(session.end_profiling()).read_text())
    per_op = collections.Counter()
    for event in trace:
        if event.get("cat") == "Node" and event["name"].endswith("_kernel_time"):
            per_op[event["args"]["op_name"]] += event["dur"]
    total = sum(per_op.values())
    print(f"{model}: batch {args.batch} x {args.length} tokens, {args.runs} runs, "
          f"kernel time {total / args.runs / 1e3:.2f} ms per run")
    print("| operator | share of kernel time | ms per run |\n|---|---:|---:|")
    for op, us in per_op.most_common():
        print(f"| {op} | {100 * us / total:.1f}% | {us / args.runs / 1e3:.3f} |")


if __name__ == "__main__":
    main()
