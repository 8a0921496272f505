"""The GIL is released while the engine works, and one Tokenizer or Classifier serves many Python threads at once
with the results of a single thread. Wall times are printed (pytest -rP shows them), never asserted: speed is
measured by tools/bench/python_package_bench.py and written in docs/python.md."""
import os
import threading
import time

import pytest

import fastintent
from conftest import BERT_FIXTURE, TOKENIZERS, read_corpus_lines


def long_batch(call, unit, seconds):
    """`unit` repeated until one call on it takes at least `seconds` (on this machine, now)."""
    items = list(unit)
    while True:
        start = time.perf_counter()
        call(items)
        took = time.perf_counter() - start
        if took >= seconds:
            return items, took
        items = items * max(2, int(seconds / max(took, 1e-3)) + 1)


def longest_python_pause(call, items):
    """Runs call(items) on a thread while this thread spins in Python; returns the longest time this thread
    could not run and the call's duration. A call that kept the GIL would stop this thread for all of it."""
    done = threading.Event()
    errors = []

    def work():
        try:
            call(items)
        except BaseException as error:  # noqa: B036 - reported below
            errors.append(error)
        done.set()

    worker = threading.Thread(target=work)
    start = last = time.perf_counter()
    longest = 0.0
    worker.start()
    while not done.is_set():
        now = time.perf_counter()
        longest = max(longest, now - last)
        last = now
    worker.join()
    assert not errors, errors
    return longest, time.perf_counter() - start


@pytest.fixture(scope="module")
def texts():
    return read_corpus_lines("ru_phrases.txt")[:400]


@pytest.mark.parametrize("what", ["bert.predict", "bert.logits", "ngram.predict", "tokenizer.encode_batch"])
def test_the_gil_is_released_while_the_engine_works(what, texts, ngram_dir):
    model, method = what.split(".")
    if model == "tokenizer":
        call = getattr(fastintent.Tokenizer(TOKENIZERS / "rubert-tiny2"), method)
    else:
        call = getattr(fastintent.Classifier(BERT_FIXTURE if model == "bert" else ngram_dir), method)
    items, _ = long_batch(call, texts, seconds=1.0)  # long against the machine's scheduling pauses
    # A call that keeps the GIL fails every attempt; a busy machine's scheduler can stall the spinning thread once.
    attempts = []
    for _ in range(3):
        pause, duration = longest_python_pause(call, items)
        attempts.append(f"paused {pause:.3f} s of {duration:.3f} s")
        if pause < 0.5 * duration:
            break
    print(f"{what} on {len(items)} texts: {duration:.2f} s; the spinning Python thread paused at most "
          f"{pause * 1000:.1f} ms (attempt {len(attempts)})")
    assert pause < 0.5 * duration, f"Python was blocked for most of the call: {attempts}"


def run_threads(count, target):
    results = [None] * count
    errors = []

    def body(i):
        try:
            results[i] = target(i)
        except BaseException as error:  # noqa: B036 - reported below
            errors.append(error)

    threads = [threading.Thread(target=body, args=(i,)) for i in range(count)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results, time.perf_counter() - start


def test_threads_share_one_classifier(texts, ngram_dir):
    for model_dir in (BERT_FIXTURE, ngram_dir):
        classifier = fastintent.Classifier(model_dir)
        chunks = [texts[i:i + 25] for i in range(0, len(texts), 25)]
        expected = [[p.to_dict() for p in classifier.predict(chunk, top_k=3)] for chunk in chunks]

        def work(i):
            order = chunks[i::4] + chunks  # every thread runs every chunk, starting at a different one
            return [[p.to_dict() for p in classifier.predict(chunk, top_k=3)] for chunk in order]

        results, _ = run_threads(4, work)
        for i, got in enumerate(results):
            assert got == expected[i::4] + expected


def test_threads_share_one_tokenizer():
    tok = fastintent.Tokenizer(TOKENIZERS / "all-MiniLM-L6-v2")
    texts = read_corpus_lines("banking77.txt")[:1000] + read_corpus_lines("edge_cases.txt")[:500]
    expected = [(e.ids, e.offsets, e.tokens) for e in (tok.encode(t, truncation=False, padding=False) for t in texts)]

    def work(i):
        return [(e.ids, e.offsets, e.tokens)
                for e in (tok.encode(t, truncation=False, padding=False) for t in texts[i::2] + texts)]

    results, _ = run_threads(4, work)
    for i, got in enumerate(results):
        assert got == expected[i::2] + expected


def test_parallel_wall_time_is_shown(texts):
    """Two threads each running N predict calls vs one thread running 2N: with the GIL released the pair takes
    about the time of N calls on a machine with two free cores. Printed, not asserted: on a shared machine the
    scheduler may give this process less than a core whatever its thread count (Linux autogroups share the CPU per
    session), and then the wall times are equal; test_the_gil_is_released_while_the_engine_works is the proof."""
    classifier = fastintent.Classifier(BERT_FIXTURE)
    batch = texts[:32]
    calls, _ = long_batch(lambda items: [classifier.predict(batch) for _ in items], [0], seconds=0.4)
    n = len(calls)

    def work(_):
        for _ in range(n):
            classifier.predict(batch)

    _, one_thread = run_threads(1, lambda i: [work(i), work(i)])
    _, two_threads = run_threads(2, work)
    print(f"{2 * n} predict calls of 32 texts: one thread {one_thread:.2f} s, two threads {two_threads:.2f} s "
          f"(speed-up {one_thread / two_threads:.2f}x on {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f})")
