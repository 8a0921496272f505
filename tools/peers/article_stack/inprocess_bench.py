#!/usr/bin/env python3
"""In-process timing of the seed article's Python rows, written as rows of `fastintent bench run`'s results.csv
so they join its report (`fastintent bench run --import-csv FILE`):
  * pytorch-transformers: Listing 3 (transformers AutoModelForSequenceClassification, torch.inference_mode(),
    torch.set_num_threads(1), tokenization inside the timed function);
  * python-ort-fp32 / python-ort-int8: Listing 4 session + Listing 5 call on the same model.onnx /
    model_quantized.onnx our engine runs.
Figures as in fastintent bench: 4 (every model, batch 1, the article's phrase), 5 (batch sizes), 6 (lengths).

Usage: inprocess_bench.py --models-dir models/bench --out pytorch.csv [--models NAME ...] [--sweep-model rubert-tiny2]
         [--figures 4 5 6] [--runtimes pytorch-transformers python-ort-fp32 python-ort-int8] [--trials 30]
         [--warmup 5] [--max-length 128] [--padding max_length longest] [--batch-sizes ...] [--lengths ...]
         [--long-text FILE]
The PyTorch row loads the Hugging Face checkpoint from MODELS_DIR/checkpoints/NAME (prepare_models.sh).
"""
import argparse
import os
import pathlib
import re
import statistics
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402
import onnxruntime  # noqa: E402
import torch  # noqa: E402
from transformers import AutoModelForSequenceClassification, AutoTokenizer  # noqa: E402

PHRASE = "как бы мне оператора услышать?"
HEADER = ("figure,model,runtime,padding,batch,max_length,sequence_length,trials,mean_ms,std_ms,p50_ms,p99_ms,"
          "tokenize_mean_ms,tokenize_p50_ms,gflop")
torch.set_num_threads(1)


def builtin_long_text():
    """The same long text fastintent bench uses (src/bench/long_text.cpp), so Figure 6 cuts identical input."""
    source = pathlib.Path(__file__).resolve().parents[3] / "src" / "bench" / "long_text.cpp"
    body = source.read_text(encoding="utf-8").split("{", 2)[2]
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', body))


def percentile(sorted_values, q):
    rank = q * (len(sorted_values) - 1)
    lower = int(rank)
    upper = min(lower + 1, len(sorted_values) - 1)
    return sorted_values[lower] + (sorted_values[upper] - sorted_values[lower]) * (rank - lower)


def summarize(samples):
    s = sorted(samples)
    std = statistics.stdev(s) if len(s) > 1 else 0.0
    return statistics.fmean(s), std, percentile(s, 0.5), percentile(s, 0.99)


def time_calls(fn, trials, warmup):
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(trials):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1e3)
    return samples


class TorchRow:
    def __init__(self, checkpoint):
        self.tokenizer = AutoTokenizer.from_pretrained(str(checkpoint))
        self.model = AutoModelForSequenceClassification.from_pretrained(str(checkpoint)).eval()

    def tokenize(self, texts, padding, max_length):
        # DistilBERT has no token types; its own tokenizer would not return them (ours is a BERT tokenizer).
        return self.tokenizer(texts, padding=padding, truncation=True, max_length=max_length, return_tensors="pt",
                              return_token_type_ids=self.model.config.model_type != "distilbert")

    def infer(self, texts, padding, max_length):  # Listing 3
        inputs = self.tokenize(texts, padding, max_length).to("cpu")
        with torch.inference_mode():
            return self.model(**inputs).logits.detach()


class OrtRow:
    def __init__(self, model_dir, file):
        options = onnxruntime.SessionOptions()  # Listing 4
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(str(model_dir / file), options,
                                                    providers=["CPUExecutionProvider"])
        self.session.disable_fallback()
        self.names = [i.name for i in self.session.get_inputs()]
        self.tokenizer = AutoTokenizer.from_pretrained(str(model_dir))

    def tokenize(self, texts, padding, max_length):
        return self.tokenizer(texts, padding=padding, truncation=True, max_length=max_length, return_tensors="np")

    def infer(self, texts, padding, max_length):  # Listing 5
        inputs = self.tokenize(texts, padding, max_length)
        return self.session.run(None, {n: inputs[n].astype(np.int64) for n in self.names})[0]


def make_row(runtime, models_dir, model):
    if runtime == "pytorch-transformers":
        checkpoint = models_dir / "checkpoints" / model
        return TorchRow(checkpoint) if checkpoint.is_dir() else None
    file = {"python-ort-fp32": "model.onnx", "python-ort-int8": "model_quantized.onnx"}.get(runtime)
    if file is None:
        sys.exit(f"inprocess_bench: runtime '{runtime}', expected pytorch-transformers, python-ort-fp32, "
                 "python-ort-int8")
    return OrtRow(models_dir / model, file) if (models_dir / model / file).is_file() else None


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--models-dir", type=pathlib.Path, required=True)
    p.add_argument("--out", type=pathlib.Path, required=True)
    p.add_argument("--models", nargs="*", default=["distilrubert-tiny-cased-conversational-5k",
                                                   "distilrubert-tiny-cased-conversational-v1", "rubert-tiny2",
                                                   "rubert-base-cased"])
    p.add_argument("--sweep-model", default="rubert-tiny2")
    p.add_argument("--figures", nargs="*", type=int, default=[4, 5, 6])
    p.add_argument("--runtimes", nargs="*", default=["pytorch-transformers"])
    p.add_argument("--trials", type=int, default=30)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--max-length", type=int, default=128)
    p.add_argument("--padding", nargs="*", default=["max_length", "longest"])
    p.add_argument("--batch-sizes", nargs="*", type=int, default=[1, 2, 4, 8, 16, 32, 64, 128])
    p.add_argument("--lengths", nargs="*", type=int, default=[16, 32, 64, 128, 256, 512])
    p.add_argument("--long-text", type=pathlib.Path)
    args = p.parse_args()
    if args.trials < 1:
        sys.exit(f"inprocess_bench: --trials must be >= 1, got {args.trials}")
    long_text = args.long_text.read_text(encoding="utf-8") if args.long_text else builtin_long_text()

    plan = []  # (figure, model, padding, batch, max_length, text)
    for figure in args.figures:
        if figure == 4:
            plan += [(4, m, pad, 1, args.max_length, PHRASE) for m in args.models for pad in args.padding]
        elif figure == 5:
            plan += [(5, args.sweep_model, pad, b, args.max_length, PHRASE) for pad in args.padding
                     for b in args.batch_sizes]
        elif figure == 6:
            plan += [(6, args.sweep_model, args.padding[0], 1, n, long_text) for n in args.lengths]
        else:
            sys.exit(f"inprocess_bench: figure {figure}, expected 4, 5 or 6")

    lines = [HEADER]
    for runtime in args.runtimes:
        rows = {}
        for figure, model, padding, batch, max_length, text in plan:
            if model not in rows:
                rows.clear()  # one model in memory at a time
                rows[model] = make_row(runtime, args.models_dir, model)
            row = rows[model]
            if row is None:
                print(f"skipped: figure {figure} model {model} runtime {runtime}: no model files", file=sys.stderr)
                continue
            texts = [text] * batch
            length = row.tokenize(texts, padding, max_length)["input_ids"].shape[1]
            total = summarize(time_calls(lambda: row.infer(texts, padding, max_length), args.trials, args.warmup))
            tokenize = summarize(time_calls(lambda: row.tokenize(texts, padding, max_length), args.trials, 0))
            lines.append(f"{figure},{model},{runtime},{padding},{batch},{max_length},{length},{args.trials},"
                         f"{total[0]:.6f},{total[1]:.6f},{total[2]:.6f},{total[3]:.6f},{tokenize[0]:.6f},"
                         f"{tokenize[2]:.6f},0.000000")
            print(f"{runtime} fig {figure} {model} {padding} b={batch} L={length}: mean {total[0]:.3f} ms",
                  file=sys.stderr)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
