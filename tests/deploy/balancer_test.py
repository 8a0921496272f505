#!/usr/bin/env python3
"""Replicas behind HAProxy under constant load: a killed replica, a rolling restart and a model reload cost 0 requests.

Starts N `fastintent serve` replicas and the balancer with scripts/replicas.sh on free loopback ports, puts a
constant load on the balancer (load_client.Load: fixed connections, every answer checked, no client retries) and,
one phase at a time:
  steady   nothing happens (the baseline)
  kill     SIGKILL one replica, then start it again (replicas.sh restart) while the load runs
  rolling  replicas.sh rolling-restart: SIGTERM each replica in turn, start it, wait for /ready and the balancer
  reload   a new model version (the same fixture with its classifier rows rotated by one, so every text's label
           changes) is written into the shared model directory and replicas.sh reload rolls it out: every answer
           must be all-old or all-new, and each version must always answer the same way
Every phase must end with 0 failed requests; the counts of each phase are printed. Then replicas.sh stop must stop
every replica with SIGTERM in time.

--control runs the kill and rolling phases with the balancer's retries switched off (retries 0, retry-on none, no
redispatch) and the replicas' --drain-delay at 0 (the listener closes the moment SIGTERM arrives, before the balancer
has seen /ready turn 503), and expects failed requests in each: proof that the phases provoke the errors that the
retries and the drain delay absorb. (With the default drain delay a rolling restart loses no request even without
retries: the balancer takes each replica out while it still accepts.)
"""
import argparse
import http.client
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import load_client  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
REPLICAS = os.path.join(ROOT, "scripts", "replicas.sh")
TOKEN = "balancer-test-token"
failures = []


def check(condition, what):
    print(("ok:   " if condition else "FAIL: ") + what, flush=True)
    if not condition:
        failures.append(what)
    return condition


def free_port_block(count):
    """A base port with `count` consecutive free loopback ports, below the ephemeral range (where other tests'
    free ports and outgoing connections come from), so nothing takes them between this check and the bind."""
    with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
        ephemeral_low = int(f.read().split()[0])
    for _ in range(200):
        base = random.randint(min(20000, ephemeral_low // 2), ephemeral_low - count - 1)
        sockets = []
        try:
            for port in range(base, base + count):
                s = socket.socket()
                sockets.append(s)
                s.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
    raise RuntimeError("no block of free ports")


def get_json(port, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return json.load(response)


def predict(fastintent, model_dir):
    """text -> label from `fastintent predict` on the directory."""
    out = subprocess.run([fastintent, "predict", "--model", model_dir], input="\n".join(load_client.TEXTS) + "\n",
                         capture_output=True, text=True, check=True, env={**os.environ, "ORT_DISABLE_TELEMETRY": "1"})
    labels = [json.loads(line)["label"] for line in out.stdout.splitlines()]
    if len(labels) != len(load_client.TEXTS):
        raise RuntimeError(f"fastintent predict gave {len(labels)} answers for {len(load_client.TEXTS)} texts")
    return dict(zip(load_client.TEXTS, labels))


def rotated_model(source, target):
    """Writes to `target` the ONNX model `source` with the classifier's rows rotated by one: label i's logit is the
    old logit of label i-1, so every argmax moves to the next label."""
    import numpy
    import onnx
    from onnx import numpy_helper
    model = onnx.load(source)
    rotated = 0
    for init in model.graph.initializer:
        if init.name in ("model.classifier.weight", "model.classifier.bias"):
            init.CopyFrom(numpy_helper.from_array(numpy.roll(numpy_helper.to_array(init), 1, axis=0), init.name))
            rotated += 1
    if rotated != 2:
        raise RuntimeError(f"{source}: expected model.classifier.weight and .bias, rotated {rotated}")
    onnx.save(model, target)


class Replicas:
    def __init__(self, work, base_port, fastintent, haproxy_cfg=None, serve_env=None):
        self.env = {**os.environ, "REPLICAS_DIR": os.path.join(work, "run"), "REPLICAS_LB_PORT": str(base_port),
                    "REPLICAS_BASE_PORT": str(base_port + 1), "FASTINTENT_BIN": fastintent,
                    "FASTINTENT_ADMIN_TOKEN": TOKEN, "ORT_DISABLE_TELEMETRY": "1", **(serve_env or {})}
        if haproxy_cfg:
            self.env["REPLICAS_HAPROXY_CFG"] = haproxy_cfg
        self.lb_port = base_port

    def run(self, *args, timeout=180):
        started = time.monotonic()
        result = subprocess.run(["bash", REPLICAS, *args], env=self.env, capture_output=True, text=True,
                                timeout=timeout)
        output = (result.stdout + result.stderr).strip()
        print(f"$ replicas.sh {' '.join(args)}  ({time.monotonic() - started:.1f} s, exit {result.returncode})",
              flush=True)
        if output:
            print("  " + output.replace("\n", "\n  "), flush=True)
        return result.returncode, result.stdout.strip()

    def must(self, *args):
        code, out = self.run(*args)
        if code != 0:
            raise RuntimeError(f"replicas.sh {' '.join(args)} failed with {code}")
        return out


def balancer_counters(run_dir):
    """The balancer backend's counters from its stats CSV (HAProxy's names): connection errors (econ), response
    errors (eresp), retries (wretr), redispatches to another replica (wredis)."""
    class UnixConnection(http.client.HTTPConnection):
        def connect(self):
            self.sock = socket.socket(socket.AF_UNIX)
            self.sock.settimeout(5)
            self.sock.connect(os.path.join(run_dir, "haproxy-stats.sock"))

    connection = UnixConnection("balancer")
    connection.request("GET", "/;csv")
    lines = connection.getresponse().read().decode().splitlines()
    connection.close()
    header = lines[0].lstrip("# ").split(",")
    for line in lines[1:]:
        row = dict(zip(header, line.split(",")))
        if row.get("pxname") == "replicas" and row.get("svname") == "BACKEND":
            return {k: int(row[k] or 0) for k in ("econ", "eresp", "wretr", "wredis")}
    raise RuntimeError("no backend row in the balancer's stats")


def without_retries(source, target):
    """The balancer configuration with its retries switched off."""
    text = open(source, encoding="utf-8").read()
    for old, new in (("    retries 3\n", "    retries 0\n"), ("    option redispatch 1\n", "    no option redispatch\n")):
        if old not in text:
            raise RuntimeError(f"{source}: no line {old.strip()!r} to switch off")
        text = text.replace(old, new)
    text, count = re.subn(r"^    retry-on .*$", "    retry-on none", text, flags=re.M)
    if count != 1:
        raise RuntimeError(f"{source}: expected one retry-on line, found {count}")
    with open(target, "w", encoding="utf-8") as f:
        f.write(text)


def phase(name, replicas, load_args, action, before=1.5, after=1.5, control=False):
    """Runs `action` under load; returns the load's summary (and prints it with the balancer's retries)."""
    print(f"\n== phase {name}", flush=True)
    counters = balancer_counters(replicas.env["REPLICAS_DIR"])
    load = load_client.Load("127.0.0.1", replicas.lb_port, **load_args).start()
    time.sleep(before)
    try:
        action()
        time.sleep(after)
    finally:
        summary = load.stop()
    after_counters = balancer_counters(replicas.env["REPLICAS_DIR"])
    summary["balancer"] = {k: after_counters[k] - counters[k] for k in counters}
    print(f"load ({name}): {load_client.describe(summary)}", flush=True)
    print(f"balancer ({name}): connection errors {summary['balancer']['econ']}, response errors "
          f"{summary['balancer']['eresp']}, retries {summary['balancer']['wretr']}, "
          f"redispatched {summary['balancer']['wredis']}", flush=True)
    if summary["failures"]:
        print(f"  first failures: {summary['failures']}", flush=True)
    if control:
        check(summary["failed"] > 0, f"{name} without retries: {summary['failed']} of {summary['requests']} "
                                     f"requests failed (the phase provokes errors)")
    else:
        check(summary["failed"] == 0 and summary["ok"] > 0,
              f"{name}: 0 failed of {summary['requests']} requests (ok {summary['ok']}, failed {summary['failed']})")
    return load, summary


def reload_phase(replicas, load_args, model, new_model, old_answers, new_answers, count):
    """Writes the next version into the served directory and rolls it out under load."""
    def reload_all():
        target = os.path.join(model, "model.onnx")
        shutil.copyfile(os.path.join(new_model, "model.onnx"), target + ".tmp")
        os.replace(target + ".tmp", target)
        replicas.must("reload")

    load, summary = phase("reload", replicas, {**load_args, "expect": [old_answers, new_answers]}, reload_all)
    problem = load.check_versions()
    check(problem is None, f"reload: each version always answered the same way ({problem or summary['version_maps']})")
    check(len(summary["versions"]) == 2, f"reload: answers from the old and the new version: {summary['versions']}")
    ports = [int(replicas.must("port", str(i))) for i in range(1, count + 1)]
    serving = {get_json(p, "/v1/models")["models"][0]["version"] for p in ports}
    new_version = [v for v, maps in summary["version_maps"].items() if maps == [1]]
    check(len(serving) == 1 and list(serving) == new_version,
          f"reload: every replica serves the new version afterwards: {serving}, new {new_version}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fastintent", required=True)
    parser.add_argument("--model-dir", required=True, help="an ONNX model directory (the tiny BERT fixture)")
    parser.add_argument("--work-dir", required=True)
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--steady-seconds", type=float, default=3)
    parser.add_argument("--control", action="store_true", help="balancer retries off: kill and rolling must fail")
    args = parser.parse_args()
    if args.replicas < 2:
        parser.error("--replicas: at least 2 (one is killed or restarted while the others serve)")

    work = os.path.abspath(args.work_dir)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    model = os.path.join(work, "model")  # the directory every replica serves (and reloads)
    shutil.copytree(args.model_dir, model)
    new_model = os.path.join(work, "model-next")  # the next version, prepared beside it
    shutil.copytree(args.model_dir, new_model)
    rotated_model(os.path.join(model, "model.onnx"), os.path.join(new_model, "model.onnx"))
    old_answers, new_answers = predict(args.fastintent, model), predict(args.fastintent, new_model)
    check(all(old_answers[t] != new_answers[t] for t in load_client.TEXTS),
          "the next version answers every test text differently")

    haproxy_cfg = None
    serve_env = None
    if args.control:
        haproxy_cfg = os.path.join(work, "haproxy-without-retries.cfg")
        without_retries(os.path.join(ROOT, "deploy", "haproxy", "haproxy.cfg"), haproxy_cfg)
        serve_env = {"FASTINTENT_DRAIN_DELAY": "0"}
    replicas = Replicas(work, free_port_block(args.replicas + 1), args.fastintent, haproxy_cfg, serve_env)
    started = False
    try:
        replicas.must("start", str(args.replicas), "--", "--model", f"intent={model}")
        started = True
        labels = get_json(replicas.lb_port, "/v1/models")["models"][0]["labels"]
        load_args = {"connections": args.connections, "labels": labels}

        if not args.control:
            phase("steady", replicas, {**load_args, "expect": [old_answers]}, lambda: time.sleep(args.steady_seconds))

        victim = 2

        def kill_and_restart():
            pid = int(replicas.must("pid", str(victim)))
            os.kill(pid, 9)
            print(f"SIGKILL replica {victim} (pid {pid})", flush=True)
            time.sleep(3)  # the balancer takes it out of rotation; requests sent to it meanwhile are retried
            replicas.must("restart", str(victim))

        phase("kill", replicas, {**load_args, "expect": [old_answers]}, kill_and_restart, control=args.control)
        phase("rolling", replicas, {**load_args, "expect": [old_answers]},
              lambda: replicas.must("rolling-restart"), control=args.control)
        if not args.control:
            reload_phase(replicas, load_args, model, new_model, old_answers, new_answers, args.replicas)
    finally:
        if started:
            code, _ = replicas.run("stop")
            check(code == 0, "replicas.sh stop: every replica exited on SIGTERM in time")
        else:
            replicas.run("stop")
    if failures:
        print(f"\n{len(failures)} checks failed (logs in {work}/run)", flush=True)
        return 1
    print("\nall checks passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
