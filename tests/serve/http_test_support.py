"""What the HTTP-front tests share (abuse_test.py, soak_test.py): a server on free loopback ports, plain GETs,
/metrics samples, expected answers from `fastintent predict`, timed /health probes, wrk runs, RSS."""
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import threading
import time

TEXTS = ["хочу подключить безлимитный интернет", "как узнать баланс?", "I want to change my tariff plan",
         "my card was blocked", "позовите оператора", "roaming prices in Turkey"]
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
failures = []  # what check() found wrong, for the test's exit code


def check(condition, what):
    print(("ok:   " if condition else "FAIL: ") + what, flush=True)
    if not condition:
        failures.append(what)
    return condition


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Server:
    """`fastintent serve` on free loopback ports (main and --probe-port), ready when this returns. With
    baseline=True only --model and --port are passed (a server from before the hardening, which knows no other
    flag), and the probe port is the main port."""

    def __init__(self, binary, model_dir, work, name, extra, baseline=False):
        self.port = free_port()
        self.probe_port = self.port if baseline else free_port()
        self.log_path = os.path.join(work, name + ".log")
        self.log = open(self.log_path, "w")
        command = [binary, "serve", "--model", "bert=" + model_dir, "--port", str(self.port)]
        if not baseline:
            command += ["--probe-port", str(self.probe_port), *extra]
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT,
                                        env={**os.environ, "ORT_DISABLE_TELEMETRY": "1"})
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}; see {self.log_path}")
            if get(self.probe_port, "/ready")[0] == 200:
                return
            time.sleep(0.05)
        raise RuntimeError(f"server not ready within 60 s; see {self.log_path}")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        return self.process.returncode

    def log_text(self):
        if not self.log.closed:
            self.log.flush()
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()


def get(port, path, timeout=2.0):
    """(status, body) of a GET on a new connection; (0, error) when it fails."""
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, body
    except (OSError, http.client.HTTPException) as e:
        return 0, repr(e)


def metric(port, name, labels):
    """The value of one sample of /metrics (0 when absent)."""
    _, body = get(port, "/metrics")
    text = body.decode() if isinstance(body, bytes) else ""
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    for line in text.splitlines():
        if line.startswith(f"{name}{{{wanted}}} "):
            return float(line.split()[-1])
    return 0.0


class Reference:
    """Expected answers (from `fastintent predict`) and the normal request every case is followed by."""

    def __init__(self, binary, model_dir):
        out = subprocess.run([binary, "predict", "--model", model_dir], input="\n".join(TEXTS) + "\n",
                             capture_output=True, text=True, check=True,
                             env={**os.environ, "ORT_DISABLE_TELEMETRY": "1"}).stdout.splitlines()
        self.expected = {t: json.loads(line)["label"] for t, line in zip(TEXTS, out)}
        self.count = 0

    def classify(self, port, text, timeout=10.0, context=None):
        connection = (http.client.HTTPSConnection("127.0.0.1", port, timeout=timeout, context=context) if context
                      else http.client.HTTPConnection("127.0.0.1", port, timeout=timeout))
        try:
            connection.request("POST", "/v1/classify", json.dumps({"text": text}),
                               {"Content-Type": "application/json"})
            response = connection.getresponse()
            body = response.read()
            return response.status, json.loads(body) if response.status == 200 else body
        finally:
            connection.close()

    def normal_request(self, port, after, context=None):
        text = TEXTS[self.count % len(TEXTS)]
        self.count += 1
        try:
            status, body = self.classify(port, text, context=context)
            ok = status == 200 and body["results"][0]["label"] == self.expected[text]
        except (OSError, http.client.HTTPException, ValueError) as e:
            status, body, ok = 0, repr(e), False
        return check(ok, f"after {after}: a normal request is answered correctly ({status})")


class ProbeTimer:
    """GET /health on a new connection every 20 ms, on the main and the probe port, timed."""

    def __init__(self, ports):
        self.latencies = {port: [] for port in ports}
        self.stop_event = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(p,), daemon=True) for p in ports]
        for t in self.threads:
            t.start()

    def run(self, port):
        while not self.stop_event.is_set():
            started = time.perf_counter()
            status, _ = get(port, "/health", timeout=2.0)
            self.latencies[port].append((time.perf_counter() - started) if status == 200 else 2.0)
            time.sleep(0.02)

    def stop(self):
        self.stop_event.set()
        for t in self.threads:
            t.join()
        return self.latencies


def p99(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] if ordered else float("inf")


def wrk(port, seconds, connections=64):
    """wrk posting one-text classify requests (tools/bench/wrk_post.lua) in the background; read its output with
    wrk_summary(process.communicate()[0])."""
    bodies = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"abuse_bodies_{os.getpid()}.jsonl")
    with open(bodies, "w", encoding="utf-8") as f:
        for text in TEXTS:
            f.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
    return subprocess.Popen(["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency", "-s",
                             os.path.join(ROOT, "tools", "bench", "wrk_post.lua"),
                             f"http://127.0.0.1:{port}/v1/classify"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "WRK_BODIES": bodies})


def wrk_summary(output):
    """(requests, non-2xx responses, socket errors) of a wrk run."""
    requests = re.search(r"(\d+) requests in", output)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return (int(requests.group(1)) if requests else 0, int(non2xx.group(1)) if non2xx else 0,
            sum(map(int, errors.groups())) if errors else 0)




def wrk_latency(output):
    """(p50, p99) in milliseconds from a wrk --latency run."""
    units = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    found = {m.group(1): float(m.group(2)) * units[m.group(3)]
             for m in re.finditer(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)}
    return found.get("50", float("nan")), found.get("99", float("nan"))
