#!/usr/bin/env python3
"""The Python package (fastintent) against the Python stack it replaces, in one process, on one CPU thread.

  tokenizer   fastintent.Tokenizer vs Hugging Face `tokenizers` (RAYON_NUM_THREADS=1), both from the same
              tokenizer.json with its saved settings, as from_file applies them; one text per call and batches of 32;
              the timed work is encode plus reading .ids (what a caller does). Texts: data/telecom-ru (Russian).
  classifier  fastintent.Classifier(threads=1).predict vs onnxruntime's InferenceSession (1 intra-op and 1
              inter-op thread, sequential, graph optimization "all", as the engine configures its own) on the SAME
              .onnx file, fed by HF tokenizers (truncation to the engine's max_length, padding to the longest in the
              batch), softmax and argmax in numpy: text in, label and score out on both sides. Batch 1 and 32.
  threads     the same predict from 1 and from 2 Python threads sharing one Classifier / one session: wall time and
              cores kept busy (process CPU time over wall time; with Linux autogroups a session's processes share
              one slice of the CPU, so on a shared machine a second thread may get no extra core at all).

Rounds are interleaved (every workload of every side once per round, the order alternating between rounds); the
figures are medians over rounds and ratios of medians. Loading is not timed. Both sides' outputs are compared
before timing (ids equal; labels equal and scores within 1e-4).

Needs a venv with the package and the peers, e.g. (docs/python.md):
  python3 -m venv /tmp/fi-bench && /tmp/fi-bench/bin/pip install onnxruntime==1.30.0 tokenizers==0.20.3 numpy .
usage: python_package_bench.py [--model DIR] [--tokenizer DIR] [--rounds 7] [--texts 2000] [--json FILE]
The default model is models/bench/rubert-tiny2 (tools/bench/prepare_models.sh --only rubert-tiny2).
"""
import argparse
import csv
import json
import os
import pathlib
import platform
import statistics
import threading
import time

os.environ["RAYON_NUM_THREADS"] = "1"  # HF tokenizers' encode_batch on one thread (read when it starts its pool)
os.environ["TOKENIZERS_PARALLELISM"] = "false"

import numpy as np  # noqa: E402
import onnxruntime as ort  # noqa: E402
import tokenizers  # noqa: E402

import fastintent  # noqa: E402

REPO = pathlib.Path(__file__).resolve().parents[2]


def read_texts():
    texts = []
    for name in ("train.csv", "test.csv"):
        with open(REPO / "data" / "telecom-ru" / name, encoding="utf-8", newline="") as f:
            texts += [row["text"] for row in csv.DictReader(f)]
    return texts


def chunks(items, size):
    return [items[i:i + size] for i in range(0, len(items), size)]


def machine():
    flags = set()
    model = platform.processor()
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
            if line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
    simd = sorted(f for f in flags if f.startswith(("avx", "amx", "fma", "f16c", "sse4")))
    return {"cpu": model, "cpus": os.cpu_count(), "simd": simd, "python": platform.python_version(),
            "fastintent": fastintent.__version__, "tokenizers": tokenizers.__version__,
            "onnxruntime": ort.__version__, "numpy": np.__version__}


class PeerClassifier:
    """The Python stack: HF tokenizers + onnxruntime + numpy, configured as the engine configures ONNX Runtime."""

    def __init__(self, model_file, tokenizer_file, labels, max_length):
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(model_file), options, providers=["CPUExecutionProvider"])
        self.inputs = [i.name for i in self.session.get_inputs()]
        self.tokenizer = tokenizers.Tokenizer.from_file(str(tokenizer_file))
        self.tokenizer.enable_truncation(max_length)
        self.tokenizer.enable_padding()  # to the longest in the batch
        self.labels = labels

    def predict(self, texts):
        encodings = self.tokenizer.encode_batch(texts)
        feed = {"input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
                "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64)}
        logits = self.session.run(None, {name: feed[name] for name in self.inputs})[0]
        exp = np.exp(logits - logits.max(axis=1, keepdims=True))
        probabilities = exp / exp.sum(axis=1, keepdims=True)
        best = probabilities.argmax(axis=1)
        return [(self.labels[i], float(probabilities[row, i])) for row, i in enumerate(best)]


def ours_predict(classifier):
    def predict(texts):
        return [(p.label, p.score) for p in classifier.predict(texts)]
    return predict


def check_agreement(ours, peer, texts):
    a, b = [], []
    for chunk in chunks(texts, 32):
        a += ours(chunk)
        b += peer(chunk)
    labels = sum(x[0] == y[0] for x, y in zip(a, b))
    worst = max(abs(x[1] - y[1]) for x, y in zip(a, b))
    if labels != len(texts) or worst > 1e-4:
        raise SystemExit(f"outputs differ: {labels}/{len(texts)} labels equal, max score difference {worst:.2e}")
    return worst


def timed(work):
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def in_threads(count, work_items, call, cpu_share):
    """Wall time of `count` threads splitting work_items between them; appends the cores kept busy (process CPU
    time over wall time) to cpu_share."""
    def body(part):
        for item in part:
            call(item)
    threads = [threading.Thread(target=body, args=(work_items[i::count],)) for i in range(count)]
    start, cpu = time.perf_counter(), time.process_time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    cpu_share.append((time.process_time() - cpu) / wall)
    return wall


def run_rounds(workloads, rounds):
    """workloads: {name: callable}; returns {name: [seconds per round]}, interleaved, order alternating."""
    times = {name: [] for name in workloads}
    names = list(workloads)
    for r in range(rounds):
        for name in (names if r % 2 == 0 else names[::-1]):
            times[name].append(timed(workloads[name]))
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=str(REPO / "models" / "bench" / "rubert-tiny2"))
    parser.add_argument("--tokenizer", default=str(REPO / "assets" / "tokenizers" / "rubert-tiny2"))
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--texts", type=int, default=2000, help="texts for the classifier rows")
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args()
    if args.rounds < 5:
        parser.error("--rounds: at least 5")
    texts = read_texts()
    info = machine()
    load_before = os.getloadavg()
    results = {"machine": info, "texts": len(texts), "rounds": args.rounds, "rows": []}

    def row(section, workload, unit, count, ours_times, peer_times):
        ours_s, peer_s = statistics.median(ours_times), statistics.median(peer_times)
        entry = {"section": section, "workload": workload, "unit": unit, "ours": count / ours_s,
                 "peer": count / peer_s, "ratio": peer_s / ours_s}
        results["rows"].append(entry)
        print(f"{section:10} {workload:42} ours {entry['ours']:>10,.0f} {unit}  peer {entry['peer']:>10,.0f} {unit}"
              f"  x{entry['ratio']:.2f}", flush=True)

    # Tokenizer.
    ours_tok = fastintent.Tokenizer(args.tokenizer)
    hf_tok = tokenizers.Tokenizer.from_file(str(pathlib.Path(args.tokenizer) / "tokenizer.json"))
    batches = chunks(texts, 32)
    for text in texts:
        if ours_tok.encode(text).ids != hf_tok.encode(text).ids:
            raise SystemExit(f"token ids differ for {text!r}")
    tok_times = run_rounds({
        "ours one": lambda: [ours_tok.encode(t).ids for t in texts],
        "peer one": lambda: [hf_tok.encode(t).ids for t in texts],
        "ours 32": lambda: [[e.ids for e in ours_tok.encode_batch(b)] for b in batches],
        "peer 32": lambda: [[e.ids for e in hf_tok.encode_batch(b)] for b in batches],
    }, args.rounds)
    row("tokenizer", "one text per call, encode + .ids", "texts/s", len(texts), tok_times["ours one"],
        tok_times["peer one"])
    row("tokenizer", "batches of 32, encode_batch + .ids", "texts/s", len(texts), tok_times["ours 32"],
        tok_times["peer 32"])

    # Classifier, fp32 and (if present) INT8 model files.
    sample = texts[::max(1, len(texts) // args.texts)][:args.texts]
    for quantized in (False, True):
        model_file = pathlib.Path(args.model) / ("model_quantized.onnx" if quantized else "model.onnx")
        if not model_file.exists():
            continue
        classifier = fastintent.Classifier(args.model, quantized=quantized, threads=1)
        peer = PeerClassifier(model_file, pathlib.Path(args.model) / "tokenizer.json", classifier.info.labels,
                              classifier.info.max_length)
        ours = ours_predict(classifier)
        worst = check_agreement(ours, peer.predict, sample)
        kind = "int8" if quantized else "fp32"
        print(f"classifier {kind}: {model_file} ({model_file.stat().st_size / 1e6:.1f} MB), max_length "
              f"{classifier.info.max_length}; labels agree on {len(sample)} texts, max |score diff| {worst:.1e}")
        ones = [[t] for t in sample]
        sample_batches = chunks(sample, 32)
        times = run_rounds({
            "ours 1": lambda: [ours(b) for b in ones],
            "peer 1": lambda: [peer.predict(b) for b in ones],
            "ours 32": lambda: [ours(b) for b in sample_batches],
            "peer 32": lambda: [peer.predict(b) for b in sample_batches],
        }, args.rounds)
        row("classify", f"{kind}, batch 1", "texts/s", len(sample), times["ours 1"], times["peer 1"])
        row("classify", f"{kind}, batch 32", "texts/s", len(sample), times["ours 32"], times["peer 32"])
        if quantized:
            continue
        busy = {name: [] for name in ("ours 1", "ours 2", "peer 1", "peer 2")}
        threads = run_rounds({
            "ours 1": lambda: in_threads(1, ones, ours, busy["ours 1"]),
            "ours 2": lambda: in_threads(2, ones, ours, busy["ours 2"]),
            "peer 1": lambda: in_threads(1, ones, peer.predict, busy["peer 1"]),
            "peer 2": lambda: in_threads(2, ones, peer.predict, busy["peer 2"]),
        }, args.rounds)
        for side in ("ours", "peer"):
            one, two = statistics.median(threads[f"{side} 1"]), statistics.median(threads[f"{side} 2"])
            busy_one, busy_two = statistics.median(busy[f"{side} 1"]), statistics.median(busy[f"{side} 2"])
            results["rows"].append({"section": "threads", "workload": f"{kind}, batch 1, {side}", "unit": "s",
                                    "one_thread": one, "two_threads": two, "speedup": one / two,
                                    "cores_busy_one": busy_one, "cores_busy_two": busy_two})
            print(f"threads    {kind}, batch 1, {len(ones)} calls, {side}: 1 Python thread {one:.2f} s "
                  f"({busy_one:.2f} cores busy), 2 threads {two:.2f} s ({busy_two:.2f} cores busy), "
                  f"x{one / two:.2f}", flush=True)

    results["load_average"] = {"before": load_before, "after": os.getloadavg()}
    print(f"machine: {info['cpu']}, {info['cpus']} CPUs, {' '.join(info['simd'])}; Python {info['python']}, "
          f"fastintent {info['fastintent']}, tokenizers {info['tokenizers']}, onnxruntime {info['onnxruntime']}, "
          f"numpy {info['numpy']}; load average {load_before[0]:.2f} before, {os.getloadavg()[0]:.2f} after")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
