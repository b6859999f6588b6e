#!/usr/bin/env python3
"""Where the agent's cost per request goes, on bench/overhead.sh's setup (issue 14).

The test app (Tomcat 10.1) pinned to one CPU, wrk on the other, GET /api/users/42, as in
overhead.sh; variants alternated round by round. Each variant switches one part of the agent off
through a diagnostic setting (docs/configuration.md#diagnostic-settings), so that the change in
throughput and CPU per request shows what that part costs:

  none            no agent
  headcount       the agent with its defaults
  advice-noop     diagnostic.advice=noop      woven, but the advice returns at once
  headers-ua      diagnostic.headers=user-agent  no header read but User-Agent
  weave-servlets  diagnostic.weave=servlets   filters (Tomcat's WsFilter) not woven
  worker-discard  diagnostic.worker=discard   the worker drops events unprocessed
  worker-elsewhere  the agent as is, its worker thread moved to the load CPU after the warm-up
  LABEL@JAR[:SETTINGS]  another agent jar (e.g. main's), with settings appended

Per run, over the measured window only: requests/s and its ratio to `none` in the same round,
server CPU per request (/proc/PID/stat), CPU and voluntary/involuntary context switches per
request by thread group (/proc/PID/task/*/stat and status), young GCs per 10,000 requests (jstat);
with JFR=1, bytes allocated per request by thread group (JFR's per-thread allocation totals).

Optional, on the measured window of each run (they attach to the server and cost it some CPU at
the window's start, so their rounds are for profiles, not for ratios):
  PROFILER=/path/libasyncProfiler.so   async-profiler, itimer mode, collapsed stacks per run
      (the library is in Maven Central's tools.profiler:async-profiler, linux-x64 jar)
  JFR=1          a JFR recording of the window, of per-thread allocation and GCs only
  INLINING=1     -XX:+PrintCompilation -XX:+PrintInlining into the run's log, for diff_inlining

Environment: VARIANTS ("none headcount advice-noop headers-ua weave-servlets worker-discard"),
ROUNDS (3), WARMUP (30 s), DURATION (15 s), CONNECTIONS (16), ENDPOINT (/api/users/42),
SERVER_CPU (0), LOAD_CPU (1), JAVA (java), AGENT_JAR, APP_JAR (the worktree's builds), OUT
(bench/target/gap). Build first: ./mvnw -B -q -DskipTests -pl agent,test-app -am package

  bench/gap.py                      # the experiments, summary at the end
  bench/gap.py diff-profiles A B    # two PROFILER runs' .collapsed files: us per request per frame, diffed
  bench/gap.py diff-inlining A B    # two INLINING=1 logs: inlining failures in the container's code, diffed
"""
import collections
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
USER_AGENT = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/131.0.0.0 Safari/537.36")
DIAGNOSTIC = {
    "headcount": "",
    "advice-noop": "diagnostic.advice=noop",
    "headers-ua": "diagnostic.headers=user-agent",
    "weave-servlets": "diagnostic.weave=servlets",
    "worker-discard": "diagnostic.worker=discard",
    # Not a setting: the agent as is, its worker thread moved to the load CPU after the warm-up,
    # so that it no longer shares the server's CPU (and caches) with the request threads.
    "worker-elsewhere": "",
}
GROUPS = [("request", re.compile(r"^http-nio")), ("agent", re.compile(r"^headcount")),
          ("jit", re.compile(r"CompilerThre")), ("gc", re.compile(r"^(GC Thread|G1 |VM Thread)"))]


def env(name, default):
    return os.environ.get(name, default)


def free_port():
    # Below the ephemeral range, so no client connection holds it by the time the agent binds it.
    while True:
        port = random.randint(20000, 31999)
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                return port


def get_status(port, path):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
            s.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: %s\r\nConnection: close\r\n\r\n"
                       % (path, USER_AGENT)).encode())
            return s.recv(64).split(b" ")[1].decode()
    except (OSError, IndexError):
        return None


def group_of(comm):
    for name, pattern in GROUPS:
        if pattern.search(comm):
            return name
    return "other"


def threads(pid):
    """{group: [ticks, voluntary, involuntary]} over the process's threads now."""
    sums = collections.defaultdict(lambda: [0, 0, 0])
    base = "/proc/%d/task" % pid
    for task in os.listdir(base):
        try:
            with open("%s/%s/stat" % (base, task)) as f:
                stat = f.read()
            with open("%s/%s/status" % (base, task)) as f:
                status = dict(line.split(":", 1) for line in f if ":" in line)
        except OSError:
            continue
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        row = sums[group_of(comm)]
        row[0] += int(fields[11]) + int(fields[12])
        row[1] += int(status["voluntary_ctxt_switches"])
        row[2] += int(status["nonvoluntary_ctxt_switches"])
    return sums


def move_thread(pid, comm, cpu):
    for task in os.listdir("/proc/%d/task" % pid):
        with open("/proc/%d/task/%s/comm" % (pid, task)) as f:
            if f.read().strip() == comm[:15]:  # the kernel keeps 15 characters of a thread name
                os.sched_setaffinity(int(task), {cpu})
                return
    raise RuntimeError("no thread %s in %d" % (comm, pid))


def process_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def jstat(pid, java):
    """Young GCs so far, from the perf-data file (no attach)."""
    jstat_bin = os.path.join(os.path.dirname(os.path.realpath(subprocess.check_output(
        ["bash", "-c", "command -v " + java]).decode().strip())), "jstat")
    out = subprocess.run([jstat_bin, "-gc", str(pid)], capture_output=True, text=True).stdout.split("\n")
    row = dict(zip(out[0].split(), out[1].split()))
    return int(row["YGC"])


def allocation_settings(out):
    """A JFR configuration of per-thread allocation totals and GCs only: the profile settings'
    thread sampling would interrupt the request threads every 10 ms (SR_handler in a profile)."""
    path = os.path.join(out, "allocation.jfc")
    with open(path, "w") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<configuration version="2.0" label="gap" description="allocation and GC only">\n'
                '  <event name="jdk.ThreadAllocationStatistics"><setting name="enabled">true</setting>'
                '<setting name="period">everyChunk</setting></event>\n'
                '  <event name="jdk.GarbageCollection"><setting name="enabled">true</setting>'
                '<setting name="threshold">0 ms</setting></event>\n'
                '</configuration>\n')
    return path


def recorded(path, java):
    """Bytes allocated in a JFR recording by thread group: each thread's last allocation total less its first."""
    jfr_bin = os.path.join(os.path.dirname(os.path.realpath(subprocess.check_output(
        ["bash", "-c", "command -v " + java]).decode().strip())), "jfr")
    events = json.loads(subprocess.run([jfr_bin, "print", "--json", "--events", "jdk.ThreadAllocationStatistics", path],
                                       capture_output=True, text=True).stdout)["recording"]["events"]
    first, last = {}, {}
    for event in events:
        thread = event["values"]["thread"]
        key = (thread["javaName"], thread["javaThreadId"])
        first.setdefault(key, event["values"]["allocated"])
        last[key] = event["values"]["allocated"]
    groups = collections.Counter()
    for key in last:
        groups[group_of(key[0] or "")] += last[key] - first[key]
        groups["all"] += last[key] - first[key]
    return groups


def jcmd(pid, java, *args):
    jcmd_bin = os.path.join(os.path.dirname(os.path.realpath(subprocess.check_output(
        ["bash", "-c", "command -v " + java]).decode().strip())), "jcmd")
    return subprocess.run([jcmd_bin, str(pid)] + list(args), capture_output=True, text=True).stdout


def wrk(port, seconds, connections, endpoint, load_cpu):
    out = subprocess.run(["taskset", "-c", load_cpu, "wrk", "-t1", "-c%d" % connections, "-d%ds" % seconds,
                          "--latency", "-H", "User-Agent: " + USER_AGENT,
                          "http://127.0.0.1:%d%s" % (port, endpoint)], capture_output=True, text=True).stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return requests, rps, out


def launch(variant, cfg, port, metrics_port, log_path):
    agent = []
    label, jar, settings = variant, cfg["agent_jar"], None
    if "@" in variant:
        label, rest = variant.split("@", 1)
        jar, _, settings = rest.partition(":")
    elif variant != "none":
        settings = DIAGNOSTIC[variant]
    if variant != "none":
        args = "host=127.0.0.1,port=%d" % metrics_port + ("," + settings if settings else "")
        agent = ["-javaagent:%s=%s" % (jar, args)]
    opts = cfg["java_opts"].split()
    if cfg["inlining"]:
        opts += ["-XX:+UnlockDiagnosticVMOptions", "-XX:+PrintCompilation", "-XX:+PrintInlining"]
    log = open(log_path, "w")
    return subprocess.Popen(["taskset", "-c", cfg["server_cpu"], cfg["java"]] + opts + agent
                            + ["-jar", cfg["app_jar"], "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)


def run(round_no, variant, cfg):
    port, metrics_port = free_port(), free_port()
    name = "round%d-%s" % (round_no, variant.split("@")[0])
    server = launch(variant, cfg, port, metrics_port, os.path.join(cfg["out"], name + ".log"))
    try:
        deadline = time.time() + 180
        while get_status(port, cfg["endpoint"]) != "200":
            if server.poll() is not None or time.time() > deadline:
                raise RuntimeError("%s: no 200 from the server" % name)
            time.sleep(0.02)
        wrk(port, cfg["warmup"], cfg["connections"], cfg["endpoint"], cfg["load_cpu"])
        pid = server.pid
        if variant == "worker-elsewhere":
            move_thread(pid, "headcount-worker", int(cfg["load_cpu"]))
        if cfg["profiler"]:
            # Quoted: jcmd would take the option string's '=' for one of its own.
            jcmd(pid, cfg["java"], "JVMTI.agent_load", cfg["profiler"], '"start,event=itimer,interval=1ms"')
        if cfg["jfr"]:
            jcmd(pid, cfg["java"], "JFR.start", "name=gap", "settings=" + allocation_settings(cfg["out"]))
        ticks0, threads0, gc0 = process_ticks(pid), threads(pid), jstat(pid, cfg["java"])
        requests, rps, out = wrk(port, cfg["duration"], cfg["connections"], cfg["endpoint"], cfg["load_cpu"])
        ticks1, threads1, gc1 = process_ticks(pid), threads(pid), jstat(pid, cfg["java"])
        if cfg["profiler"]:
            jcmd(pid, cfg["java"], "JVMTI.agent_load", cfg["profiler"],
                 '"stop,collapsed,file=%s"' % os.path.join(cfg["out"], name + ".collapsed"))
        if cfg["jfr"]:
            jcmd(pid, cfg["java"], "JFR.stop", "name=gap", "filename=" + os.path.join(cfg["out"], name + ".jfr"))
            jfr_figures = recorded(os.path.join(cfg["out"], name + ".jfr"), cfg["java"])
        with open(os.path.join(cfg["out"], name + ".wrk"), "w") as f:
            f.write(out)
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    hz = os.sysconf("SC_CLK_TCK")
    per_request = lambda ticks: ticks / hz * 1e6 / requests
    result = {"round": round_no, "variant": variant.split("@")[0], "rps": rps, "requests": requests,
              "cpu": per_request(ticks1 - ticks0), "gcs": (gc1 - gc0) * 1e4 / requests}
    if cfg["jfr"]:
        for group, allocated in jfr_figures.items():
            result["alloc_" + group] = allocated / requests
    for group in ("request", "agent", "jit", "gc", "other"):
        before, after = threads0.get(group, [0, 0, 0]), threads1.get(group, [0, 0, 0])
        result[group] = per_request(after[0] - before[0])
        result[group + "_vcs"] = (after[1] - before[1]) * 1000 / requests
        result[group + "_ics"] = (after[2] - before[2]) * 1000 / requests
    return result


COLUMNS = [("rps", "req/s", "%9.0f"), ("ratio", "ratio", "%6.3f"), ("cpu", "cpu us", "%7.2f"),
           ("request", "req-thr", "%7.2f"), ("agent", "agent", "%6.2f"), ("jit", "jit", "%5.2f"),
           ("gc", "gc", "%5.2f"), ("request_vcs", "vcs/1k", "%7.1f"), ("request_ics", "ics/1k", "%7.1f"),
           ("agent_vcs", "agent vcs/1k", "%12.1f"), ("gcs", "gc/10k", "%6.2f"),
           ("alloc_all", "B/req", "%7.0f"), ("alloc_request", "req-thr B", "%9.0f"), ("alloc_agent", "agent B", "%7.0f")]


def line(label, values):
    return "%-16s " % label + " ".join(fmt % values[key] if key in values else " " * len(fmt % 0)
                                        for key, _, fmt in COLUMNS)


def header():
    return "%-16s " % "variant" + " ".join(title.rjust(len(fmt % 0)) for _, title, fmt in COLUMNS)


def experiments():
    cfg = {
        "java": env("JAVA", "java"), "java_opts": env("JAVA_OPTS", ""),
        "agent_jar": env("AGENT_JAR", os.path.join(ROOT, "agent/target/headcount-agent.jar")),
        "app_jar": env("APP_JAR", os.path.join(ROOT, "test-app/target/headcount-test-app.jar")),
        "out": env("OUT", os.path.join(ROOT, "bench/target/gap")),
        "warmup": int(env("WARMUP", "30")), "duration": int(env("DURATION", "15")),
        "connections": int(env("CONNECTIONS", "16")), "endpoint": env("ENDPOINT", "/api/users/42"),
        "server_cpu": env("SERVER_CPU", "0"), "load_cpu": env("LOAD_CPU", "1"),
        "profiler": env("PROFILER", ""), "jfr": env("JFR", "0") == "1", "inlining": env("INLINING", "0") == "1",
    }
    variants = env("VARIANTS", "none headcount advice-noop headers-ua weave-servlets worker-discard").split()
    if variants[0] != "none":
        sys.exit("gap.py: VARIANTS must start with none: the ratios need it")
    os.makedirs(cfg["out"], exist_ok=True)
    os.sched_setaffinity(0, {int(cfg["load_cpu"])})
    results = []
    print("ratio: req/s over none's in the same round; cpu, per thread group: us per request; vcs/ics: voluntary/"
          "involuntary context switches of the request threads per 1,000 requests", flush=True)
    for round_no in range(1, int(env("ROUNDS", "3")) + 1):
        print("round %d" % round_no, flush=True)
        print(header(), flush=True)
        base = None
        for variant in variants:
            result = run(round_no, variant, cfg)
            base = result["rps"] if variant == "none" else base
            result["ratio"] = result["rps"] / base
            results.append(result)
            print(line(result["variant"], result), flush=True)
            with open(os.path.join(cfg["out"], "results.tsv"), "a") as f:
                f.write("\t".join(str(result[key]) for key in sorted(result)) + "\n")
    print("\nmedians over the rounds (ratio: median, and min-max)")
    print(header() + "  ratio range")
    for variant in [v.split("@")[0] for v in variants]:
        rows = [r for r in results if r["variant"] == variant]
        med = {key: statistics.median(r[key] for r in rows) for key, _, _ in COLUMNS if key in rows[0]}
        ratios = [r["ratio"] for r in rows]
        print(line(variant, med) + "  %.3f-%.3f" % (min(ratios), max(ratios)))


REQUEST_THREAD = "TaskThread$WrappingRunnable.run"


def collapsed(path, only=None):
    """(self, total) samples per frame from a collapsed-stack file, and the sample count; with
    only, just the stacks that hold that frame."""
    self_samples, total = collections.Counter(), collections.Counter()
    count = 0
    with open(path) as f:
        for row in f:
            stack, _, n = row.rstrip("\n").rpartition(" ")
            if only and only not in stack:
                continue
            n = int(n)
            frames = stack.split(";")
            count += n
            self_samples[frames[-1]] += n
            for frame in set(frames):
                total[frame] += n
    return self_samples, total, count


def requests_of(profile):
    """The measured window's request count, from the wrk output gap.py keeps beside the profile."""
    with open(re.sub(r"\.collapsed$", ".wrk", profile)) as f:
        return int(re.search(r"(\d+) requests in", f.read()).group(1))


def diff_profiles(a_path, b_path, top=30, interval_us=1000):
    """Frames whose cost per request changed most from A to B: samples x interval / requests, on
    the request threads (Tomcat's TaskThread) and in the whole process."""
    a_requests, b_requests = requests_of(a_path), requests_of(b_path)
    for scope, only in (("request threads", REQUEST_THREAD), ("whole process", None)):
        a_self, a_total, a_n = collapsed(a_path, only)
        b_self, b_total, b_n = collapsed(b_path, only)
        us_a, us_b = interval_us / a_requests, interval_us / b_requests
        print("\n== %s: %.2f us per request in A (%d samples, %d requests), %.2f in B (%d, %d)"
              % (scope, a_n * us_a, a_n, a_requests, b_n * us_b, b_n, b_requests))
        for title, a, b in (("self", a_self, b_self), ("total (frame on the stack)", a_total, b_total)):
            print("%s, us per request: B - A, largest changes first" % title)
            frames = set(a) | set(b)
            for frame in sorted(frames, key=lambda fr: -abs(b[fr] * us_b - a[fr] * us_a))[:top]:
                print("%+7.3f  %7.3f -> %7.3f  %s" % (b[frame] * us_b - a[frame] * us_a, a[frame] * us_a,
                                                     b[frame] * us_b, frame[:150]))
    advised = collections.Counter()
    with open(b_path) as f:
        for row in f:
            frames = row.rsplit(" ", 1)[0].split(";")
            for i, frame in enumerate(frames[1:], 1):
                if frame.endswith("headcount$enter") or frame.endswith("headcount$exit"):
                    advised[frames[i - 1]] += 1
    if advised:
        print("\nadvised methods seen calling the advice in B:")
        for frame in sorted(advised):
            print("  " + frame)


INLINE = re.compile(r"^\s*(?:@ \d+\s+)?(\S+::\S+) \(\d+ bytes\)\s+(.*)$")


def inlining_failures(path):
    """Counter of (callee, reason) for every call site PrintInlining reports as not inlined."""
    failures = collections.Counter()
    with open(path, errors="replace") as f:
        for row in f:
            match = INLINE.match(row.replace("   ", " "))
            if not match:
                continue
            callee, reason = match.group(1), match.group(2).strip()
            if reason.startswith("inline") or reason.startswith("intrinsic") or reason.startswith("accessor"):
                continue
            failures[(callee, reason)] += 1
    return failures


def diff_inlining(a_path, b_path, pattern=r"catalina|coyote|tomcat|jakarta\.servlet|testapp"):
    a, b = inlining_failures(a_path), inlining_failures(b_path)
    wanted = re.compile(pattern)
    keys = [k for k in set(a) | set(b) if wanted.search(k[0]) and a[k] != b[k]]
    print("call sites not inlined (callee, reason): count in A -> B, container and app code only")
    for key in sorted(keys, key=lambda k: -(b[k] - a[k])):
        print("%5d -> %5d  %s  [%s]" % (a[key], b[key], key[0], key[1]))
    print("\nall not-inlined call sites: A %d, B %d" % (sum(a.values()), sum(b.values())))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "diff-profiles":
        diff_profiles(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "diff-inlining":
        diff_inlining(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 1:
        experiments()
    else:
        sys.exit(__doc__)
