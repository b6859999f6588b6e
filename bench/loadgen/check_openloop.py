#!/usr/bin/env python3
"""Self-check of bench/loadgen/openloop.c: python3 bench/loadgen/check_openloop.py

Builds the generator (cc) into a temporary directory and runs it against a small server in this
process (127.0.0.1, a free port) that answers with Content-Length or chunked bodies and closes the
connection every 7th response, as Tomcat does every 100th:

1. Coordinated omission: one connection, a server that takes 10 ms per request, 200 requests due
   at 5 ms intervals. The server falls behind by 5 ms per request, so request i is answered about
   10 (i + 1) ms after start and is due at 5 i ms: latency from the due time about 5 i + 10 ms,
   p50 about 0.5 s, max about 1 s. A closed-loop generator would report about 10 ms for all.
2. Parsing and reconnects: a fast server, 4 connections, 300 requests: all answered, none failed.
3. A server that takes 300 ms per request and closes connections idle for 20 ms, 3 connections,
   a request due every 50 ms, so they queue: every request answered, none sent on a connection
   that was still busy.

The bounds are one-sided where it matters and wide (a busy machine makes the server slower and
the latencies longer, never shorter); exit code 0 if all hold.
"""
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BODY = b'{"id":42,"name":"User 42"}'


class Server:
    def __init__(self, delay_s, idle_close_s=None):
        self.delay_s = delay_s
        self.idle_close_s = idle_close_s
        self.accepted = 0
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.answered = 0
        self.lock = threading.Lock()
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.accepted += 1
            connection.settimeout(self.idle_close_s)
            threading.Thread(target=self.serve, args=(connection,), daemon=True).start()

    def serve(self, connection):
        buffer = b""
        with connection:
            while True:
                while b"\r\n\r\n" not in buffer:
                    try:
                        data = connection.recv(4096)
                    except socket.timeout:
                        return  # idle too long: closed, as Tomcat does after its keep-alive timeout
                    if not data:
                        return
                    buffer += data
                buffer = buffer.split(b"\r\n\r\n", 1)[1]
                if self.delay_s:
                    time.sleep(self.delay_s)
                with self.lock:
                    self.answered += 1
                    n = self.answered
                close = n % 7 == 0
                head = b"HTTP/1.1 200 \r\nContent-Type: application/json\r\n"
                if close:
                    head += b"Connection: close\r\n"
                if n % 2:
                    response = head + b"Content-Length: %d\r\n\r\n" % len(BODY) + BODY
                else:
                    response = (head + b"Transfer-Encoding: chunked\r\n\r\n" + b"%x\r\n" % 10 + BODY[:10]
                                + b"\r\n" + b"%x\r\n" % (len(BODY) - 10) + BODY[10:] + b"\r\n0\r\n\r\n")
                connection.sendall(response)
                if close:
                    return

    def close(self):
        self.listener.close()


def run(binary, port, rate, seconds, connections):
    out = subprocess.run([binary, "-p", str(port), "-r", str(rate), "-d", str(seconds), "-c", str(connections),
                          "-u", "/api/users/42", "-H", "User-Agent: check"],
                         capture_output=True, text=True, timeout=60)
    fields = dict(pair.split("=", 1) for pair in out.stdout.split())
    print(out.stdout.strip() or out.stderr.strip())
    return {k: float(v) for k, v in fields.items()}


def check(name, condition):
    print(("ok    " if condition else "FAIL  ") + name)
    return condition


def main():
    with tempfile.TemporaryDirectory() as directory:
        binary = os.path.join(directory, "openloop")
        subprocess.run(["cc", "-O2", "-Wall", "-Wextra", "-Werror", "-o", binary,
                        os.path.join(HERE, "openloop.c")], check=True)
        ok = True

        slow = Server(0.010)
        r = run(binary, slow.port, 200, 1, 1)
        slow.close()
        ok &= check("all 200 answered", r["completed"] == 200 and r["failed"] == 0)
        ok &= check("p50 from the due time about 0.5 s (0.4-5 s), not the 10 ms of service",
                    400_000 <= r["p50_us"] <= 5_000_000)
        ok &= check("max about 1 s (at least 0.9 s)", r["max_us"] >= 900_000)
        ok &= check("the wait for the connection shows as send lag (p99 at least 0.8 s)",
                    r["send_lag_p99_us"] >= 800_000)

        fast = Server(0)
        r = run(binary, fast.port, 300, 1, 4)
        fast.close()
        ok &= check("fast server: all 300 answered through chunked bodies and reconnects",
                    r["completed"] == 300 and r["failed"] == 0 and r["non_2xx"] == 0 and r["unanswered"] == 0)

        # Connections the server closes while they are idle are replaced, and none is then used for
        # two requests at once when requests queue (300 ms each, one due every 50 ms, 3 connections).
        closing = Server(0.3, idle_close_s=0.02)
        r = run(binary, closing.port, 20, 1, 3)
        closing.close()
        ok &= check("idle connections closed by the server: all 20 answered, one at a time per connection",
                    r["completed"] == 20 and r["failed"] == 0 and r["unanswered"] == 0 and closing.accepted >= 5)
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
