#!/usr/bin/env python3
"""Soak: the test app with the agent in Redis mode under steady load while Redis is killed and
restarted every minute and hostile clients abort scrapes, send half requests, hold idle
connections and send hostile paths and headers. Reports, at the start (after warm-up) and at the
end: failed app requests (must be 0), open files, threads, heap after a full GC, events dropped.

Not part of the test run. Usage (from anywhere in the repository):
    python3 bench/soak.py                    # 15 minutes
    SOAK_MINUTES=2 python3 bench/soak.py     # a short run
Environment: SOAK_MINUTES (15), RATE (legitimate requests per second, 200), REDIS_EVERY (seconds
between Redis kills, 60), REDIS_DOWN (seconds Redis stays down, 5), VISITORS (distinct visitors of
the legitimate traffic, 2000), JAVA (java), XMX (256m),
SKIP_BUILD=1 (reuse the jars), AGENT_JAR and APP_JAR (jars to run instead of the built ones). Needs redis-server on PATH and a JDK with jcmd. Every process it
starts is stopped by PID when it ends; traffic goes to 127.0.0.1 only.
"""
import http.client
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
AGENT = os.environ.get("AGENT_JAR", os.path.join(ROOT, "agent/target/headcount-agent.jar"))
APP = os.environ.get("APP_JAR", os.path.join(ROOT, "test-app/target/headcount-test-app.jar"))
MINUTES = float(os.environ.get("SOAK_MINUTES", "15"))
RATE = int(os.environ.get("RATE", "200"))
REDIS_EVERY = float(os.environ.get("REDIS_EVERY", "60"))
REDIS_DOWN = float(os.environ.get("REDIS_DOWN", "5"))
# A fixed population of visitors (address and User-Agent pairs), so that once each has been seen the
# agent's state for the day stops growing and the heap at the end can be compared with the start.
VISITORS = int(os.environ.get("VISITORS", "2000"))
JAVA = os.environ.get("JAVA", "java")
JCMD = os.path.join(os.path.dirname(shutil.which(JAVA) or JAVA), "jcmd")
XMX = os.environ.get("XMX", "256m")
WARMUP_S = 40

BROWSERS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "curl/8.5.0",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
]
PATHS = ["/api/users/%d", "/api/orders", "/index.html", "/shop/products/%d", "/api/users"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log(message):
    print(time.strftime("%H:%M:%S"), message, flush=True)


class Redis:
    def __init__(self, workdir):
        self.port = free_port()
        self.workdir = workdir
        self.process = None

    def start(self):
        # Saved on demand (SAVE before a kill) so that alternate restarts come back with the day's data.
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--dir", self.workdir,
             "--save", "", "--appendonly", "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise SystemExit("soak: redis-server did not start")

    def command(self, *words):
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as s:
            payload = "*%d\r\n" % len(words) + "".join("$%d\r\n%s\r\n" % (len(w), w) for w in words)
            s.sendall(payload.encode())
            return s.recv(4096)

    def kill(self, keep_data):
        if keep_data:
            try:
                self.command("SAVE")
            except OSError:
                pass
        else:
            dump = os.path.join(self.workdir, "dump.rdb")
            if os.path.exists(dump):
                os.remove(dump)
        self.process.kill()
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


class Counts:
    def __init__(self):
        self.lock = threading.Lock()
        self.values = {}

    def add(self, key, n=1):
        with self.lock:
            self.values[key] = self.values.get(key, 0) + n

    def get(self, key):
        with self.lock:
            return self.values.get(key, 0)


def legit_load(port, stop, counts, worker, workers):
    """Legitimate traffic from VISITORS visitors (X-Forwarded-For from loopback, a trusted proxy)."""
    rnd = random.Random(worker)
    interval = workers / RATE
    next_at = time.time()
    while not stop.is_set():
        next_at += interval
        path = rnd.choice(PATHS)
        if "%d" in path:
            path = path % rnd.randint(1, 10_000)
        method = "POST" if path == "/api/orders" and rnd.random() < 0.3 else "GET"
        visitor = rnd.randrange(VISITORS)
        headers = {"User-Agent": BROWSERS[visitor % len(BROWSERS)],
                   "X-Forwarded-For": "203.0.%d.%d" % (visitor // 254 % 256, visitor % 254 + 1)}
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request(method, path, body=b"{}" if method == "POST" else None, headers=headers)
            status = connection.getresponse().status
            connection.close()
            counts.add("requests")
            if status >= 500:
                counts.add("failed")
                counts.add("failed_status_%d" % status)
        except OSError as e:
            counts.add("requests")
            counts.add("failed")
            counts.add("failed_" + type(e).__name__)
        delay = next_at - time.time()
        if delay > 0:
            stop.wait(delay)
        else:
            next_at = time.time()


def hostile(app_port, metrics_port, stop, counts):
    """Aborted scrapes, half-sent requests, idle connections, hostile paths and headers."""
    rnd = random.Random(7)
    idle = []
    hostile_paths = ["/r%d/../api/users", "/%%61pi/users/%d", "/api/./users", "/health/%%2e%%2e/api/users/%d",
                     "/metrics;/../api/orders", "/x%d/" + "a" * 2000, "/%%ff%%fe", "/..;/..;/etc/passwd"]
    while not stop.is_set():
        kind = rnd.randrange(6)
        try:
            if kind == 0:  # a scrape closed before the answer is read
                with socket.create_connection(("127.0.0.1", metrics_port), timeout=2) as s:
                    s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                counts.add("aborted_scrapes")
            elif kind == 1:  # half a request, then gone
                with socket.create_connection(("127.0.0.1", metrics_port), timeout=2) as s:
                    s.sendall(b"GET /metr")
                counts.add("half_requests")
            elif kind == 2:  # an idle connection held open (at most 200 at a time)
                s = socket.create_connection(("127.0.0.1", metrics_port), timeout=2)
                s.sendall(b"G")
                idle.append(s)
                if len(idle) > 200:
                    idle.pop(0).close()
                counts.add("idle_connections")
            elif kind == 3:  # hostile path on the app
                template = rnd.choice(hostile_paths)
                path = template % rnd.randint(1, 1_000_000) if "%d" in template else template
                with socket.create_connection(("127.0.0.1", app_port), timeout=5) as s:
                    s.sendall(("%s %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                               % (rnd.choice(["GET", "OPTIONS", "PUT", "DELETE", "FOO"]), path)).encode())
                    s.recv(64)
                counts.add("hostile_paths")
            elif kind == 4:  # spoofed and oversized headers
                with socket.create_connection(("127.0.0.1", app_port), timeout=5) as s:
                    s.sendall(("GET /api/users/1 HTTP/1.1\r\nHost: x\r\nForwarded: for=%d.%d.%d.%d\r\n"
                               "X-Forwarded-For: %s\r\nUser-Agent: %s\r\nReferer: http://%s.example/\r\n"
                               "Connection: close\r\n\r\n"
                               % (rnd.randint(1, 223), rnd.randint(0, 255), rnd.randint(0, 255), rnd.randint(1, 254),
                                  ",".join("_x%d" % i for i in range(200)), "Z" * rnd.randint(1, 6000),
                                  "r%d" % rnd.randint(1, 1_000_000))).encode())
                    s.recv(64)
                counts.add("spoofed_headers")
            else:  # a scrape that reads its answer
                with socket.create_connection(("127.0.0.1", metrics_port), timeout=10) as s:
                    s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    while s.recv(65536):
                        pass
                counts.add("scrapes")
        except OSError:
            counts.add("hostile_errors")
        stop.wait(0.02)
    for s in idle:
        s.close()


def chaos(redis, stop, counts):
    """Kills Redis every REDIS_EVERY seconds; every other restart comes back empty."""
    keep = True
    while not stop.wait(REDIS_EVERY):
        redis.kill(keep_data=keep)
        log("redis killed (%s); down for %.0f s" % ("data kept" if keep else "data lost", REDIS_DOWN))
        counts.add("redis_kills")
        if stop.wait(REDIS_DOWN):
            break
        redis.start()
        keep = not keep


def scrape(metrics_port):
    connection = http.client.HTTPConnection("127.0.0.1", metrics_port, timeout=10)
    connection.request("GET", "/metrics")
    body = connection.getresponse().read().decode()
    connection.close()
    return body


def metric(text, name):
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            total += float(line.rsplit(" ", 1)[1])
    return total


def health(pid, metrics_port):
    subprocess.run([JCMD, str(pid), "GC.run"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
    info = subprocess.run([JCMD, str(pid), "GC.heap_info"], capture_output=True, text=True, timeout=60).stdout
    used = re.search(r"used (\d+)K", info)
    with open("/proc/%d/status" % pid) as f:
        threads = int(re.search(r"Threads:\s+(\d+)", f.read()).group(1))
    try:
        text = scrape(metrics_port)
        dropped = metric(text, "headcount_events_dropped_total")
        redis_up = metric(text, "headcount_redis_up")
    except OSError:
        dropped = redis_up = float("nan")
    return {"open_files": len(os.listdir("/proc/%d/fd" % pid)), "threads": threads,
            "heap_after_gc_mb": int(used.group(1)) / 1024 if used else float("nan"),
            "events_dropped": dropped, "redis_up": redis_up}


def main():
    if not shutil.which("redis-server"):
        raise SystemExit("soak: needs redis-server on PATH (apt-get install redis-server)")
    if os.environ.get("SKIP_BUILD") != "1" or not (os.path.exists(AGENT) and os.path.exists(APP)):
        log("building the agent and the test app")
        subprocess.run(["./mvnw", "-B", "-q", "-DskipTests", "-pl", "agent,test-app", "-am", "package"],
                       cwd=ROOT, check=True)
    workdir = tempfile.mkdtemp(prefix="headcount-soak-")
    redis = Redis(workdir)
    redis.start()
    app_port, metrics_port = free_port(), free_port()
    app_log = open(os.path.join(workdir, "app.log"), "w")
    app = subprocess.Popen(
        [JAVA, "-Xmx" + XMX,
         "-javaagent:%s=host=127.0.0.1,port=%d,redis.url=redis://127.0.0.1:%d" % (AGENT, metrics_port, redis.port),
         "-jar", APP, "--port", str(app_port)], stdout=app_log, stderr=subprocess.STDOUT)
    stop = threading.Event()
    counts = Counts()
    threads = []
    try:
        deadline = time.time() + 120
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", app_port, timeout=2)
                connection.request("GET", "/api/users")
                connection.getresponse().read()
                break
            except OSError:
                if app.poll() is not None or time.time() > deadline:
                    raise SystemExit("soak: the app did not start (see %s/app.log)" % workdir)
                time.sleep(0.2)
        log("app on port %d, metrics on %d, redis on %d; %d legitimate requests/s for %.0f min"
            % (app_port, metrics_port, redis.port, RATE, MINUTES))
        workers = 8
        for i in range(workers):
            threads.append(threading.Thread(target=legit_load, args=(app_port, stop, counts, i, workers), daemon=True))
        threads.append(threading.Thread(target=hostile, args=(app_port, metrics_port, stop, counts), daemon=True))
        for t in threads:
            t.start()
        time.sleep(WARMUP_S)
        start = health(app.pid, metrics_port)
        log("start: %s" % start)
        chaos_thread = threading.Thread(target=chaos, args=(redis, stop, counts), daemon=True)
        chaos_thread.start()
        end_at = time.time() + MINUTES * 60
        while time.time() < end_at:
            time.sleep(min(60, max(0, end_at - time.time())))
            log("%d requests, %d failed; %s" % (counts.get("requests"), counts.get("failed"),
                                                health(app.pid, metrics_port)))
        stop.set()
        for t in threads:
            t.join(15)
        chaos_thread.join(REDIS_EVERY + 15)
        if redis.process.poll() is not None:
            redis.start()
        time.sleep(3)
        end = health(app.pid, metrics_port)
        print()
        print("Soak of %.0f minutes, test app with the agent in Redis mode, -Xmx%s" % (MINUTES, XMX))
        print("%-22s %12s %12s" % ("", "start", "end"))
        for key in ("open_files", "threads", "heap_after_gc_mb", "events_dropped", "redis_up"):
            print("%-22s %12.1f %12.1f" % (key, start[key], end[key]))
        print()
        for key in sorted(counts.values):
            print("%-22s %12d" % (key, counts.values[key]))
        print("\nfailed app requests: %d" % counts.get("failed"))
        with open(os.path.join(workdir, "app.log")) as f:
            lines = f.read().splitlines()
        agent_lines = [line for line in lines if " [headcount] " in line]
        print("app log: %s/app.log: %d lines, %d of them the agent's" % (workdir, len(lines), len(agent_lines)))
        for line in agent_lines[-15:]:
            print("  " + line)
        return 1 if counts.get("failed") else 0
    finally:
        stop.set()
        app.send_signal(signal.SIGTERM)
        try:
            app.wait(20)
        except subprocess.TimeoutExpired:
            app.kill()
        redis.stop()
        app_log.close()


if __name__ == "__main__":
    sys.exit(main())
