#!/usr/bin/env python3
"""Constant load on POST /v1/classify from a fixed number of keep-alive connections; every answer is checked.

Each connection sends requests back to back: one text, or (every third request) a batch of 2..4 texts. A request
counts as ok only if the status is 200, the body is JSON with one result per text in order, each label is one of
the model's labels (when known), and the response names its model version (X-Model-Version). With expected answers
(--expect: a JSON list of {text: label} maps, one per model version), every label of the response must come from
one and the same map, so a response mixing two versions is a failure; the map each version answered with is
recorded, and one version answering with two maps is reported by `check_versions`. Anything else - a connection
error, another status, a wrong answer - counts as failed; the client never retries, so a failed count of 0 means
no client would have seen an error.

  load_client.py --url http://127.0.0.1:8080 --connections 8 --duration 10 [--expect FILE] [--labels FILE]
prints one line of counts and one JSON summary line.
"""
import argparse
import http.client
import json
import sys
import threading
import time
import urllib.parse

TEXTS = [
    "хочу подключить безлимитный интернет", "не работает мобильный интернет", "как узнать баланс?",
    "I want to change my tariff plan", "my card was blocked", "how do I top up my balance?",
    "заблокируйте, пожалуйста, мою сим-карту", "roaming prices in Turkey", "позовите оператора",
    "why was I charged twice this month", "где ближайший салон связи", "ok",
]


class Load:
    """Runs `connections` client threads until stop(); summary() gives the counts."""

    def __init__(self, host, port, connections=8, texts=TEXTS, expect=None, labels=None, timeout=30.0):
        self.host, self.port, self.timeout = host, port, timeout
        self.texts = list(texts)
        self.expect = expect or []
        self.labels = set(labels) if labels else None
        self.lock = threading.Lock()
        self.ok = 0
        self.failed = 0
        self.failures = []  # first reasons, for the log
        self.versions = {}  # version -> responses
        self.version_maps = {}  # version -> set of indexes into expect it answered with
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(connections)]
        self.started = self.stopped = None

    def start(self):
        self.started = time.monotonic()
        for thread in self.threads:
            thread.start()
        return self

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join()
        self.stopped = time.monotonic()
        return self.summary()

    def _fail(self, what):
        with self.lock:
            self.failed += 1
            if len(self.failures) < 10:
                self.failures.append(what)

    def _check(self, texts, status, version, body):
        """Returns None when the answer is right, else what is wrong."""
        if status != 200:
            return f"status {status}: {body[:200]!r}"
        if not version:
            return "no X-Model-Version header"
        try:
            results = json.loads(body)["results"]
            labels = [r["label"] for r in results]
        except (ValueError, KeyError, TypeError) as e:
            return f"malformed answer ({e}): {body[:200]!r}"
        if len(labels) != len(texts):
            return f"{len(labels)} results for {len(texts)} texts"
        if self.labels is not None and not set(labels) <= self.labels:
            return f"unknown labels {sorted(set(labels) - self.labels)}"
        if self.expect:
            matching = [i for i, answers in enumerate(self.expect)
                        if all(answers.get(t) == label for t, label in zip(texts, labels))]
            if not matching:
                return f"version {version}: answers {labels} for {texts} match no expected version (a mix?)"
            with self.lock:
                self.version_maps.setdefault(version, set()).update(matching)
        with self.lock:
            self.versions[version] = self.versions.get(version, 0) + 1
        return None

    def _run(self, worker):
        connection = None
        n = worker
        while not self.stopping.is_set():
            n += 1
            count = 1 if n % 3 else 2 + n % 3
            texts = [self.texts[(n * 7 + k) % len(self.texts)] for k in range(count)]
            payload = {"text": texts[0]} if count == 1 else {"texts": texts}
            body = json.dumps(payload, ensure_ascii=False).encode()
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
                connection.request("POST", "/v1/classify", body, {"Content-Type": "application/json"})
                response = connection.getresponse()
                answer = response.read()
                status, version = response.status, response.getheader("X-Model-Version")
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException) as e:
                self._fail(f"{type(e).__name__}: {e}")
                if connection is not None:
                    connection.close()
                connection = None
                continue
            wrong = self._check(texts, status, version, answer)
            if wrong:
                self._fail(wrong)
            else:
                with self.lock:
                    self.ok += 1
        if connection is not None:
            connection.close()

    def summary(self):
        with self.lock:
            seconds = (self.stopped or time.monotonic()) - self.started
            return {"requests": self.ok + self.failed, "ok": self.ok, "failed": self.failed,
                    "seconds": round(seconds, 2), "requests_per_second": round((self.ok + self.failed) / seconds, 1),
                    "versions": dict(self.versions),
                    "version_maps": {v: sorted(m) for v, m in self.version_maps.items()},
                    "failures": list(self.failures)}

    def check_versions(self):
        """With expected answers: each version answered with exactly one map. Returns a problem or None."""
        for version, maps in self.version_maps.items():
            if len(maps) != 1:
                return f"version {version} answered like expected versions {sorted(maps)}"
        return None


def describe(summary):
    return (f"{summary['requests']} requests in {summary['seconds']} s ({summary['requests_per_second']}/s): "
            f"ok {summary['ok']}, failed {summary['failed']}; versions {summary['versions']}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="http://HOST:PORT of the service or its balancer")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--expect", help="JSON file: a list of {text: label} maps, one per model version")
    parser.add_argument("--labels", help="JSON file: the model's labels")
    args = parser.parse_args()
    url = urllib.parse.urlsplit(args.url)
    expect = json.load(open(args.expect, encoding="utf-8")) if args.expect else None
    labels = json.load(open(args.labels, encoding="utf-8")) if args.labels else None
    load = Load(url.hostname, url.port or 80, args.connections, expect=expect, labels=labels).start()
    time.sleep(args.duration)
    summary = load.stop()
    print("load:", describe(summary), flush=True)
    print(json.dumps(summary, ensure_ascii=False), flush=True)
    problem = load.check_versions()
    if problem:
        print("load:", problem, flush=True)
    return 1 if summary["failed"] or problem else 0


if __name__ == "__main__":
    sys.exit(main())
