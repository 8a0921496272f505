#!/usr/bin/env python3
"""The HTTP front attacked and pushed to its limits: the real `fastintent serve` on a loopback port.

Every case sends what a hostile or broken client would, expects the documented status (or a closed connection)
within the deadline that applies, and then a normal request must get the right answer (equal to `fastintent
predict`). The server runs with the default limits, except deadlines shortened so that the suite takes minutes
(header 2 s, body 3 s, keep-alive 2 s, write 3 s) and --max-connections 600:

  bodies       over --max-body-bytes with Content-Length, chunked (8 MiB at full speed, and many small chunks), and
               without any length (411); a huge chunk size; a chunk line and trailers that never end
  compression  gzip and deflate bombs (64 KiB that inflate to 64 MiB) under Content-Length and chunked framing;
               unsupported and stacked codings (415); a damaged gzip body (400); a small gzip body (200)
  headers      20,000 header fields, 101 fields, one 10 KB field, a 20 KB head of short fields, a head that never
               ends; a 9 KB and a 100 KB target (414)
  ranges       8 KB of ranges on /openapi.json is answered with the document once; one range gives 206
  framing      Content-Length with chunked, two Content-Lengths, other transfer codings (501), HTTP/2 preface,
               pipelined requests, Expect: 100-continue, HTTP/1.0, an X-Request-Id with CR LF
  slow clients 3 x 64 slow-header and 3 x 64 slow-body clients (64: the old server's HTTP threads) plus 64 that
               connect and send nothing, while wrk saturates inference at 64 connections and /health is timed on
               the main and the probe port (p99 <= 100 ms on each); every slow client gets 408 or is closed within
               its deadline + 1 s; 300 slow clients on the probe port itself, while probes there are timed
  connections  a flood over --max-connections: the excess refused at once (503 or closed), /health on the probe
               port answers meanwhile; half-closed sockets; connect-and-reset
  memory       the server's RSS after the cases above at most 50 MB above its RSS after warm-up
  shutdown     (own server) SIGTERM with busy and slow clients: /ready 503 at once, the listener still accepts during
               --drain-delay (answers say Connection: close), then refuses; exit 0 within --shutdown-timeout + 1 s;
               no admitted request lost. SIGTERM with only an idle keep-alive connection: exit right after the
               drain delay. A listener closed under the server (ss -K) makes it log an error and exit 1.
  tls          (own server) --tls-cert/--tls-key with curl: classify, HTTP on the TLS port, a handshake that never
               comes (closed at the header deadline), a body over the limit over TLS

--control starts the server with limits switched off (--max-body-bytes and --max-inflated-body-bytes 1 GiB,
--max-header-count 10000, header and body deadlines 10 minutes) and runs the body, compression, header-count and
slow-client cases: each must fail, which shows the suite catches a missing limit. Exit 0 when they do.
"""
import argparse
import gzip
import http.client
import json
import os
import re
import resource
import selectors
import shutil
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import threading
import time
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from http_test_support import (TEXTS, ProbeTimer, Reference, Server, check, failures, get, metric,  # noqa: E402
                               p99, rss_mb, wrk, wrk_summary)
from serve_integration_test import hammer  # noqa: E402

BASELINE = False  # --baseline: the server knows none of the hardening flags
HEADER_TIMEOUT, BODY_TIMEOUT, KEEP_ALIVE, WRITE_TIMEOUT = 2.0, 3.0, 2.0, 3.0
MAX_CONNECTIONS = 600  # above the slow clients, wrk and the probes together
MAX_BODY = 1 << 20
SLOW_CLIENTS = 3 * 64
SLACK = 1.0  # seconds a refusal may come after its deadline on this shared machine


def read_response(sock, deadline):
    """Reads one response: (status, headers dict, body, closed) — status 0 when the connection closed or reset
    without one. `closed` tells whether the server closed the connection after the response (checked briefly)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = recv_until(sock, deadline)
        if not chunk:
            return 0, {}, data, True
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    match = re.match(r"HTTP/1\.[01] (\d{3})", lines[0])
    status = int(match.group(1)) if match else -1
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if status == 100:  # an interim answer: the real one follows
        sock_rest = rest
        return 100, headers, sock_rest, False
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        chunk = recv_until(sock, deadline)
        if not chunk:
            return status, headers, rest, True
        rest += chunk
    return status, headers, rest[:length], False


def recv_until(sock, deadline):
    sock.settimeout(max(0.01, deadline - time.time()))
    try:
        return sock.recv(65536)
    except (socket.timeout, OSError):
        return b""


def closed_within(sock, seconds):
    """True when the server closes the connection (EOF or reset) within `seconds`; unread answer bytes are skipped."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        sock.settimeout(max(0.01, deadline - time.time()))
        try:
            if not sock.recv(65536):
                return True
        except socket.timeout:
            return False
        except OSError:
            return True
    return False


def exchange(port, data, seconds=5.0, send_chunks=None):
    """Sends `data` (or the chunks of the iterator `send_chunks`, stopping quietly when the server stops reading),
    reads one response. Returns (status, headers, body, elapsed seconds, closed after)."""
    started = time.time()
    sock = socket.create_connection(("127.0.0.1", port), timeout=seconds)
    try:
        try:
            if send_chunks is not None:
                for chunk in send_chunks:
                    sock.sendall(chunk)
            else:
                sock.sendall(data)
        except OSError:
            pass  # the server answered and closed while we were still sending: read what it said
        status, headers, body, closed = read_response(sock, started + seconds)
        elapsed = time.time() - started
        if status and not closed:
            closed = closed_within(sock, 2.0)
        return status, headers, body, elapsed, closed
    finally:
        sock.close()


def expect(name, port, data=None, status=None, seconds=5.0, code=None, must_close=True, send_chunks=None):
    got, headers, body, elapsed, closed = exchange(port, data, seconds, send_chunks)
    ok = check(got == status and elapsed <= seconds, f"{name}: status {got} in {elapsed:.2f} s (expected {status} "
                                                     f"within {seconds:.0f} s) {body[:120]!r}")
    if ok and code:
        try:
            error = json.loads(body)["error"]
            check(error["code"] == code and error.get("request_id"), f"{name}: error code {error['code']} and a "
                                                                     f"request id {error.get('request_id')!r}")
        except (ValueError, KeyError, TypeError):
            check(False, f"{name}: the body is not a JSON error: {body[:200]!r}")
    if ok and must_close:
        check(closed, f"{name}: the connection is closed after the refusal")
    return got, headers, body


def post_head(extra=b"", method=b"POST", path=b"/v1/classify"):
    return (method + b" " + path + b" HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n" + extra)


def chunked(payload, size=65536):
    for i in range(0, len(payload), size):
        piece = payload[i:i + size]
        yield b"%x\r\n" % len(piece) + piece + b"\r\n"
    yield b"0\r\n\r\n"


# ---------------------------------------------------------------------------------------------------------------
def body_cases(port, ref):
    big = b'{"text":"' + b"a" * (8 << 20) + b'"}'
    expect("Content-Length over the limit", port,
           post_head(b"Content-Length: %d\r\n\r\n" % len(big)) + big[:65536], 413, code="payload_too_large")
    ref.normal_request(port, "Content-Length over the limit")
    started = time.time()
    expect("chunked 8 MiB at full speed", port, status=413, code="payload_too_large",
           send_chunks=iter([post_head(b"Transfer-Encoding: chunked\r\n\r\n"), *chunked(big)]))
    ref.normal_request(port, "chunked 8 MiB")
    expect("chunked in 1-byte-chunks over the limit", port, status=413, seconds=15,
           send_chunks=iter([post_head(b"Transfer-Encoding: chunked\r\n\r\n")] +
                            [b"".join(b"1\r\na\r\n" for _ in range(4096)) for _ in range((MAX_BODY >> 12) + 2)]))
    ref.normal_request(port, "many small chunks")
    expect("no length at all", port, post_head(b"\r\n") + b"x" * 100000, 411, code="length_required")
    ref.normal_request(port, "a body without a length")
    expect("a chunk size of 2^64-1", port, post_head(b"Transfer-Encoding: chunked\r\n\r\n") +
           b"ffffffffffffffff\r\n" + b"a" * 1000, 413)
    expect("a chunk line that never ends", port, status=400, seconds=HEADER_TIMEOUT + BODY_TIMEOUT,
           send_chunks=iter([post_head(b"Transfer-Encoding: chunked\r\n\r\n"), b"5;" + b"x" * 100000]))
    trailers = b"".join(b"T-%d: v\r\n" % i for i in range(5000))
    expect("40 KB of trailers", port, post_head(b"Transfer-Encoding: chunked\r\n\r\n") + b"2\r\n{}\r\n0\r\n" +
           trailers + b"\r\n", 400)
    expect("101 trailer fields", port, post_head(b"Transfer-Encoding: chunked\r\n\r\n") + b"2\r\n{}\r\n0\r\n" +
           b"".join(b"T-%d: v\r\n" % i for i in range(101)) + b"\r\n", 431)
    ref.normal_request(port, "chunk line and trailer floods")
    print(f"  (bodies took {time.time() - started:.1f} s)", flush=True)


def compression_cases(port, ref):
    inflated = b'{"text":"' + b"a" * (64 << 20) + b'"}'
    bomb = gzip.compress(inflated, 9)
    deflate_bomb = zlib.compress(inflated, 9)
    print(f"  gzip bomb {len(bomb)} bytes -> {len(inflated) >> 20} MiB; deflate {len(deflate_bomb)} bytes", flush=True)
    expect("gzip bomb, Content-Length", port,
           post_head(b"Content-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(bomb)) + bomb, 413,
           code="payload_too_large")
    expect("gzip bomb, chunked", port, status=413, code="payload_too_large",
           send_chunks=iter([post_head(b"Content-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"),
                             *chunked(bomb, 4096)]))
    expect("deflate bomb", port,
           post_head(b"Content-Encoding: deflate\r\nContent-Length: %d\r\n\r\n" % len(deflate_bomb)) + deflate_bomb,
           413, code="payload_too_large")
    ref.normal_request(port, "compression bombs")
    small = gzip.compress(json.dumps({"text": TEXTS[0]}).encode())
    status, _, body, _, _ = exchange(port, post_head(b"Content-Encoding: gzip\r\nContent-Length: %d\r\n\r\n"
                                                     % len(small)) + small)
    check(status == 200 and json.loads(body)["results"][0]["label"] == ref.expected[TEXTS[0]],
          f"a small gzip body is inflated and answered ({status})")
    expect("Content-Encoding br", port, post_head(b"Content-Encoding: br\r\nContent-Length: 4\r\n\r\n") + b"abcd", 415,
           code="unsupported_media_type")
    expect("Content-Encoding gzip, gzip", port, post_head(b"Content-Encoding: gzip, gzip\r\nContent-Length: %d\r\n\r\n"
                                                           % len(small)) + small, 415)
    expect("damaged gzip", port, post_head(b"Content-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(small))
           + small[:10] + b"\0" * (len(small) - 10), 400)
    ref.normal_request(port, "codings")


def header_cases(port, ref):
    expect("20,000 header fields", port, b"GET /health HTTP/1.1\r\n" +
           b"".join(b"X-%d: a\r\n" % i for i in range(20000)) + b"\r\n", 431, code="header_too_large")
    expect("101 header fields", port, b"GET /health HTTP/1.1\r\n" +
           b"".join(b"X-%d: a\r\n" % i for i in range(101)) + b"\r\n", 431)
    status, _, _, _, _ = exchange(port, b"GET /health HTTP/1.1\r\nConnection: close\r\n" +
                                  b"".join(b"X-%d: a\r\n" % i for i in range(99)) + b"\r\n")
    check(status == 200, f"100 header fields are fine ({status})")
    expect("one 10 KB header field", port, b"GET /health HTTP/1.1\r\nX-Big: " + b"a" * 10000 + b"\r\n\r\n", 431)
    expect("a 20 KB head of 4 KB fields", port, b"GET /health HTTP/1.1\r\n" +
           b"".join(b"X-%d: " % i + b"a" * 4000 + b"\r\n" for i in range(5)) + b"\r\n", 431)
    expect("a head that never ends (1 MB)", port, status=431, send_chunks=iter(
        [b"GET /health HTTP/1.1\r\n"] + [b"X-A: " + b"a" * 60 + b"\r\n"] * 16000))
    expect("a 9 KB target", port, b"GET /health?" + b"a" * 9000 + b" HTTP/1.1\r\n\r\n", 414, code="uri_too_long")
    expect("a 100 KB target", port, b"GET /health?" + b"a" * 100000 + b" HTTP/1.1\r\n\r\n", 414)
    ref.normal_request(port, "header floods")


def range_cases(port, ref):
    _, document = get(port, "/openapi.json")
    ranges = b"bytes=" + b",".join([b"0-"] * 2000)
    status, headers, body, _, _ = exchange(port, b"GET /openapi.json HTTP/1.1\r\nConnection: close\r\nRange: " +
                                           ranges[:8192] + b"\r\n\r\n")
    check(status == 200 and body == document, f"8 KB of ranges: the whole document once ({status}, "
                                              f"{len(body)} of {len(document)} bytes)")
    status, headers, body, _, _ = exchange(port, b"GET /openapi.json HTTP/1.1\r\nConnection: close\r\n"
                                                 b"Range: bytes=10-19\r\n\r\n")
    check(status == 206 and body == document[10:20] and headers.get("content-range") ==
          f"bytes 10-19/{len(document)}", f"one range: 206 with those bytes ({status}, {headers.get('content-range')})")
    status, _, _, _, _ = exchange(port, b"GET / HTTP/1.1\r\nConnection: close\r\nRange: bytes=99999999-\r\n\r\n")
    check(status == 416, f"a range past the end: 416 ({status})")
    ref.normal_request(port, "ranges")


def framing_cases(port, ref):
    expect("Content-Length with chunked", port, post_head(b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n")
           + b"0\r\n\r\n", 400)
    expect("two Content-Lengths", port, post_head(b"Content-Length: 5\r\nContent-Length: 6\r\n\r\n") + b"abcdef", 400)
    expect("Transfer-Encoding gzip, chunked", port, post_head(b"Transfer-Encoding: gzip, chunked\r\n\r\n"), 501)
    expect("HTTP/2 preface", port, b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 400)
    expect("not HTTP", port, b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\0" * 100 + b"\r\n\r\n", 400)
    body = json.dumps({"text": TEXTS[1]}).encode()
    one = post_head(b"Content-Length: %d\r\n\r\n" % len(body)) + body
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(one * 50 + b"GET /health HTTP/1.1\r\nConnection: close\r\n\r\n")  # pipelined, in one write
    data, deadline = b"", time.time() + 10
    while True:
        chunk = recv_until(sock, deadline)
        if not chunk:
            break
        data += chunk
    sock.close()
    answers = []  # (status, body) in the order they came
    while data.startswith(b"HTTP/1.1 "):
        head, _, rest = data.partition(b"\r\n\r\n")
        length = int(re.search(rb"Content-Length: (\d+)", head).group(1))
        answers.append((int(head[9:12]), rest[:length]))
        data = rest[length:]
    def right(status, body):
        try:
            return status == 200 and json.loads(body)["results"][0]["label"] == ref.expected[TEXTS[1]]
        except (ValueError, KeyError, IndexError, TypeError):
            return False

    labels_right = all(right(*answer) for answer in answers[:50])
    check([a[0] for a in answers] == [200] * 51 and labels_right,
          f"50 pipelined requests and a GET answered in order on one connection ({len(answers)} answers)")
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(post_head(b"Expect: 100-continue\r\nContent-Length: %d\r\n\r\n" % len(body)))
    interim, _, _, _ = read_response(sock, time.time() + 3)
    sock.sendall(body)
    final, _, answer, _ = read_response(sock, time.time() + 5)
    sock.close()
    check(interim == 100 and final == 200, f"Expect: 100-continue gets 100, then 200 ({interim}, {final})")
    status, headers, _, _, closed = exchange(port, b"GET /health HTTP/1.0\r\n\r\n")
    check(status == 200 and closed, f"HTTP/1.0 without keep-alive: answered and closed ({status}, {closed})")
    status, headers, _, _, _ = exchange(port, b"GET /health HTTP/1.1\r\nConnection: close\r\n"
                                              b"X-Request-Id: abc\rInjected: 1\r\n\r\n")
    check(status in (200, 400) and "injected" not in headers, f"a CR inside a header does not make a header ({status})")
    status, headers, _, _, _ = exchange(port, b"GET /health HTTP/1.1\r\nConnection: close\r\nX-Request-Id: "
                                              b"client-id-42\r\n\r\n")
    check(headers.get("x-request-id") == "client-id-42", f"X-Request-Id is echoed ({headers.get('x-request-id')})")
    status, headers, _, _, _ = exchange(port, b"GET /health HTTP/1.1\r\nConnection: close\r\nX-Request-Id: "
                                              b"bad id <script>\r\n\r\n")
    check(re.fullmatch(r"[0-9a-f]{16}", headers.get("x-request-id", "")) is not None,
          f"an unusable X-Request-Id is replaced ({headers.get('x-request-id')})")
    ref.normal_request(port, "framing cases")


# ---------------------------------------------------------------------------------------------------------------
class SlowClients:
    """`count` connections driven by one thread: each sends the start of a request at once, then one more byte every
    `interval` seconds — a head that never ends ('header'), a body that never ends after a complete head ('body'),
    or nothing at all ('idle'). Records when the server closed each one and the status it sent before."""

    def __init__(self, port, kind, count, interval=0.5):
        self.interval = interval
        self.sockets, self.closed_after, self.statuses = [], {}, {}
        prefix, self.trickle = {
            "header": (b"GET /health HTTP/1.1\r\nHost: t\r\n", b"X-Slow: " + b"a" * 100000),
            "body": (post_head(b"Content-Length: 100000\r\n\r\n"), b"a" * 100000),
            "idle": (b"", b""),
        }[kind]
        self.started = time.time()
        for _ in range(count):
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            if prefix:
                s.sendall(prefix)
            s.setblocking(False)
            self.sockets.append(s)
        self.sent = {s: 0 for s in self.sockets}
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        selector = selectors.DefaultSelector()
        for s in self.sockets:
            selector.register(s, selectors.EVENT_READ)
        received = {s: b"" for s in self.sockets}
        next_send = time.time() + self.interval
        while not self.stop_event.is_set() and len(self.closed_after) < len(self.sockets):
            if time.time() >= next_send and self.trickle:
                next_send += self.interval
                for s in self.sockets:
                    if s in self.closed_after or self.sent[s] >= len(self.trickle):
                        continue
                    try:
                        self.sent[s] += s.send(self.trickle[self.sent[s]:self.sent[s] + 1])
                    except OSError:
                        pass
            for key, _ in selector.select(timeout=0.05):
                s = key.fileobj
                try:
                    data = s.recv(65536)
                except BlockingIOError:
                    continue
                except OSError:
                    data = b""
                if data:
                    received[s] += data
                    continue
                self.closed_after[s] = time.time() - self.started
                match = re.match(rb"HTTP/1\.1 (\d{3})", received[s])
                self.statuses[s] = int(match.group(1)) if match else 0
                selector.unregister(s)
        selector.close()

    def finish(self, wait):
        self.thread.join(wait)
        self.stop_event.set()
        self.thread.join()
        for s in self.sockets:
            s.close()
        return self.closed_after, self.statuses


def slow_client_cases(server, ref, control=False):
    """3 x 64 slow-header, 3 x 64 slow-body and 64 silent clients while wrk saturates inference; probes timed."""
    port = server.port
    load = wrk(port, 8)
    time.sleep(0.5)
    probes = ProbeTimer(sorted({port, server.probe_port}))
    started = time.time()
    groups = {"header": SlowClients(port, "header", SLOW_CLIENTS), "body": SlowClients(port, "body", SLOW_CLIENTS),
              "idle": SlowClients(port, "idle", 64)}
    for _ in range(3):  # normal requests keep being answered among the slow clients
        time.sleep(0.5)
        ref.normal_request(port, "slow clients connected")
    deadlines = {"header": HEADER_TIMEOUT, "body": BODY_TIMEOUT, "idle": HEADER_TIMEOUT}
    expected_status = {"header": 408, "body": 408, "idle": 408}
    for kind, group in groups.items():
        closed, statuses = group.finish(wait=max(0.0, deadlines[kind] + SLACK + 2.0 - (time.time() - started)))
        late = [t for t in closed.values() if t > deadlines[kind] + SLACK]
        check(len(closed) == len(group.sockets) and not late,
              f"{len(group.sockets)} slow-{kind} clients: {len(closed)} closed by the server, the last after "
              f"{max(closed.values(), default=float('nan')):.2f} s (deadline {deadlines[kind]:.0f} s + {SLACK:.0f} s)")
        wrong = [s for s in statuses.values() if s != expected_status[kind]]
        check(not wrong, f"slow-{kind} clients were told {expected_status[kind]} before the close "
                         f"({len(wrong)} other: {sorted(set(wrong))[:5]})")
    latencies = probes.stop()
    output = load.communicate()[0]
    requests, non2xx, errors = wrk_summary(output)
    check(requests > 0 and non2xx == 0 and errors == 0,
          f"wrk at 64 connections meanwhile: {requests} requests, {non2xx} non-2xx, {errors} socket errors")
    for probe_port, values in latencies.items():
        which = "probe port" if probe_port == server.probe_port != port else "main port"
        check(len(values) > 20 and p99(values) <= 0.100,
              f"/health on the {which} with {2 * SLOW_CLIENTS + 64} slow clients and inference saturated: "
              f"p50 {statistics.median(values) * 1000:.1f} ms, p99 {p99(values) * 1000:.1f} ms over {len(values)} "
              f"probes (bar 100 ms)")
    if not control:
        for reason in ("header_timeout", "body_timeout"):
            value = metric(port, "fastintent_http_rejections_total", {"reason": reason})
            check(value >= SLOW_CLIENTS, f"/metrics counts {reason}: {value:.0f}")
    ref.normal_request(port, "slow clients")


def probe_port_cases(server):
    """300 slow clients on the probe port itself (over its 256 connections): probes still answer at once, because a
    new connection there closes the oldest one instead of being refused, and the probe port's deadlines are 2 s."""
    slow = SlowClients(server.probe_port, "header", 300)
    time.sleep(0.5)
    latencies = []
    for _ in range(20):
        started = time.perf_counter()
        status, _ = get(server.probe_port, "/health", timeout=2.0)
        latencies.append(time.perf_counter() - started if status == 200 else 2.0)
        time.sleep(0.05)
    closed, _ = slow.finish(wait=2.0 + SLACK + 1.0)
    check(p99(latencies) <= 0.100, f"/health on the probe port with 300 slow clients on it: p99 "
                                   f"{p99(latencies) * 1000:.1f} ms over {len(latencies)} probes (bar 100 ms)")
    check(len(closed) == 300 and max(closed.values()) <= 2.0 + SLACK,
          f"300 slow clients on the probe port: {len(closed)} closed, the last after "
          f"{max(closed.values(), default=float('nan')):.2f} s (its deadline 2 s + {SLACK:.0f} s)")
    value = metric(server.probe_port, "fastintent_http_rejections_total", {"reason": "probe_evicted"})
    check(value >= 1, f"/metrics counts probe connections closed to make room: {value:.0f}")


def connection_cases(server, ref):
    port = server.port
    # The first --max-connections stay open (the server waits for their heads, 2 s); the rest are refused at once:
    # within 1 s of their connect each gets the 503 or the end of the stream.
    selector = selectors.DefaultSelector()
    sockets, connected, refused = [], {}, {}
    for _ in range(MAX_CONNECTIONS + 50):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.setblocking(False)
        sockets.append(s)
        connected[s] = time.time()
        selector.register(s, selectors.EVENT_READ)
    status, _ = get(server.probe_port, "/health", timeout=1.0)
    check(status == 200, f"/health on the probe port while the main port is full ({status})")
    deadline = time.time() + 1.0
    while time.time() < deadline:
        for key, _ in selector.select(timeout=max(0.0, deadline - time.time())):
            s = key.fileobj
            try:
                data = s.recv(4096)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            if data == b"" or data.startswith(b"HTTP/1.1 503"):
                refused[s] = time.time() - connected[s]
            selector.unregister(s)
    selector.close()
    check(len(refused) >= 50 and max(refused.values(), default=0) <= 1.0,
          f"{MAX_CONNECTIONS + 50} connections at once: {len(refused)} refused within "
          f"{max(refused.values(), default=0):.2f} s of their connect (expected at least 50 within 1 s)")
    for s in sockets:
        s.close()
    time.sleep(0.3)
    value = metric(port, "fastintent_http_rejections_total", {"reason": "max_connections"})
    check(value >= 50, f"/metrics counts refused connections: {value:.0f}")
    ref.normal_request(port, "a connection flood")

    # Half-closed sockets: half a head then the end of the stream; and many sockets that close or reset at once.
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(b"GET /health HTTP/1.1\r\nHost: t\r\n")
    s.shutdown(socket.SHUT_WR)
    check(closed_within(s, 1.0), "half a head, then a half-close: the server closes within 1 s")
    s.close()
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    body = json.dumps({"text": TEXTS[2]}).encode()
    s.sendall(post_head(b"Content-Length: %d\r\n\r\n" % len(body)) + body)
    s.shutdown(socket.SHUT_WR)
    check(closed_within(s, 2.0), "a whole request, then a half-close: the connection ends within 2 s")
    s.close()
    for i in range(300):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        if i % 2:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # reset
        else:
            s.shutdown(socket.SHUT_WR)
        s.close()
    deadline = time.time() + 3
    open_connections = None
    while time.time() < deadline:
        open_connections = metric(port, "fastintent_http_open_connections", {"listener": "main"})
        if open_connections <= 1:  # the /metrics request itself
            break
        time.sleep(0.1)
    check(open_connections is not None and open_connections <= 1,
          f"300 connections closed or reset at once: open connections back to {open_connections:.0f}")
    ref.normal_request(port, "half-closed and reset sockets")


# ---------------------------------------------------------------------------------------------------------------
def sigterm_cases(args, ref, work):
    drain, timeout = 1.0, 5.0
    server = Server(args.fastintent, args.model_dir, work, "sigterm", baseline=BASELINE,
                    extra=["--drain-delay", str(drain), "--shutdown-timeout", str(timeout), "--header-timeout-ms",
                           "60000", "--body-timeout-ms", "60000", "--keep-alive-seconds", "60"])
    port = server.port
    stop, outcome = threading.Event(), []
    busy = [threading.Thread(target=hammer, args=(port, stop, outcome)) for _ in range(8)]
    for t in busy:
        t.start()
    slow = [SlowClients(port, "body", 50), SlowClients(port, "header", 50)]
    idle = socket.create_connection(("127.0.0.1", port))
    idle.sendall(b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
    read_response(idle, time.time() + 5)  # now an idle keep-alive connection
    time.sleep(1.0)
    signalled = time.time()
    server.process.send_signal(signal.SIGTERM)
    ready_503 = None
    while time.time() - signalled < 1.0:
        if get(server.probe_port, "/ready", timeout=0.5)[0] == 503:
            ready_503 = time.time() - signalled
            break
        time.sleep(0.005)
    check(ready_503 is not None and ready_503 <= 0.1, f"SIGTERM: /ready turns 503 at once ({ready_503})")
    time.sleep(max(0.0, signalled + drain / 2 - time.time()))
    try:
        status, headers, _, _, closed = exchange(port, post_head(b"Content-Length: %d\r\n\r\n" % len(
            json.dumps({"text": "ok"}))) + json.dumps({"text": "ok"}).encode())
    except OSError as e:
        status, headers, closed = repr(e), {}, False
    check(status == 200 and headers.get("connection") == "close" and closed,
          f"during --drain-delay a new connection is still served, with Connection: close ({status})")
    time.sleep(max(0.0, signalled + drain + 0.5 - time.time()))
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        refused = False
    except OSError:
        refused = True
    check(refused, "after --drain-delay the listener is closed")
    check(closed_within(idle, 0.1), "the idle keep-alive connection was closed with the listener")
    try:
        code = server.process.wait(timeout + 5)
    except subprocess.TimeoutExpired:
        code = None
    exited = time.time() - signalled
    stop.set()
    for t in busy:
        t.join()
    for group in slow:
        group.finish(0)
    idle.close()
    server.stop()
    ok = sum(1 for o in outcome if o[0] == "ok")
    failed = [o for o in outcome if o[0] == "failed"]
    check(code == 0 and exited <= timeout + 1.0,
          f"SIGTERM with 8 busy, 100 slow and 1 idle client: exit {code} after {exited:.2f} s "
          f"(bar: --shutdown-timeout {timeout:.0f} s + 1 s)")
    check(ok > 0 and not failed, f"SIGTERM under load: {ok} answered, {len(failed)} admitted requests lost "
                                 f"(first {failed[:3]}), {len(outcome) - ok - len(failed)} not admitted")
    check("shutdown_timeout" in server.log_text(), "the log says the shutdown deadline closed connections")

    # Only an idle keep-alive connection: the process exits right after the drain delay.
    server = Server(args.fastintent, args.model_dir, work, "sigterm_idle", baseline=BASELINE,
                    extra=["--drain-delay", "0.5"])
    idle = socket.create_connection(("127.0.0.1", server.port))
    idle.sendall(b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
    read_response(idle, time.time() + 5)
    signalled = time.time()
    server.process.send_signal(signal.SIGTERM)
    code = server.process.wait(30)
    exited = time.time() - signalled
    idle.close()
    server.stop()
    check(code == 0 and exited <= 0.5 + 0.5, f"SIGTERM with an idle keep-alive connection: exit {code} after "
                                             f"{exited:.2f} s (drain delay 0.5 s)")

    # A listener closed under the server: an error line and exit code 1, so a supervisor restarts it.
    server = Server(args.fastintent, args.model_dir, work, "listener_failure", baseline=BASELINE,
                    extra=["--drain-delay", "0"])
    result = subprocess.run(["ss", "-K", "-t", "state", "listening", f"( sport = :{server.port} )"],
                            capture_output=True, text=True)
    try:
        code = server.process.wait(10)
    except subprocess.TimeoutExpired:
        code = None
    server.stop()
    if result.returncode != 0:
        print(f"  (ss -K failed: {result.stderr.strip()}; listener-failure case skipped)", flush=True)
    else:
        check(code == 1 and '"event":"listener_failed"' in server.log_text(),
              f"a listener closed under the server (ss -K): exit {code} with a listener_failed error line")


def tls_cases(args, ref, work):
    cert, key = os.path.join(work, "cert.pem"), os.path.join(work, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost", "-addext",
                    "subjectAltName=IP:127.0.0.1,DNS:localhost"], check=True, capture_output=True)
    server = Server(args.fastintent, args.model_dir, work, "tls", baseline=BASELINE,
                    extra=["--tls-cert", cert, "--tls-key", key, "--header-timeout-ms",
                           str(int(HEADER_TIMEOUT * 1000))])
    port = server.port
    try:
        body = json.dumps({"text": TEXTS[3]}, ensure_ascii=False)
        result = subprocess.run(["curl", "-s", "--cacert", cert, "-H", "Content-Type: application/json", "-d", body,
                                 f"https://127.0.0.1:{port}/v1/classify"], capture_output=True, text=True, timeout=30)
        try:
            label = json.loads(result.stdout)["results"][0]["label"]
        except (ValueError, KeyError, IndexError):
            label = None
        check(label == ref.expected[TEXTS[3]], f"TLS: curl --cacert classifies correctly ({result.stdout[:80]!r})")
        result = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", cert, "--tls-max",
                                 "1.1", "--tlsv1.1", f"https://127.0.0.1:{port}/health"], capture_output=True,
                                text=True, timeout=30)
        check(result.stdout in ("000", ""), f"TLS 1.1 is refused ({result.stdout!r})")
        status, _, _, elapsed, closed = exchange(port, b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n", seconds=5)
        check(status == 0 and closed, f"plain HTTP on the TLS port: closed without an answer ({status})")
        s = socket.create_connection(("127.0.0.1", port))
        started = time.time()
        gone = closed_within(s, HEADER_TIMEOUT + SLACK + 1)
        check(gone and time.time() - started <= HEADER_TIMEOUT + SLACK,
              f"a TLS handshake that never comes: closed after {time.time() - started:.2f} s")
        s.close()
        context = ssl.create_default_context(cafile=cert)
        big = json.dumps({"text": "a" * (2 << 20)})
        connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=context)
        try:
            connection.request("POST", "/v1/classify", big, {"Content-Type": "application/json"})
            status = connection.getresponse().status
        except (OSError, http.client.HTTPException) as e:
            status = repr(e)
        connection.close()
        check(status == 413, f"TLS: a body over the limit is refused with 413 ({status})")
        ref.normal_request(port, "TLS cases", context=context)
    finally:
        server.stop()


# ---------------------------------------------------------------------------------------------------------------
def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fastintent", required=True)
    parser.add_argument("--model-dir", required=True)
    parser.add_argument("--work-dir", required=True)
    parser.add_argument("--control", action="store_true", help="limits off: the cases must fail")
    parser.add_argument("--baseline", action="store_true",
                        help="the binary is a server from before the hardening: pass it only --model and --port")
    args = parser.parse_args()
    global BASELINE
    BASELINE = args.baseline
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)  # the flood opens more sockets than 1024
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 8192)), hard))
    work = os.path.abspath(args.work_dir)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    started = time.time()
    ref = Reference(args.fastintent, args.model_dir)
    limits = ["--header-timeout-ms", str(int(HEADER_TIMEOUT * 1000)), "--body-timeout-ms",
              str(int(BODY_TIMEOUT * 1000)), "--keep-alive-seconds", str(int(KEEP_ALIVE)), "--write-timeout-ms",
              str(int(WRITE_TIMEOUT * 1000)), "--max-connections", str(MAX_CONNECTIONS)]
    if args.control:
        limits = ["--max-body-bytes", str(1 << 30), "--max-inflated-body-bytes", str(1 << 30), "--max-header-count",
                  "10000", "--header-timeout-ms", "600000", "--body-timeout-ms", "600000",
                  "--max-connections", str(MAX_CONNECTIONS)]
    server = Server(args.fastintent, args.model_dir, work, "server", baseline=BASELINE, extra=limits)
    try:
        ref.normal_request(server.port, "the start")
        for i in range(200):  # warm-up: allocator arenas, metric families
            ref.classify(server.port, TEXTS[i % len(TEXTS)])
        rss_before = rss_mb(server.process.pid)
        body_cases(server.port, ref)
        compression_cases(server.port, ref)
        header_cases(server.port, ref)
        if not args.control:
            range_cases(server.port, ref)
            framing_cases(server.port, ref)
        slow_client_cases(server, ref, args.control)
        if not args.control:
            connection_cases(server, ref)
            if not BASELINE:
                probe_port_cases(server)
        rss_after = rss_mb(server.process.pid)
        check(server.process.poll() is None, "the server is still running after every case")
        check(rss_after - rss_before <= 50, f"RSS {rss_before:.1f} MB after warm-up, {rss_after:.1f} MB after the "
                                            f"cases: growth {rss_after - rss_before:.1f} MB (bar 50 MB)")
    finally:
        code = server.stop()
    check(code == 0, f"the server exits 0 on SIGINT ({code})")
    if not args.control:
        sigterm_cases(args, ref, work)
        if BASELINE:
            check(False, "TLS: the server has no --tls-cert")
        else:
            tls_cases(args, ref, work)
    print(f"\n{len(failures)} checks failed; {time.time() - started:.0f} s", flush=True)
    if args.control:
        if failures:
            print(f"control: the suite caught the missing limits ({len(failures)} failed checks)", flush=True)
            return 0
        print("control: FAIL — no check failed although the limits were off", flush=True)
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
