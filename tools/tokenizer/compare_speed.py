#!/usr/bin/env python3
"""Single-thread tokenization throughput: fastintent_text (C++) vs Hugging Face `tokenizers` (Rust via Python).

Both sides encode the same lines with the same tokenizer.json, no truncation, no padding; one text at a time
and as one batch; the median of --runs runs is reported. Process start, loading and file reading are not
timed. The C++ side is the tokenizer_speed binary (tests/text/tokenizer_speed.cpp, built with the tree);
the Python side runs with RAYON_NUM_THREADS=1 so encode_batch uses one thread too.

usage: compare_speed.py --binary BUILD/tests/text/tokenizer_speed [--tokenizer DIR] [--corpus FILE ...] [--runs 5]
The default corpus is tests/text/corpus/ru_phrases.txt + banking77.txt (22,083 short customer texts).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time


def python_side(tokenizer_json, lines, runs):
    os.environ["RAYON_NUM_THREADS"] = "1"
    os.environ["TOKENIZERS_PARALLELISM"] = "false"
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(tokenizer_json)
    tok.no_truncation()
    tok.no_padding()
    single, batch = [], []
    tokens = 0
    for _ in range(runs):
        t0 = time.perf_counter()
        n = 0
        for text in lines:
            n += len(tok.encode(text).ids)
        t1 = time.perf_counter()
        tok.encode_batch(lines)
        t2 = time.perf_counter()
        tokens = n
        single.append(t1 - t0)
        batch.append(t2 - t1)
    return tokens, statistics.median(single), statistics.median(batch)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    corpus = os.path.join(repo, "tests", "text", "corpus")
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True, help="path to the tokenizer_speed binary")
    parser.add_argument("--tokenizer", default=os.path.join(repo, "assets", "tokenizers", "rubert-tiny2"))
    parser.add_argument("--corpus", nargs="+", default=[os.path.join(corpus, "ru_phrases.txt"),
                                                        os.path.join(corpus, "banking77.txt")])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    data = b""
    for path in args.corpus:
        with open(path, "rb") as f:
            data += f.read()
    raw = data.split(b"\n")
    if raw and raw[-1] == b"":
        raw.pop()
    lines = [r.decode("utf-8", errors="replace") for r in raw]
    with tempfile.NamedTemporaryFile("wb", suffix=".txt", delete=False) as f:
        f.write(b"\n".join(raw) + b"\n")
        joined = f.name
    try:
        out = subprocess.run([args.binary, args.tokenizer, joined, str(args.runs)], check=True, capture_output=True,
                             text=True).stdout
    finally:
        os.unlink(joined)
    cpp = json.loads(out)
    tokens, py_single, py_batch = python_side(os.path.join(args.tokenizer, "tokenizer.json"), lines, args.runs)
    if tokens != cpp["tokens"]:
        sys.exit(f"token counts differ: C++ {cpp['tokens']}, Python {tokens}; the comparison would be unfair")
    load = os.getloadavg()
    n = len(lines)
    print(f"tokenizer {args.tokenizer}; {n} lines, {tokens} tokens; median of {args.runs} runs; "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs")
    print("| mode | fastintent C++ | HF tokenizers (Python, 1 thread) | speed-up |")
    print("| --- | --- | --- | --- |")
    for mode, c, p in (("one by one", cpp["median_single"], py_single), ("batch", cpp["median_batch"], py_batch)):
        print(f"| {mode} | {n / c:,.0f} texts/s ({c:.3f} s) | {n / p:,.0f} texts/s ({p:.3f} s) | {p / c:.1f}x |")


if __name__ == "__main__":
    main()
