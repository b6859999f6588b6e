#!/usr/bin/env python3
"""Start-up time and resident memory of the test app with and without Headcount.

Start-up as bench/overhead.sh measures it: the server launched on CPU 0 (taskset -c 0), the
endpoint polled every 20 ms from CPU 1 until the first HTTP 200, the time from launch; beside it
the server's CPU time (utime + stime) up to that 200, which a busy machine disturbs less. The
configurations are alternated launch by launch (the order rotated each round), because a shared
machine's speed drifts by more than the differences looked for.

  none        no agent
  headcount   Headcount, in-memory mode
  redis       Headcount with a local redis-server (started here, on a free port, on CPU 1)

With --rss, each launch is then loaded with wrk (-t1 -c16, --load seconds) and its VmRSS read, and
read again after --idle seconds without requests. With --trim as well, read a third time after
`jcmd PID System.trim_native_heap` (JDK 17.0.9 and later), which gives back to the system the freed
memory glibc keeps: what the process holds, apart from what its allocator happens to keep, which
varies from launch to launch by more than the agent adds.

Usage (from the repository root, jars built: ./mvnw -B -pl agent,test-app -am package -DskipTests):
  bench/startup.py                      # 15 rounds of none/headcount/redis, start-up only
  bench/startup.py --rounds 5 --rss     # memory after 20 s of load and after an idle minute
  bench/startup.py --configs none,headcount --java-opts='-Xlog:class+load:file=/tmp/cl-%p.txt'
  bench/startup.py --configs none,headcount-before,headcount --before-jar /tmp/old-agent.jar
Only the processes it starts are stopped, by their PIDs.
"""
import argparse
import os
import random
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AGENT_JAR = os.path.join(ROOT, "agent/target/headcount-agent.jar")
APP_JAR = os.path.join(ROOT, "test-app/target/headcount-test-app.jar")
OUT = os.path.join(ROOT, "bench/target/startup")
USER_AGENT = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/131.0.0.0 Safari/537.36")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_status(port, path):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
            s.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: %s\r\nConnection: close\r\n\r\n"
                       % (path, USER_AGENT)).encode())
            head = s.recv(64).decode("latin-1")
            return int(head.split(" ")[1]) if head.startswith("HTTP/") else 0
    except (OSError, ValueError, IndexError):
        return 0


def vm_rss_mb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def cpu_ms(pid):
    """utime + stime of the whole process so far: steadier than wall time on a busy machine."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000.0 / os.sysconf("SC_CLK_TCK")


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def launch(config, args, redis_port, log_path):
    port, metrics_port = free_port(), free_port()
    command = ["taskset", "-c", args.server_cpu, args.java] + shlex.split(args.java_opts)
    # headcount-before and redis-before: the same with the jar given by --before-jar (an A/B of two builds).
    jar = args.before_jar if config.endswith("-before") else args.jar
    if config.startswith("headcount"):
        command.append("-javaagent:%s=host=127.0.0.1,port=%d" % (jar, metrics_port))
    elif config.startswith("redis"):
        command.append("-javaagent:%s=host=127.0.0.1,port=%d,redis.url=redis://127.0.0.1:%d"
                       % (jar, metrics_port, redis_port))
    command += ["-jar", APP_JAR, "--port", str(port)]
    log = open(log_path, "w")
    start = time.monotonic()
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    while True:
        if http_status(port, args.endpoint) == 200:
            with open(log_path + ".first200", "w") as marker:
                marker.write("%.3f\n" % time.time())
            return process, port, (time.monotonic() - start) * 1000, cpu_ms(process.pid)
        if process.poll() is not None or time.monotonic() - start > 180:
            stop(process)
            raise SystemExit("%s: no 200 from %s (see %s)" % (config, args.endpoint, log_path))
        time.sleep(0.02)


def summary(values):
    values = sorted(values)
    q = statistics.quantiles(values, n=4) if len(values) > 1 else [values[0]] * 3
    return "median %7.1f  IQR %7.1f-%-7.1f  min-max %7.1f-%-7.1f" % (
        statistics.median(values), q[0], q[2], values[0], values[-1])


def bootstrap_ci(differences, rounds=10000, seed=1):
    rng = random.Random(seed)
    medians = sorted(statistics.median(rng.choices(differences, k=len(differences))) for _ in range(rounds))
    return medians[int(rounds * 0.025)], medians[int(rounds * 0.975)]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--configs", default="none,headcount,redis")
    parser.add_argument("--rss", action="store_true", help="load with wrk, then read VmRSS; again after --idle s")
    parser.add_argument("--load", type=int, default=20, help="seconds of wrk load before the RSS read (20)")
    parser.add_argument("--idle", type=int, default=60, help="idle seconds before the second RSS read (60)")
    parser.add_argument("--trim", action="store_true",
                        help="with --rss: a third read after jcmd's System.trim_native_heap")
    parser.add_argument("--endpoint", default="/api/users/42")
    parser.add_argument("--jar", default=AGENT_JAR, help="the agent jar (agent/target/headcount-agent.jar)")
    parser.add_argument("--before-jar", help="the agent jar of configurations named *-before")
    parser.add_argument("--java", default="java")
    parser.add_argument("--java-opts", default="")
    parser.add_argument("--server-cpu", default="0")
    parser.add_argument("--load-cpu", default="1")
    args = parser.parse_args()
    # Stopped with SIGTERM, it still stops the server and Redis it started (the finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    configs = args.configs.split(",")
    os.makedirs(OUT, exist_ok=True)
    os.sched_setaffinity(0, {int(args.load_cpu)})

    redis = None
    redis_port = free_port()
    if any(c.startswith("redis") for c in configs):
        redis = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(redis_port), "--save", "",
                                  "--appendonly", "no", "--loglevel", "warning"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.3)
    results = {c: {"start": [], "cpu": [], "rss": [], "idle": [], "trim": []} for c in configs}
    server = None
    try:
        for round_no in range(args.rounds):
            order = configs[round_no % len(configs):] + configs[:round_no % len(configs)]
            line = []
            for config in order:
                log_path = os.path.join(OUT, "round%d-%s.log" % (round_no + 1, config))
                server, port, millis, cpu = launch(config, args, redis_port, log_path)
                results[config]["start"].append(millis)
                results[config]["cpu"].append(cpu)
                line.append("%s %5.0f ms (cpu %5.0f)" % (config, millis, cpu))
                if args.rss:
                    subprocess.run(["taskset", "-c", args.load_cpu, "wrk", "-t1", "-c16", "-d%ds" % args.load,
                                    "-H", "User-Agent: " + USER_AGENT, "http://127.0.0.1:%d%s" % (port, args.endpoint)],
                                   stdout=subprocess.DEVNULL, check=True)
                    rss = vm_rss_mb(server.pid)
                    time.sleep(args.idle)
                    idle = vm_rss_mb(server.pid)
                    results[config]["rss"].append(rss)
                    results[config]["idle"].append(idle)
                    line[-1] += " rss %.1f/%.1f MB" % (rss, idle)
                    if args.trim:
                        jcmd = os.path.join(os.path.dirname(args.java), "jcmd") if os.path.dirname(args.java) else "jcmd"
                        subprocess.run(["taskset", "-c", args.load_cpu, jcmd, str(server.pid),
                                        "System.trim_native_heap"], stdout=subprocess.DEVNULL, check=True)
                        trimmed = vm_rss_mb(server.pid)
                        results[config]["trim"].append(trimmed)
                        line[-1] += "/%.1f trimmed" % trimmed
                stop(server)
                server = None
            print("round %2d: %s" % (round_no + 1, "  ".join(line)), flush=True)
    finally:
        if server is not None:
            stop(server)
        if redis is not None:
            stop(redis)

    print("\nstart-up to first 200, ms, over %d rounds (java %s)" % (args.rounds, args.java_opts or "default options"))
    for measure, label in (("start", "start-up ms"), ("cpu", "CPU ms of the server up to its first 200"), ("rss", "RSS MB after load"), ("idle", "RSS MB after idle"),
                           ("trim", "RSS MB after System.trim_native_heap")):
        if not results[configs[0]][measure]:
            continue
        print("\n%s" % label)
        for config in configs:
            values = results[config][measure]
            text = "  %-10s %s" % (config, summary(values))
            if config != configs[0]:
                differences = [a - b for a, b in zip(values, results[configs[0]][measure])]
                low, high = bootstrap_ci(differences)
                text += "  added (paired median) %+7.1f  95%% CI %+.1f..%+.1f" % (
                    statistics.median(differences), low, high)
            print(text)


if __name__ == "__main__":
    sys.exit(main())
