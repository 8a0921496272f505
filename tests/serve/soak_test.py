#!/usr/bin/env python3
"""Soak: `fastintent serve` at saturation for a while, with a trickle of hostile clients, on a loopback port.

wrk keeps 64 connections busy with one-text classify requests for --duration seconds (CI: 60; the documented long
run: 1800). Meanwhile /health is timed every 20 ms on the main and the probe port, and every 0.2 s one hostile
client comes by in turn: a body over the limit, a gzip bomb, 200 header fields, a head that stops half-way and
closes, a connect-and-reset. Checks: wrk saw no error and no non-2xx answer; every hostile client got its
documented status or close; /health p99 <= 100 ms on both ports; the server's RSS at the end is at most 50 MB above
its RSS once warm (after the first tenth of the run, at least 5 s); a normal request is answered correctly; SIGTERM
ends the server with exit 0. Prints one summary line (throughput, latency, probes, RSS) for docs/api.md.
"""
import argparse
import gzip
import os
import shutil
import signal
import socket
import statistics
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from http_test_support import (ProbeTimer, Reference, Server, check, failures, metric, p99, rss_mb,  # noqa: E402
                               wrk, wrk_latency, wrk_summary)



def status_of(port, data):
    """Sends `data`, returns the status of the answer (0: closed without one)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        try:
            s.sendall(data)
        except OSError:
            pass
        received = b""
        try:
            while b"\r\n" not in received:
                chunk = s.recv(4096)
                if not chunk:
                    break
                received += chunk
        except OSError:
            pass
    return int(received[9:12]) if received.startswith(b"HTTP/1.1 ") else 0


def hostile_trickle(port, stop, outcome):
    head = b"POST /v1/classify HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
    bomb = gzip.compress(b'{"text":"' + b"a" * (16 << 20) + b'"}')
    cases = [
        ("body over the limit", head + b"Content-Length: 2000000\r\n\r\n" + b"a" * 1000, 413),
        ("gzip bomb", head + b"Content-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(bomb) + bomb, 413),
        ("200 header fields", b"GET /health HTTP/1.1\r\n" + b"".join(b"X-%d: a\r\n" % i for i in range(200)) +
         b"\r\n", 431),
    ]
    i = 0
    while not stop.wait(0.2):
        i += 1
        kind = i % 5
        try:
            if kind < 3:
                name, data, expected = cases[kind]
                got = status_of(port, data)
                outcome.append((name, got == expected, got))
            elif kind == 3:  # half a head, then gone
                with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
                    s.sendall(b"GET /health HTTP/1.1\r\nHost: t\r\n")
                outcome.append(("half a head", True, 0))
            else:  # connect and reset
                s = socket.create_connection(("127.0.0.1", port), timeout=5)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                s.close()
                outcome.append(("reset", True, 0))
        except OSError as e:
            outcome.append(("connect", False, repr(e)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fastintent", required=True)
    parser.add_argument("--model-dir", required=True)
    parser.add_argument("--work-dir", required=True)
    parser.add_argument("--duration", type=int, default=60, help="seconds at saturation")
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    work = os.path.abspath(args.work_dir)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    ref = Reference(args.fastintent, args.model_dir)
    server = Server(args.fastintent, args.model_dir, work, "soak", ["--drain-delay", "0.5"])
    port, pid = server.port, server.process.pid
    try:
        ref.normal_request(port, "the start")
        load = wrk(port, args.duration, args.connections)
        probes = ProbeTimer([port, server.probe_port])
        stop, hostile = threading.Event(), []
        trickle = threading.Thread(target=hostile_trickle, args=(port, stop, hostile))
        trickle.start()
        started = time.time()
        warm_at = max(5.0, args.duration / 10)
        samples = []  # (seconds, RSS MB)
        while load.poll() is None:
            samples.append((time.time() - started, rss_mb(pid)))
            time.sleep(1.0)
        output = load.communicate()[0]
        stop.set()
        trickle.join()
        latencies = probes.stop()
        requests, non2xx, errors = wrk_summary(output)
        p50_ms, p99_ms = wrk_latency(output)
        seconds = time.time() - started
        check(requests > 0 and non2xx == 0 and errors == 0,
              f"wrk at {args.connections} connections for {args.duration} s: {requests} requests "
              f"({requests / seconds:.0f}/s), {non2xx} non-2xx, {errors} socket errors")
        wrong = [o for o in hostile if not o[1]]
        check(hostile and not wrong, f"{len(hostile)} hostile clients got their status or close ({len(wrong)} did not: "
                                     f"{wrong[:3]})")
        for probe_port, values in latencies.items():
            which = "probe port" if probe_port == server.probe_port else "main port"
            check(len(values) > 10 and p99(values) <= 0.100,
                  f"/health on the {which} at saturation: p50 {statistics.median(values) * 1000:.1f} ms, p99 "
                  f"{p99(values) * 1000:.1f} ms over {len(values)} probes (bar 100 ms)")
        warm = next((rss for t, rss in samples if t >= warm_at), samples[-1][1])
        end = rss_mb(pid)
        peak = max(rss for _, rss in samples)
        check(end - warm <= 50, f"RSS {warm:.1f} MB once warm ({warm_at:.0f} s), {end:.1f} MB at the end, peak "
                                f"{peak:.1f} MB: growth {end - warm:.1f} MB (bar 50 MB)")
        ref.normal_request(port, "the soak")
        dropped = metric(port, "fastintent_http_rejections_total", {"reason": "write_timeout"})
        check(dropped == 0, f"no answer hit the write deadline ({dropped:.0f})")
        print(f"summary: {args.duration} s at {args.connections} connections: {requests / seconds:.0f} requests/s, "
              f"p50 {p50_ms:.2f} ms, p99 {p99_ms:.2f} ms; /health p99 main "
              f"{p99(latencies[port]) * 1000:.1f} ms, probe {p99(latencies[server.probe_port]) * 1000:.1f} ms; "
              f"{len(hostile)} hostile clients; RSS warm {warm:.1f} MB, end {end:.1f} MB, peak {peak:.1f} MB",
              flush=True)
        server.process.send_signal(signal.SIGTERM)
        code = server.process.wait(30)
        check(code == 0, f"SIGTERM after the soak: exit {code}")
    finally:
        server.stop()
    print(f"\n{len(failures)} checks failed", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
