#!/usr/bin/env python3
"""Integration tests of the HTTP service: start the real server binary on a free loopback port and drive it.

Two modes, same checks:
  --fake-server BIN              tests/serve/fake_model_server (the real fastintent_serve over fake models);
  --fastintent BIN --model-dir D `fastintent serve` on an ONNX or n-gram model directory; expected results come
                                 from `fastintent predict` on the same directory.
Covers: a bad-input matrix with exact status codes, the happy paths, concurrency (mixed single and batch
requests equal to the reference), 429 on a full queue, dropping requests whose client left, reload under
load (HTTP and SIGHUP; a broken version is refused and the old one keeps serving) and SIGTERM under load
(zero failed admitted requests, exit 0).
"""
import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

TOKEN = "test-admin-token"
TEXTS = [
    "хочу подключить безлимитный интернет", "не работает мобильный интернет", "как узнать баланс?",
    "I want to change my tariff plan", "my card was blocked", "how do I top up my balance?",
    "заблокируйте, пожалуйста, мою сим-карту", "roaming prices in Turkey", "позовите оператора",
    "why was I charged twice this month", "где ближайший салон связи", "ok",
]
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what, flush=True)
    return condition


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, command, log_path):
        self.port = free_port()
        self.log = open(log_path, "w")
        self.command = [c.replace("{PORT}", str(self.port)) for c in command]
        self.process = subprocess.Popen(self.command, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}; see {log_path}")
            try:
                if request(self.port, "GET", "/ready")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"server not ready after 120 s; see {log_path}")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        return self.process.returncode


def request(port, method, path, body=None, headers=None, connection=None, timeout=60):
    """Returns (status, headers dict (lower-case), body bytes)."""
    own = connection is None
    conn = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        if isinstance(body, str):
            body = body.encode()
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data
    finally:
        if own:
            conn.close()


def classify(port, payload, connection=None, content_type="application/json"):
    status, headers, data = request(port, "POST", "/v1/classify", json.dumps(payload),
                                    {"Content-Type": content_type}, connection)
    return status, headers, json.loads(data) if data else None


# ---------------------------------------------------------------------------------------------------------
def bad_input_matrix(port, max_texts, max_chars):
    cases = [
        # (name, method, path, body bytes or str, headers, status, code)
        ("no content type", "POST", "/v1/classify", '{"text":"a"}', {}, 415, "unsupported_media_type"),
        ("text/plain", "POST", "/v1/classify", '{"text":"a"}', {"Content-Type": "text/plain"}, 415, "unsupported_media_type"),
        ("form", "POST", "/v1/classify", "text=a", {"Content-Type": "application/x-www-form-urlencoded"}, 415, "unsupported_media_type"),
        ("empty body", "POST", "/v1/classify", "", None, 400, "malformed_json"),
        ("truncated json", "POST", "/v1/classify", "{", None, 400, "malformed_json"),
        ("trailing comma", "POST", "/v1/classify", '{"text":"a",}', None, 400, "malformed_json"),
        ("not json", "POST", "/v1/classify", "hello", None, 400, "malformed_json"),
        ("number overflow", "POST", "/v1/classify", '{"text":"a","top_k":1e999}', None, 400, "malformed_json"),
        ("array body", "POST", "/v1/classify", "[]", None, 400, "invalid_request"),
        ("string body", "POST", "/v1/classify", '"a"', None, 400, "invalid_request"),
        ("null body", "POST", "/v1/classify", "null", None, 400, "invalid_request"),
        ("empty object", "POST", "/v1/classify", "{}", None, 400, "invalid_request"),
        ("text number", "POST", "/v1/classify", '{"text":5}', None, 400, "invalid_request"),
        ("text null", "POST", "/v1/classify", '{"text":null}', None, 400, "invalid_request"),
        ("text list", "POST", "/v1/classify", '{"text":["a"]}', None, 400, "invalid_request"),
        ("texts string", "POST", "/v1/classify", '{"texts":"a"}', None, 400, "invalid_request"),
        ("texts numbers", "POST", "/v1/classify", '{"texts":[1,2]}', None, 400, "invalid_request"),
        ("text and texts", "POST", "/v1/classify", '{"text":"a","texts":["b"]}', None, 400, "invalid_request"),
        ("unknown field", "POST", "/v1/classify", '{"text":"a","lang":"ru"}', None, 400, "invalid_request"),
        ("top_k string", "POST", "/v1/classify", '{"text":"a","top_k":"3"}', None, 400, "invalid_request"),
        ("top_k float", "POST", "/v1/classify", '{"text":"a","top_k":1.5}', None, 400, "invalid_request"),
        ("model number", "POST", "/v1/classify", '{"text":"a","model":1}', None, 400, "invalid_request"),
        ("empty text", "POST", "/v1/classify", '{"text":""}', None, 422, "empty_text"),
        ("blank text", "POST", "/v1/classify", '{"text":"  \\t\\n "}', None, 422, "empty_text"),
        ("empty list", "POST", "/v1/classify", '{"texts":[]}', None, 422, "empty_text"),
        ("blank in list", "POST", "/v1/classify", '{"texts":["a"," "]}', None, 422, "empty_text"),
        ("too many texts", "POST", "/v1/classify", json.dumps({"texts": ["a"] * (max_texts + 1)}), None, 422, "too_many_texts"),
        ("text too long", "POST", "/v1/classify", json.dumps({"text": "я" * (max_chars + 1)}), None, 422, "text_too_long"),
        ("invalid utf-8", "POST", "/v1/classify", b'{"text":"\xff\xfe abc"}', None, 422, "invalid_utf8"),
        ("overlong utf-8", "POST", "/v1/classify", b'{"text":"\xc0\xaf"}', None, 422, "invalid_utf8"),
        ("lone surrogate", "POST", "/v1/classify", '{"text":"\\ud800 x"}', None, 422, "invalid_utf8"),
        ("top_k zero", "POST", "/v1/classify", '{"text":"a","top_k":0}', None, 422, "invalid_top_k"),
        ("top_k huge", "POST", "/v1/classify", '{"text":"a","top_k":1000000}', None, 422, "invalid_top_k"),
        ("unknown model", "POST", "/v1/classify", '{"text":"a","model":"nope"}', None, 422, "unknown_model"),
        ("body over limit", "POST", "/v1/classify", '{"text":"' + "a" * (1 << 20) + '"}', None, 413, "payload_too_large"),
        ("GET classify", "GET", "/v1/classify", None, {}, 405, "method_not_allowed"),
        ("PUT classify", "PUT", "/v1/classify", '{"text":"a"}', None, 405, "method_not_allowed"),
        ("DELETE health", "DELETE", "/health", None, {}, 405, "method_not_allowed"),
        ("POST models", "POST", "/v1/models", "{}", None, 405, "method_not_allowed"),
        ("unknown path", "GET", "/v2/classify", None, {}, 404, "not_found"),
        ("unknown root path", "GET", "/admin", None, {}, 404, "not_found"),
        ("reload no token", "POST", "/v1/admin/reload", "", {}, 401, "unauthorized"),
        ("reload wrong token", "POST", "/v1/admin/reload", "", {"Authorization": "Bearer wrong"}, 401, "unauthorized"),
        ("reload text body", "POST", "/v1/admin/reload", "x",
         {"Authorization": "Bearer " + TOKEN, "Content-Type": "text/plain"}, 415, "unsupported_media_type"),
        ("reload bad json", "POST", "/v1/admin/reload", "{",
         {"Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"}, 400, "malformed_json"),
        ("reload number overflow", "POST", "/v1/admin/reload", '{"model":1e999}',
         {"Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"}, 400, "malformed_json"),
        ("reload unknown model", "POST", "/v1/admin/reload", '{"model":"nope"}',
         {"Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"}, 422, "unknown_model"),
    ]
    for name, method, path, body, headers, status, code in cases:
        if headers is None:
            headers = {"Content-Type": "application/json"}
        try:
            got, got_headers, data = request(port, method, path, body, headers)
        except OSError as e:
            check(False, f"bad input '{name}': connection error {e!r}")
            continue
        ok = check(got == status, f"bad input '{name}': status {got}, expected {status}; body {data[:200]!r}")
        if ok:
            try:
                error = json.loads(data)["error"]
                check(error["code"] == code and error["message"],
                      f"bad input '{name}': error {error}, expected code {code}")
                check(got_headers.get("content-type", "").startswith("application/json"),
                      f"bad input '{name}': content-type {got_headers.get('content-type')}")
            except (ValueError, KeyError, TypeError):
                check(False, f"bad input '{name}': body is not a JSON error: {data[:200]!r}")
    check(request(port, "GET", "/health")[0] == 200, "server alive after the bad-input matrix")
    print(f"bad-input matrix: {len(cases)} cases", flush=True)
    return len(cases)


def happy_paths(port, labels, names, default, max_length=64):
    status, headers, body = classify(port, {"text": TEXTS[0], "top_k": 3})
    check(status == 200, f"single classify: {status} {body}")
    if status == 200:
        check(body["model"] == default, f"default model answered: {body['model']}")
        result = body["results"][0]
        check(result["label"] in labels, f"label {result['label']} among the model's labels")
        check(len(result["top"]) == min(3, len(labels)), "top has top_k entries")
        check(result["top"][0]["label"] == result["label"], "top[0] is the label")
        check(all(result["top"][i]["score"] >= result["top"][i + 1]["score"] for i in range(len(result["top"]) - 1)),
              "top is sorted by score")
        check(isinstance(result["fallback"], bool) and isinstance(result["truncated"], bool), "flags are booleans")
        timing = headers.get("server-timing", "")
        check(all(stage + ";dur=" in timing for stage in ("tokenize", "queue", "inference", "total")),
              f"Server-Timing header has every stage: {timing!r}")
    models = json.loads(request(port, "GET", "/v1/models")[2])["models"]
    threshold = next(m["fallback_threshold"] for m in models if m["name"] == default)
    status, _, body = classify(port, {"texts": TEXTS, "top_k": 2})
    check(status == 200 and len(body["results"]) == len(TEXTS), "batch classify answers every text")
    if status == 200:
        check(all(r["fallback"] == (r["score"] < threshold) for r in body["results"]),
              f"fallback is score < threshold {threshold}: {[(r['score'], r['fallback']) for r in body['results']]}")
        for text, result in zip(TEXTS, body["results"]):
            _, _, alone = classify(port, {"text": text, "top_k": 2})
            check(alone["results"][0]["label"] == result["label"]
                  and abs(alone["results"][0]["score"] - result["score"]) < 1e-5,
                  f"'{text}' alone equals in a batch: {alone['results'][0]} vs {result}")
    for name in names:
        status, _, body = classify(port, {"text": "hello", "model": name})
        check(status == 200 and body["model"] == name, f"model '{name}' answers by name")
    status, _, body = classify(port, {"text": "a " * 1000})
    if max_length:
        check(status == 200 and body["results"][0]["truncated"] is True,
              f"over-long text truncated and flagged: {status}")
    else:  # no token limit (the n-gram baseline reads the whole text)
        check(status == 200 and body["results"][0]["truncated"] is False, f"long text read whole: {status}")
    status, _, _ = classify(port, {"text": "привет"}, content_type="application/json; charset=utf-8")
    check(status == 200, "content type with charset accepted")
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    statuses = [classify(port, {"text": t}, connection)[0] for t in TEXTS]
    connection.close()
    check(statuses == [200] * len(TEXTS), f"keep-alive connection serves many requests: {statuses}")
    status, _, data = request(port, "GET", "/v1/models")
    models = json.loads(data)
    check(status == 200 and models["default"] == default and [m["name"] for m in models["models"]] == names,
          f"GET /v1/models: {models}")
    for model in models["models"]:
        check(set(model) >= {"name", "labels", "max_length", "quantized", "version"}, f"model fields: {model.keys()}")
    status, headers, data = request(port, "GET", "/openapi.json")
    spec = json.loads(data)
    check(status == 200 and spec["openapi"].startswith("3.") and "/v1/classify" in spec["paths"], "GET /openapi.json")
    check(spec["components"]["schemas"]["ClassifyRequest"]["properties"]["model"]["enum"] == names,
          "served spec lists the model names")
    status, headers, data = request(port, "GET", "/")
    check(status == 200 and b"<html" in data and headers["content-type"].startswith("text/html"), "GET / page")
    check(request(port, "GET", "/health")[0] == 200, "GET /health")
    check(request(port, "GET", "/ready")[0] == 200, "GET /ready")
    status, headers, data = request(port, "GET", "/metrics")
    text = data.decode()
    for needle in ('fastintent_http_requests_total{endpoint="/v1/classify",status="200"}',
                   'fastintent_http_requests_total{endpoint="/v1/classify",status="422"}',
                   'fastintent_stage_duration_seconds_bucket{stage="tokenize"', 'stage="queue"', 'stage="inference"',
                   "fastintent_batch_size_texts_bucket", "fastintent_queue_depth_texts"):
        check(needle in text, f"/metrics has {needle}")


def concurrency(port, expected, threads=16, rounds=30):
    """Many clients, mixed single and batch requests; every answer equals the reference."""
    errors = []
    count = [0]
    lock = threading.Lock()

    def client(seed):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for r in range(rounds):
            k = (seed * 7 + r) % len(TEXTS)
            texts = [TEXTS[k]] if (seed + r) % 3 else [TEXTS[(k + j) % len(TEXTS)] for j in range(1 + (seed + r) % 6)]
            payload = {"text": texts[0]} if len(texts) == 1 and r % 2 else {"texts": texts}
            try:
                status, _, body = classify(port, payload, connection)
            except (OSError, http.client.HTTPException) as e:
                with lock:
                    errors.append(f"client {seed}: {e!r}")
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            with lock:
                count[0] += 1
                if status != 200:
                    errors.append(f"client {seed}: status {status} {body}")
                    continue
                for text, result in zip(texts, body["results"]):
                    label, score = expected[text]
                    if result["label"] != label or abs(result["score"] - score) > 1e-4:
                        errors.append(f"'{text}': {result['label']} {result['score']} != reference {label} {score}")
        connection.close()

    workers = [threading.Thread(target=client, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    check(not errors, f"concurrency: {len(errors)} errors, first: {errors[:3]}")
    print(f"concurrency: {count[0]} requests from {threads} clients", flush=True)


def overload_and_dropped(port):
    """429 with Retry-After when the slow model's queue is full; a request whose client left is dropped."""
    results = []

    def flood():
        try:
            results.append(classify(port, {"texts": ["x" * 10] * 64, "model": "slow"}))
        except OSError as e:
            results.append((0, {}, repr(e)))

    workers = [threading.Thread(target=flood) for _ in range(6)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    statuses = sorted(r[0] for r in results)
    check(429 in statuses and 200 in statuses and set(statuses) <= {200, 429}, f"overload: statuses {statuses}")
    for status, headers, body in results:
        if status == 429:
            check(headers.get("retry-after") == "1" and body["error"]["code"] == "overloaded", f"429 shape: {headers} {body}")
    # Occupy the slow model's only inference thread, then send a request and hang up before it runs.
    busy = threading.Thread(target=lambda: classify(port, {"text": "busy", "model": "slow"}))
    busy.start()
    time.sleep(0.05)
    raw = socket.create_connection(("127.0.0.1", port))
    body = json.dumps({"text": "client leaves", "model": "slow"}).encode()
    raw.sendall(b"POST /v1/classify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                + str(len(body)).encode() + b"\r\n\r\n" + body)
    time.sleep(0.05)
    raw.close()
    busy.join()
    deadline = time.time() + 10
    dropped = ""
    while time.time() < deadline:
        metrics = request(port, "GET", "/metrics")[2].decode()
        dropped = [line for line in metrics.splitlines() if line.startswith('fastintent_dropped_texts_total{model="slow"}')]
        if dropped:
            break
        time.sleep(0.1)
    check(dropped and float(dropped[0].split()[-1]) >= 1, f"a left client's text is dropped: {dropped}")


def model_fault(port, log_path):
    """A model that fails on an input is a fault of the server: 500 with a generic message and the request id;
    the model's own message (with its file path) is only in the log, under the same id."""
    status, headers, data = request(port, "POST", "/v1/classify",
                                    json.dumps({"text": "please explode", "model": "second"}),
                                    {"Content-Type": "application/json", "X-Request-Id": "fault-test-1"})
    error = json.loads(data)["error"] if data else {}
    check(status == 500 and error.get("code") == "internal", f"model fault: {status} {data[:200]!r}")
    check(error.get("request_id") == "fault-test-1" == headers.get("x-request-id"),
          f"model fault: the body and X-Request-Id carry the client's id ({error.get('request_id')}, "
          f"{headers.get('x-request-id')})")
    check("fake_model.json" not in data.decode() and "/models/" not in data.decode(),
          f"model fault: the body says nothing of the model's files: {data[:200]!r}")
    deadline = time.time() + 5
    logged = []
    while time.time() < deadline and not logged:
        with open(log_path, encoding="utf-8", errors="replace") as f:
            logged = [line for line in f if '"fault-test-1"' in line and "handler_failed" in line]
        time.sleep(0.05)
    check(logged and "fake_model.json" in logged[0], f"model fault: the log has the detail under the id: {logged[:1]}")
    check(classify(port, {"text": "hello", "model": "second"})[0] == 200, "the model answers other texts after a fault")


def hammer(port, stop, outcome, model=None):
    """Sends requests until `stop`; records ('ok', version) / ('refused',) / ('failed', what)."""
    connection = None
    i = 0
    while not stop.is_set():
        i += 1
        payload = {"texts": [TEXTS[i % len(TEXTS)], TEXTS[(i + 5) % len(TEXTS)]]} if i % 2 else {"text": TEXTS[i % len(TEXTS)]}
        if model:
            payload["model"] = model
        try:
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                connection.connect()
        except OSError:
            outcome.append(("refused",))  # not admitted: the listener is closed
            connection = None
            time.sleep(0.01)
            continue
        try:
            status, headers, body = classify(port, payload, connection)
            outcome.append(("ok", headers.get("x-model-version")) if status == 200 else ("failed", status, body))
        except (ConnectionRefusedError, ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected):
            # Not admitted: the server closed this idle keep-alive connection before reading the request, or (after a
            # response that said Connection: close) http.client's reconnect found the listener closed.
            outcome.append(("refused",))
            connection.close()
            connection = None
        except (OSError, http.client.HTTPException) as e:
            outcome.append(("failed", repr(e)))
            connection.close()
            connection = None
    if connection:
        connection.close()


def admin_reload(port, model=None):
    body = json.dumps({"model": model}) if model else ""
    status, _, data = request(port, "POST", "/v1/admin/reload", body,
                              {"Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"})
    return status, json.loads(data)


def current_version(port, name):
    models = json.loads(request(port, "GET", "/v1/models")[2])["models"]
    return next(m["version"] for m in models if m["name"] == name)


def reload_under_load(server, model_name, set_version, break_model, restore_model):
    port = server.port
    stop = threading.Event()
    outcome = []
    workers = [threading.Thread(target=hammer, args=(port, stop, outcome, model_name)) for _ in range(6)]
    for w in workers:
        w.start()
    time.sleep(0.5)
    before = current_version(port, model_name)
    set_version(2)
    status, body = admin_reload(port, model_name)
    check(status == 200, f"reload over HTTP: {status} {body}")
    v2 = current_version(port, model_name)
    check(v2 != before and body["reloaded"][0]["version"] == v2, f"new version serving: {before} -> {v2}")
    time.sleep(0.5)
    set_version(3)
    server.process.send_signal(signal.SIGHUP)
    deadline = time.time() + 30
    while time.time() < deadline and current_version(port, model_name) == v2:
        time.sleep(0.05)
    v3 = current_version(port, model_name)
    check(v3 not in (v2, before), f"SIGHUP reloaded: {v2} -> {v3}")
    time.sleep(0.3)
    break_model()
    status, body = admin_reload(port, model_name)
    check(status == 409 and body["error"]["code"] == "reload_refused", f"broken model refused: {status} {body}")
    check(current_version(port, model_name) == v3, "old version keeps serving after a refused reload")
    time.sleep(0.3)
    restore_model()
    stop.set()
    for w in workers:
        w.join()
    failed = [o for o in outcome if o[0] != "ok"]
    versions = {o[1] for o in outcome if o[0] == "ok"}
    check(not failed, f"reload under load: {len(failed)} of {len(outcome)} failed, first {failed[:3]}")
    check({before, v2, v3} <= versions, f"answers came from every version: {versions}")
    print(f"reload under load: {len(outcome)} requests, versions {sorted(versions)}", flush=True)


def sigterm_under_load(server):
    stop = threading.Event()
    outcome = []
    workers = [threading.Thread(target=hammer, args=(server.port, stop, outcome)) for _ in range(8)]
    for w in workers:
        w.start()
    time.sleep(1.0)
    server.process.send_signal(signal.SIGTERM)
    try:
        code = server.process.wait(60)
    except subprocess.TimeoutExpired:
        code = None
    stop.set()
    for w in workers:
        w.join()
    ok = sum(1 for o in outcome if o[0] == "ok")
    failed = [o for o in outcome if o[0] == "failed"]
    check(code == 0, f"SIGTERM: exit code {code}, expected 0")
    check(ok > 0 and not failed, f"SIGTERM under load: {ok} ok, {len(failed)} failed admitted, first {failed[:3]}")
    print(f"SIGTERM under load: {ok} answered, {len(outcome) - ok} not admitted, exit {code}", flush=True)


def startup_and_policies(fake_server, work):
    """Bound before loading: /health 200 and /ready + classify 503 not_ready until the models are warm;
    --long-text reject answers 422; a model that cannot load stops the start with a message and exit 1."""
    slow_load = os.path.join(work, "slow_load")
    write_fake_model(slow_load, "l1", load_delay_ms=2000, max_length=16)
    port = free_port()
    log = open(os.path.join(work, "startup.log"), "w")
    process = subprocess.Popen([fake_server, "--port", str(port), "--model", "m=" + slow_load, "--long-text", "reject"],
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if request(port, "GET", "/health")[0] == 200:
                    break
            except OSError:
                time.sleep(0.02)
        status, _, data = request(port, "GET", "/ready")
        check(status == 503 and json.loads(data)["error"]["code"] == "not_ready", f"/ready while loading: {status} {data!r}")
        status, headers, body = classify(port, {"text": "hello"})
        check(status == 503 and body["error"]["code"] == "not_ready" and headers.get("retry-after") == "1",
              f"classify while loading: {status} {body}")
        while time.time() < deadline and request(port, "GET", "/ready")[0] != 200:
            time.sleep(0.05)
        check(classify(port, {"text": "short"})[0] == 200, "classify once ready")
        status, _, body = classify(port, {"text": "a text that is longer than sixteen tokens for sure"})
        check(status == 422 and body["error"]["code"] == "text_too_long", f"--long-text reject: {status} {body}")
    finally:
        process.send_signal(signal.SIGTERM)
        check(process.wait(60) == 0, "slow-loading server exits 0 on SIGTERM")
        log.close()
    broken = os.path.join(work, "broken")
    write_fake_model(broken, "b1", broken=True)
    result = subprocess.run([fake_server, "--port", str(free_port()), "--model", "b=" + broken],
                            capture_output=True, text=True, timeout=60)
    check(result.returncode == 1 and broken in result.stderr and "broken model" in result.stderr,
          f"a broken model stops the start: exit {result.returncode}, stderr {result.stderr[-300:]!r}")


# ---------------------------------------------------------------------------------------------------------
def write_fake_model(directory, version, **extra):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "fake_model.json"), "w") as f:
        json.dump({"version": version, **extra}, f)


def listen_backlog(port):
    """The accept-queue limit of the listening socket, as `ss` reports it (Send-Q of a LISTEN row)."""
    out = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines() if line.strip()]
    check(len(rows) == 1, f"ss shows one listening socket on port {port} (got {out!r})")
    return int(rows[0][2]) if rows else 0


def run_fake(args):
    work = args.work_dir
    shutil.rmtree(work, ignore_errors=True)
    main_dir, second_dir, slow_dir = (os.path.join(work, n) for n in ("main", "second", "slow"))
    write_fake_model(main_dir, "v1", delay_us=1000, max_length=64, fallback_threshold=0.2)
    write_fake_model(second_dir, "s1", fault_on="explode")
    write_fake_model(slow_dir, "slow1", delay_us=300000)
    command = [args.fake_server, "--port", "{PORT}", "--model", "main=" + main_dir, "--model", "second=" + second_dir,
               "--model", "slow=" + slow_dir, "--admin-token", TOKEN, "--queue-size", "128", "--inference-threads", "1",
               "--stray-thread"]  # SIGHUP and SIGTERM below must reach the server even so
    server = Server(command, os.path.join(work, "server.log"))
    try:
        models = json.loads(request(server.port, "GET", "/v1/models")[2])
        labels = models["models"][0]["labels"]
        # A backlog of 5 (cpp-httplib's, before) dropped SYNs under a burst of connections (1 s client retries).
        check(listen_backlog(server.port) >= 128, "the listening socket's backlog is the system's maximum")
        bad_input_matrix(server.port, 64, 4000)
        happy_paths(server.port, labels, ["main", "second", "slow"], "main")
        expected = {}
        for text in TEXTS:
            _, _, body = classify(server.port, {"text": text})
            expected[text] = (body["results"][0]["label"], body["results"][0]["score"])
        concurrency(server.port, expected)
        model_fault(server.port, os.path.join(work, "server.log"))
        overload_and_dropped(server.port)
        reload_under_load(
            server, "main",
            set_version=lambda n: write_fake_model(main_dir, f"v{n}", delay_us=1000, max_length=64),
            break_model=lambda: write_fake_model(main_dir, "v4", broken=True),
            restore_model=lambda: write_fake_model(main_dir, "v3", delay_us=1000, max_length=64))
        sigterm_under_load(server)
    finally:
        server.stop()
    startup_and_policies(args.fake_server, work)


def run_real(args):
    work = args.work_dir
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    model_dir = os.path.join(work, "model")
    shutil.copytree(args.model_dir, model_dir)
    config_path = os.path.join(model_dir, "config.json")
    ngram = json.load(open(config_path, encoding="utf-8")).get("model_type") == "fastintent-ngram"
    onnx = os.path.join(model_dir, "model.onnx")
    original = open(config_path if ngram else onnx, "rb").read()
    predicted = subprocess.run([args.fastintent, "predict", "--model", model_dir], input="\n".join(TEXTS) + "\n",
                               capture_output=True, text=True, check=True).stdout.splitlines()
    expected = {}
    for text, line in zip(TEXTS, predicted):
        record = json.loads(line)
        expected[text] = (record["label"], record["score"])
    check(len(expected) == len(TEXTS), f"fastintent predict gave {len(predicted)} lines for {len(TEXTS)} texts")
    command = [args.fastintent, "serve", "--port", "{PORT}", "--model", "main=" + model_dir,
               "--model", "second=" + args.model_dir, "--admin-token", TOKEN, "--queue-size", "256"]
    server = Server(command, os.path.join(work, "server.log"))
    try:
        models = json.loads(request(server.port, "GET", "/v1/models")[2])
        labels = models["models"][0]["labels"]
        # A backlog of 5 (cpp-httplib's, before) dropped SYNs under a burst of connections (1 s client retries).
        check(listen_backlog(server.port) >= 128, "the listening socket's backlog is the system's maximum")
        bad_input_matrix(server.port, 64, 4000)
        happy_paths(server.port, labels, ["main", "second"], "main", models["models"][0]["max_length"])
        concurrency(server.port, expected)

        # A new version: the same model with a different content hash (a trailing byte in a copy of the file is
        # not valid ONNX, so the version changes by re-saving the graph with a doc string instead; an n-gram
        # model's version covers its config.json, which gets a new field).
        def set_version(n):
            if ngram:
                config = json.loads(original)
                config["reload_test_version"] = n
                data, target = json.dumps(config, ensure_ascii=False).encode(), config_path
            else:
                import onnx as onnx_lib
                graph = onnx_lib.load_from_string(original)
                graph.doc_string = f"fastintent reload test version {n}"
                data, target = graph.SerializeToString(), onnx
            with open(target + ".tmp", "wb") as f:
                f.write(data)
            os.replace(target + ".tmp", target)

        def break_model():
            target = os.path.join(model_dir, "weights.bin") if ngram else onnx
            with open(target + ".tmp", "wb") as f:
                f.write(b"this is not a model")
            os.replace(target + ".tmp", target)

        weights = os.path.join(model_dir, "weights.bin")
        original_weights = open(weights, "rb").read() if ngram else None

        def restore_model():
            if ngram:
                with open(weights + ".tmp", "wb") as f:
                    f.write(original_weights)
                os.replace(weights + ".tmp", weights)
            set_version(3)

        reload_under_load(server, "main", set_version, break_model, restore_model)
        sigterm_under_load(server)
    finally:
        server.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fake-server")
    parser.add_argument("--fastintent")
    parser.add_argument("--model-dir")
    parser.add_argument("--work-dir", required=True)
    args = parser.parse_args()
    if args.fake_server:
        run_fake(args)
    elif args.fastintent and args.model_dir:
        run_real(args)
    else:
        parser.error("give --fake-server BIN, or --fastintent BIN --model-dir DIR")
    if failures:
        print(f"{len(failures)} checks failed", flush=True)
        return 1
    print("all checks passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
