#!/usr/bin/env python3
"""Starts the server (the command after "--", with {PORT} replaced by a free loopback port), waits for
/ready, runs schemathesis against the served /openapi.json with every check on positive and negative data,
stops the server with SIGTERM, and fails if schemathesis found anything or the server did not exit 0."""
import http.client
import os
import signal
import socket
import subprocess
import sys
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ready(port):
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/ready")
        return connection.getresponse().status == 200
    except OSError:
        return False


def main():
    if "--" not in sys.argv:
        sys.exit("usage: run_schemathesis.py [--max-examples N] -- SERVER_COMMAND... ({PORT} is replaced)")
    split = sys.argv.index("--")
    own, command = sys.argv[1:split], sys.argv[split + 1:]
    max_examples = own[own.index("--max-examples") + 1] if "--max-examples" in own else "60"
    port = free_port()
    server = subprocess.Popen([c.replace("{PORT}", str(port)) for c in command], stdout=subprocess.DEVNULL)
    try:
        deadline = time.time() + 120
        while not ready(port):
            if server.poll() is not None or time.time() > deadline:
                sys.exit(f"server did not become ready (exit code {server.poll()})")
            time.sleep(0.1)
        schemathesis = os.path.join(os.path.dirname(sys.executable), "schemathesis")
        result = subprocess.run([
            schemathesis, "run", f"http://127.0.0.1:{port}/openapi.json",
            "--checks", "all", "--data-generation-method", "all",
            "--hypothesis-max-examples", max_examples, "--hypothesis-seed", "20261202",
            "--hypothesis-deadline", "None", "--show-trace", "--no-color",
        ], env={**os.environ, "SCHEMATHESIS_TELEMETRY": "false"})
        status = result.returncode
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            code = server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()
            code = None
    if code != 0:
        print(f"server exit code {code}, expected 0")
        return 1
    return status


if __name__ == "__main__":
    sys.exit(main())
