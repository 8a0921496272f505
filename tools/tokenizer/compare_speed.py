#!/usr/bin/env python3
"""Single-thread tokenization throughput: fastintent_text (C++) vs Hugging Face `tokenizers` (Rust via Python).

Both sides encode the same lines with the same tokenizer.json, no truncation, no padding; one text at a time
and as one batch. The sides run in interleaved rounds (C++, Python, C++, Python, ...) so that a change in the
machine's load hits both; each round times --inner passes over the corpus on each side, and the report gives
the median over all passes and the ratio of the medians. Process start, loading and file reading are not
timed. The C++ side is the tokenizer_speed binary (tests/text/tokenizer_speed.cpp, built with the tree); the
Python side runs with RAYON_NUM_THREADS=1 so encode_batch uses one thread too.

usage: compare_speed.py --binary BUILD/tests/text/tokenizer_speed [--tokenizer DIR] [--corpus FILE ...]
                        [--runs 5] [--inner 1]
The default corpus is tests/text/corpus/ru_phrases.txt + banking77.txt (22,083 short customer texts); for
Russian only: --corpus tests/text/corpus/ru_phrases.txt.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time


def python_pass(tok, lines):
    t0 = time.perf_counter()
    n = 0
    for text in lines:
        n += len(tok.encode(text).ids)
    t1 = time.perf_counter()
    tok.encode_batch(lines)
    t2 = time.perf_counter()
    return n, t1 - t0, t2 - t1


def machine():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    corpus = os.path.join(repo, "tests", "text", "corpus")
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True, help="path to the tokenizer_speed binary")
    parser.add_argument("--tokenizer", default=os.path.join(repo, "assets", "tokenizers", "rubert-tiny2"))
    parser.add_argument("--corpus", nargs="+", default=[os.path.join(corpus, "ru_phrases.txt"),
                                                        os.path.join(corpus, "banking77.txt")])
    parser.add_argument("--runs", type=int, default=5, help="interleaved rounds")
    parser.add_argument("--inner", type=int, default=1, help="passes over the corpus per side and round")
    args = parser.parse_args()

    data = b""
    for path in args.corpus:
        with open(path, "rb") as f:
            data += f.read()
    raw = data.split(b"\n")
    if raw and raw[-1] == b"":
        raw.pop()
    lines = [r.decode("utf-8", errors="replace") for r in raw]

    os.environ["RAYON_NUM_THREADS"] = "1"
    os.environ["TOKENIZERS_PARALLELISM"] = "false"
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(os.path.join(args.tokenizer, "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()

    cpp_single, cpp_batch, py_single, py_batch = [], [], [], []
    cpp_tokens = py_tokens = None
    with tempfile.NamedTemporaryFile("wb", suffix=".txt", delete=False) as f:
        f.write(b"\n".join(raw) + b"\n")
        joined = f.name
    try:
        for _ in range(args.runs):
            out = subprocess.run([args.binary, args.tokenizer, joined, str(args.inner)], check=True,
                                 capture_output=True, text=True).stdout
            cpp = json.loads(out)
            cpp_tokens = cpp["tokens"]
            cpp_single += cpp["single_seconds"]
            cpp_batch += cpp["batch_seconds"]
            for _ in range(args.inner):
                py_tokens, single, batch = python_pass(tok, lines)
                py_single.append(single)
                py_batch.append(batch)
    finally:
        os.unlink(joined)
    if py_tokens != cpp_tokens:
        sys.exit(f"token counts differ: C++ {cpp_tokens}, Python {py_tokens}; the comparison would be unfair")
    load = os.getloadavg()
    n = len(lines)
    passes = args.runs * args.inner
    print(f"tokenizer {args.tokenizer}; {n} lines, {py_tokens} tokens; {args.runs} interleaved rounds x {args.inner} "
          f"passes, median of {passes} passes per side; {machine()}, {os.cpu_count()} CPUs; load average "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at the end")
    print("| mode | fastintent C++ | HF tokenizers (Python, 1 thread) | speed-up |")
    print("| --- | --- | --- | --- |")
    for mode, c_list, p_list in (("one by one", cpp_single, py_single), ("batch", cpp_batch, py_batch)):
        c, p = statistics.median(c_list), statistics.median(p_list)
        print(f"| {mode} | {n / c:,.0f} texts/s ({c:.3f} s) | {n / p:,.0f} texts/s ({p:.3f} s) | {p / c:.1f}x |")


if __name__ == "__main__":
    main()
