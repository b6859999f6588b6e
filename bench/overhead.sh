#!/usr/bin/env bash
# Load comparison: the test app's JSON endpoint in four configurations, alternated round by round
# (A B C D A B C D ...) because throughput on a shared machine swings by 20% and more between
# minutes:
#   A none        no agent
#   B headcount   Headcount, in-memory mode
#   C redis       Headcount with a local Redis (redis-server from PATH, on a free port)
#   D otel        the OpenTelemetry Java agent, metrics to its Prometheus exporter, traces and logs off
# Two modes:
#   MODE=throughput (the default): wrk at saturation, the server pinned to CPU 0 and wrk, Redis and
#     everything else this script runs after the build on CPU 1. Headline: each configuration's
#     req/s divided by the same round's `none`, the median over rounds with a 95% bootstrap
#     confidence interval.
#   MODE=side-by-side: every configuration's server at once, all pinned to CPU 0, each loaded at
#     saturation by its own wrk on CPU 1, so that the machine's drift reaches all of them alike
#     (the others run them one after the other, minutes apart). Headline: each configuration's
#     requests per CPU-second of its server (schedstat; every thread but the JIT compiler's, whose
#     leftover compiling after the warm-up differs from launch to launch by more than the agent
#     costs; the ratio with them beside it) divided by `none`'s in the same round: the throughput
#     one core would give it, read without the scheduler's share. The servers share the core's
#     caches, as on a busy host.
#   MODE=fixed-rate: bench/loadgen/openloop.c (built here with cc) sends a constant RATE of
#     requests, open loop, latency measured from each request's due time; the server may run on
#     every CPU, the generator and Redis on CPU 1. Per run: server CPU per request and latency
#     p50/p90/p99/p99.9; summary: what each configuration adds to `none` in the same round.
#
# Usage (from anywhere in the repository):
#   bench/overhead.sh                      # 9 rounds of 30 s warm-up + 10 s measured per configuration
#   QUICK=1 bench/overhead.sh              # smoke test: 1 round of 5 s warm-up + 5 s
#   MODE=fixed-rate bench/overhead.sh      # 9 rounds of 20 s + 10 s at half the saturation it measures first
#   MODE=side-by-side CONFIGS="none headcount redis" bench/overhead.sh
#                                          # 9 rounds of 30 s x configurations warm-up + 10 s, all at once
# Environment: MODE (throughput), ROUNDS (9), DURATION (seconds per measured run, 10), WARMUP
# (seconds of load before each measured run: 30 in throughput mode, where on one core the JIT is
# still compiling the app's hot paths after 15 s, longer with an agent's code to compile too; 20 at
# a fixed rate, where the JIT has an idle core; side by side, where the configurations share one
# core 30 s per configuration, each server's share of it as much as throughput mode's 30 s),
# CONNECTIONS (16), ENDPOINT (/api/users/42),
# OTEL_VERSION (2.32.0), JAVA (java), JAVA_OPTS (extra JVM options for the server, none),
# SKIP_BUILD=1 (reuse the jars already built), SERVER_CPU (0 in throughput and side-by-side
# modes, every CPU at a fixed rate), LOAD_CPU (1), CONFIGS (a subset of "none headcount redis otel", e.g.
# CONFIGS="none headcount" for a quick A/B; or "baseline": Headcount from the jar BASELINE_JAR, in
# memory mode, to compare two versions of the agent in one run; or headcount:key=value,key=value,
# Headcount with those settings added, e.g. headcount:diagnostic.advice=noop, any number of them; or
# none:NAME, no agent under another name, for an A/A against none).
# BASELINE_ARGS: settings added to baseline's agent argument (key=value,key=value), to compare a
# setting, a diagnostic one say, with the same jar run as headcount in one alternated run.
# Side by side: RATE set drives each server at RATE requests/s from the open-loop generator instead
# of wrk at saturation, and p50 is its latency from each request's due time.
# Fixed rate only: RATE (requests/s; unset: RATE_FRACTION of the saturation of `none` on one core,
# SATURATION_CPU (0), measured first, SATURATION_WARMUP 30 s + SATURATION_DURATION 10 s),
# RATE_FRACTION (0.5).
# Statistics (bench/stats.py): RESAMPLES (10000), CONFIDENCE (0.95).
# Results: printed, and kept in bench/target/overhead/ (bench/target/overhead-fixed-rate/ at a
# fixed rate): results.tsv (one line per run), summary.tsv (bench/stats.py's figures),
# summary.txt (the printed summary), one server log and load generator output per run.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

MODE=${MODE:-throughput}
case "$MODE" in
    throughput|fixed-rate|side-by-side) ;;
    *) printf 'overhead.sh: MODE is throughput, fixed-rate or side-by-side, not %s\n' "$MODE" >&2; exit 1 ;;
esac
if [[ "${QUICK:-0}" == 1 ]]; then
    ROUNDS=${ROUNDS:-1}
    DURATION=${DURATION:-5}
    WARMUP=${WARMUP:-5}
    SATURATION_WARMUP=${SATURATION_WARMUP:-5}
    SATURATION_DURATION=${SATURATION_DURATION:-5}
fi
# 9 rounds of 10 s rather than 5 of 20 s: about the same measured time per configuration, but the
# interval of a median needs rounds, and the shorter the rounds, the closer in time each
# configuration runs to the `none` it is paired with.
ROUNDS=${ROUNDS:-9}
DURATION=${DURATION:-10}
# CONFIGS may name a subset, in the order to alternate (none first: the ratios need it).
read -r -a CONFIGS <<<"${CONFIGS:-none headcount redis otel}"
if [[ "$MODE" == throughput ]]; then
    WARMUP=${WARMUP:-30}
    SERVER_CPU=${SERVER_CPU:-0}
elif [[ "$MODE" == side-by-side ]]; then
    WARMUP=${WARMUP:-$(( 30 * ${#CONFIGS[@]} ))}
    SERVER_CPU=${SERVER_CPU:-0}
else
    WARMUP=${WARMUP:-20}
    SERVER_CPU=${SERVER_CPU:-0-$(( $(nproc) - 1 ))}
fi
SATURATION_CPU=${SATURATION_CPU:-0}
SATURATION_WARMUP=${SATURATION_WARMUP:-30}
SATURATION_DURATION=${SATURATION_DURATION:-10}
RATE=${RATE:-}
RATE_FRACTION=${RATE_FRACTION:-0.5}
RESAMPLES=${RESAMPLES:-10000}
CONFIDENCE=${CONFIDENCE:-0.95}
CONNECTIONS=${CONNECTIONS:-16}
ENDPOINT=${ENDPOINT:-/api/users/42}
OTEL_VERSION=${OTEL_VERSION:-2.32.0}
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS:-}
LOAD_CPU=${LOAD_CPU:-1}
USER_AGENT='Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
STARTUP_TIMEOUT_S=180

AGENT_JAR="$ROOT/agent/target/headcount-agent.jar"
APP_JAR="$ROOT/test-app/target/headcount-test-app.jar"
OTEL_JAR="$ROOT/bench/target/opentelemetry-javaagent-$OTEL_VERSION.jar"
OPENLOOP="$ROOT/bench/target/openloop"
STATS="$ROOT/bench/stats.py"
OUT="$ROOT/bench/target/overhead"
[[ "$MODE" != fixed-rate ]] || OUT="$ROOT/bench/target/overhead-fixed-rate"
[[ "$MODE" != side-by-side ]] || OUT="$ROOT/bench/target/overhead-side-by-side"
RESULTS="$OUT/results.tsv"
SUMMARY="$OUT/summary.tsv"
BASELINE_JAR=${BASELINE_JAR:-}
BASELINE_ARGS=${BASELINE_ARGS:-}

# Processes this script started, by PID; only these are ever stopped.
SERVER_PID=""
REDIS_PID=""
LOAD_PID=""
# Side by side: every server and load generator of the round.
SERVER_PIDS=""
LOAD_PIDS=""

log() { printf '%s\n' "$*" >&2; }
die() { log "overhead.sh: $*"; exit 1; }

stop_pid() {
    local pid=$1
    [[ -n "$pid" ]] || return 0
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.05
        done
        kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local pid
    for pid in $LOAD_PIDS $SERVER_PIDS; do stop_pid "$pid"; done
    LOAD_PIDS=""
    SERVER_PIDS=""
    stop_pid "$LOAD_PID"
    LOAD_PID=""
    stop_pid "$SERVER_PID"
    SERVER_PID=""
    stop_pid "$REDIS_PID"
    REDIS_PID=""
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# --- tools ---------------------------------------------------------------------------------
APT_UPDATED=0
apt_install() {
    command -v apt-get >/dev/null || die "$1 is missing and there is no apt-get to install it"
    local sudo=""
    [[ $(id -u) == 0 ]] || sudo="sudo"
    mkdir -p "$OUT"
    if [[ $APT_UPDATED == 0 ]]; then
        log "apt-get update (output in $OUT/apt.log)"
        $sudo apt-get update >>"$OUT/apt.log" 2>&1 || die "apt-get update failed (see $OUT/apt.log)"
        APT_UPDATED=1
    fi
    log "apt-get install -y $1"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y "$1" >>"$OUT/apt.log" 2>&1 \
        || die "apt-get install $1 failed (see $OUT/apt.log)"
}

command -v wrk >/dev/null || apt_install wrk
[[ " ${CONFIGS[*]} " != *" redis "* ]] || command -v redis-server >/dev/null || apt_install redis-server
command -v taskset >/dev/null || apt_install util-linux
command -v python3 >/dev/null || apt_install python3
[[ "$MODE" != fixed-rate && -z "$RATE" ]] || command -v cc >/dev/null || apt_install gcc
command -v "$JAVA" >/dev/null || die "no $JAVA on PATH (set JAVA=/path/to/java)"
CPUS=$(nproc)
(( CPUS >= 2 )) || log "warning: only $CPUS CPU; server and wrk share it and the figures mean little"
(( CPUS >= 2 )) || LOAD_CPU=$SERVER_CPU
CLK_TCK=$(getconf CLK_TCK)

# --- build ---------------------------------------------------------------------------------
if [[ "${SKIP_BUILD:-0}" != 1 || ! -f "$AGENT_JAR" || ! -f "$APP_JAR" ]]; then
    log "building the agent and the test app"
    ./mvnw -B -q -DskipTests -pl agent,test-app -am package >&2
fi
[[ -f "$AGENT_JAR" ]] || die "no $AGENT_JAR after the build"
[[ " ${CONFIGS[*]} " != *" baseline "* || -f "$BASELINE_JAR" ]] || die "CONFIGS names baseline: set BASELINE_JAR to an agent jar"
[[ -f "$APP_JAR" ]] || die "no $APP_JAR after the build"
if [[ ! -f "$OTEL_JAR" ]]; then
    log "fetching io.opentelemetry.javaagent:opentelemetry-javaagent:$OTEL_VERSION"
    ./mvnw -B -q -N dependency:copy \
        -Dartifact="io.opentelemetry.javaagent:opentelemetry-javaagent:$OTEL_VERSION" \
        -DoutputDirectory="$ROOT/bench/target" >&2
fi
[[ -f "$OTEL_JAR" ]] || die "no $OTEL_JAR after fetching it"
if [[ ( "$MODE" == fixed-rate || ( "$MODE" == side-by-side && -n "$RATE" ) ) && ( ! -x "$OPENLOOP" || "$ROOT/bench/loadgen/openloop.c" -nt "$OPENLOOP" ) ]]; then
    log "building $OPENLOOP"
    mkdir -p "$(dirname "$OPENLOOP")"
    cc -O2 -Wall -Wextra -o "$OPENLOOP" "$ROOT/bench/loadgen/openloop.c" >&2
fi

mkdir -p "$OUT"
# From here on this shell and all it starts (polls, the load generators, redis) run on LOAD_CPU;
# the server is started with its own taskset (SERVER_CPU).
taskset -cp "$LOAD_CPU" $$ >/dev/null

# --- helpers -------------------------------------------------------------------------------
# Sets PICKED to a port nobody listens on and this script has not handed out before. Below the
# kernel's ephemeral range (32768 and up here), so that no client connection (wrk's, the polls')
# can hold it as its own local port by the time the agent binds its endpoint after the first request.
USED_PORTS=" "
pick_port() {
    local port
    while :; do
        port=$((20000 + RANDOM % 12000))
        [[ "$USED_PORTS" == *" $port "* ]] && continue
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            USED_PORTS="$USED_PORTS$port "
            PICKED=$port
            return
        fi
    done
}

# The status code of GET path, or nothing when the server does not answer.
http_status() {
    local port=$1 path=$2 line
    line=$( (exec 3<>"/dev/tcp/127.0.0.1/$port" &&
        printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nUser-Agent: %s\r\nConnection: close\r\n\r\n' \
            "$path" "$port" "$USER_AGENT" >&3 &&
        IFS= read -r -t 2 reply <&3 && echo "$reply") 2>/dev/null) || true
    line=${line%$'\r'}
    set -- $line
    echo "${2:-}"
}

# The body of GET path (Connection: close), or nothing.
http_body() {
    local port=$1 path=$2
    (exec 3<>"/dev/tcp/127.0.0.1/$port" &&
        printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$path" "$port" >&3 &&
        timeout 10 cat <&3 | sed '1,/^\r\{0,1\}$/d') 2>/dev/null || true
}

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

cpu_ticks() {
    local stat
    stat=$(cat "/proc/$1/stat")
    stat=${stat##*) }
    set -- $stat
    echo $(( ${12} + ${13} ))
}

# The thread group of a thread's name, as an awk function: request (Tomcat's), agent (Headcount's,
# lettuce's, the OpenTelemetry agent's and the JDK HTTP server its exporter runs on), jit, gc, other.
GROUP_AWK='
    function group(comm) {
        if (comm ~ /^http-nio/) return "request"
        if (comm ~ /^(headcount|lettuce|otel|prometheus|jmx_bean_finder|weak-ref-clean|BatchSpan|PeriodicMetric|HTTP-Dispatcher|idle-timeout|req-rsp-timeout)/) return "agent"
        if (comm ~ /CompilerThre/) return "jit"
        if (comm ~ /^(GC Thread|G1 |VM Thread)/) return "gc"
        return "other"
    }'

# CPU ticks by thread group (GROUP_AWK), printed as "group ticks" lines.
thread_ticks() {
    local task comm stat
    for task in /proc/"$1"/task/*; do
        comm=$(cat "$task/comm" 2>/dev/null) || continue
        stat=$(cat "$task/stat" 2>/dev/null) || continue
        stat=${stat##*) }
        set -- $stat
        printf '%s\t%s\n' "$comm" $(( ${12} + ${13} ))
    done | awk -F'\t' "$GROUP_AWK"'
        { sum[group($1)] += $2 }
        END { for (k in sum) print k, sum[k] }'
}

# Each thread's time on a CPU in ns (schedstat), as "tid<TAB>name<TAB>ns" lines: finer than ticks,
# for side-by-side mode, where each server has a share of one core.
thread_ns() {
    local task comm stat
    for task in /proc/"$1"/task/*; do
        comm=$(cat "$task/comm" 2>/dev/null) || continue
        stat=$(cat "$task/schedstat" 2>/dev/null) || continue
        printf '%s\t%s\t%s\n' "${task##*/}" "$comm" "${stat%% *}"
    done
}

rss_mb() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

# wrk latency like 512.00us, 2.34ms or 1.02s, in ms.
to_ms() {
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
        else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.3f", v * 60000 }
        else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
        else printf "NA" }'
}

# Runs a load generator (the command line given) with its output to the file given, in the
# background so that Ctrl-C's trap can stop it by PID at once; returns the generator's exit code.
run_load() {
    local output=$1 status=0
    shift
    "$@" >"$output" 2>&1 &
    LOAD_PID=$!
    wait "$LOAD_PID" || status=$?
    LOAD_PID=""
    return "$status"
}

wrk_run() {
    run_load "$2" taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNECTIONS" -d"$1"s --latency \
        -H "User-Agent: $USER_AGENT" "http://127.0.0.1:$PORT$ENDPOINT"
}

# The open-loop generator at RATE requests/s for $1 seconds; exit code 1 if requests failed.
openloop_run() {
    run_load "$2" taskset -c "$LOAD_CPU" "$OPENLOOP" -p "$PORT" -r "$RATE" -d "$1" -c "$CONNECTIONS" \
        -u "$ENDPOINT" -H "User-Agent: $USER_AGENT"
}

# The value of key=value in openloop's output line.
field() { tr ' ' '\n' <"$1" | awk -F= -v k="$2" '$1 == k { print $2 }'; }

# --- Redis ---------------------------------------------------------------------------------
REDIS_PORT=""
if [[ " ${CONFIGS[*]} " == *" redis "* ]]; then
    pick_port
    REDIS_PORT=$PICKED
    taskset -c "$LOAD_CPU" redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
        --protected-mode yes --loglevel warning >"$OUT/redis.log" 2>&1 &
    REDIS_PID=$!
    for _ in $(seq 1 100); do
        [[ "$(timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$REDIS_PORT && printf 'PING\r\n' >&3 && head -c5 <&3" 2>/dev/null)" == "+PONG" ]] && break
        sleep 0.05
    done
    kill -0 "$REDIS_PID" 2>/dev/null || die "redis-server did not start (see $OUT/redis.log)"
fi

# --- one run -------------------------------------------------------------------------------
# Starts the server in configuration $1 on the CPUs $2, its output to the file $3, and waits for
# its first 200 on ENDPOINT. Sets PORT, METRICS_PORT, SERVER_PID and STARTUP_MS (from launch to
# that 200); returns 1, the server stopped, if none came.
start_server() {
    local config=$1 cpus=$2 logfile=$3
    pick_port
    PORT=$PICKED
    pick_port
    METRICS_PORT=$PICKED
    local agent_opts=()
    case "$config" in
        none|none:*) ;;
        headcount) agent_opts=("-javaagent:$AGENT_JAR=host=127.0.0.1,port=$METRICS_PORT") ;;
        baseline) agent_opts=("-javaagent:$BASELINE_JAR=host=127.0.0.1,port=$METRICS_PORT${BASELINE_ARGS:+,$BASELINE_ARGS}") ;;
        redis) agent_opts=("-javaagent:$AGENT_JAR=host=127.0.0.1,port=$METRICS_PORT,redis.url=redis://127.0.0.1:$REDIS_PORT") ;;
        headcount:*) agent_opts=("-javaagent:$AGENT_JAR=host=127.0.0.1,port=$METRICS_PORT,${config#headcount:}") ;;
        otel) agent_opts=("-javaagent:$OTEL_JAR" -Dotel.service.name=headcount-test-app
                          -Dotel.metrics.exporter=prometheus -Dotel.exporter.prometheus.host=127.0.0.1
                          -Dotel.exporter.prometheus.port="$METRICS_PORT"
                          -Dotel.traces.exporter=none -Dotel.logs.exporter=none) ;;
    esac
    local start
    start=$(now_ms)
    # shellcheck disable=SC2086
    taskset -c "$cpus" "$JAVA" $JAVA_OPTS "${agent_opts[@]}" -jar "$APP_JAR" --port "$PORT" \
        >"$logfile" 2>&1 &
    SERVER_PID=$!
    while [[ "$(http_status "$PORT" "$ENDPOINT")" != 200 ]]; do
        if ! kill -0 "$SERVER_PID" 2>/dev/null || (( $(now_ms) - start > STARTUP_TIMEOUT_S * 1000 )); then
            stop_server
            return 1
        fi
        sleep 0.02
    done
    STARTUP_MS=$(( $(now_ms) - start ))
}

stop_server() {
    stop_pid "$SERVER_PID"
    SERVER_PID=""
}

# The server's CPU from cpu_mark to cpu_per_request N, per request of the N: sets CPU_US, and
# SPLIT to the same by thread group (request, agent, jit, gc; tab-separated), in us per request.
cpu_mark() {
    TICKS_BEFORE=$(cpu_ticks "$SERVER_PID")
    THREADS_BEFORE=$(thread_ticks "$SERVER_PID")
}

cpu_per_request() {
    local requests=$1 ticks_after threads_after
    ticks_after=$(cpu_ticks "$SERVER_PID")
    threads_after=$(thread_ticks "$SERVER_PID")
    CPU_US=$(awk -v t=$(( ticks_after - TICKS_BEFORE )) -v hz="$CLK_TCK" -v n="$requests" \
        'BEGIN { if (n + 0 > 0) printf "%.2f", t / hz * 1e6 / n; else printf "NA" }')
    # Threads that ended during the window are in the total only.
    SPLIT=$(awk -v hz="$CLK_TCK" -v n="$requests" '
        NR == FNR { before[$1] = $2; next }
        { after[$1] = $2 }
        END { split("request agent jit gc", g, " ")
              for (i = 1; i <= 4; i++) printf "%s%s", (i > 1 ? "\t" : ""),
                  (n + 0 > 0 ? sprintf("%.2f", (after[g[i]] - before[g[i]]) / hz * 1e6 / n) : "NA") }' \
        <(printf '%s\n' "$THREADS_BEFORE") <(printf '%s\n' "$threads_after"))
}

# That the agent really counted: its own count of requests on the endpoint, from its /metrics.
agent_count() {
    case "$1" in
        headcount|headcount:*|baseline|redis)
            http_body "$METRICS_PORT" /metrics | awk '/^headcount_requests_total\{/ && /endpoint="\/api\/users\/\{id\}"/ { s += $NF } END { printf "%d", s }' ;;
        otel)
            http_body "$METRICS_PORT" /metrics | awk '/^http_server_request_duration_seconds_count\{/ { s += $NF } END { printf "%d", s }' ;;
        *) echo "-" ;;
    esac
}

# Added to the same round's `none` (for `none` itself, "-"): the difference, signed, or NA.
added() {
    [[ "$config" != none ]] || { echo "-"; return; }
    awk -v v="$1" -v b="${2:-}" -v f="$3" 'BEGIN { if (v != "NA" && v != "" && b != "NA" && b != "") printf "%+" f, v - b; else printf "NA" }'
}

# Throughput mode: wrk at saturation. Appends one line to $RESULTS.
throughput_run() {
    local round=$1 config=$2
    local logfile="$OUT/round$round-$config.log"
    if ! start_server "$config" "$SERVER_CPU" "$logfile"; then
        log "round $round $config: no 200 from $ENDPOINT (see $logfile)"
        printf '%s\t%s\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\n' "$round" "$config" >>"$RESULTS"
        return
    fi
    local wrk_out="$OUT/round$round-$config.wrk"
    wrk_run "$WARMUP" "$OUT/warmup.wrk" || true
    cpu_mark
    wrk_run "$DURATION" "$wrk_out" || true
    local rps requests p50 p99 errors rss counted
    requests=$(awk '/requests in/ { print $1 }' "$wrk_out")
    cpu_per_request "$requests"
    rss=$(rss_mb "$SERVER_PID")
    rps=$(awk '/^Requests\/sec:/ { print $2 }' "$wrk_out")
    p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$wrk_out")")
    p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$wrk_out")")
    errors=$(awk '/Non-2xx|Socket errors/' "$wrk_out")
    [[ -z "$errors" ]] || log "round $round $config: $errors"
    counted=$(agent_count "$config")
    stop_server
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$config" "$rps" "$p50" "$p99" "$CPU_US" \
        "$STARTUP_MS" "$rss" "$requests" "$counted" "$SPLIT" >>"$RESULTS"
    [[ "$config" == none ]] && BASE_RPS=$rps
    local ratio
    ratio=$(awk -v r="$rps" -v b="${BASE_RPS:-}" 'BEGIN { if (b + 0 > 0) printf "%.3f", r / b; else printf "NA" }')
    printf '  %-10s %9s req/s  ratio %6s  p50 %7s ms  p99 %7s ms  cpu %7s us/req (agent threads %5s)  start-up %6s ms  rss %6s MB  counted %s\n' \
        "$config" "$rps" "$ratio" "$p50" "$p99" "$CPU_US" "$(cut -f2 <<<"$SPLIT")" "$STARTUP_MS" "$rss" "$counted"
}

# Fixed-rate mode: the open-loop generator at RATE. Appends one line to $RESULTS.
fixed_rate_run() {
    local round=$1 config=$2
    local logfile="$OUT/round$round-$config.log"
    if ! start_server "$config" "$SERVER_CPU" "$logfile"; then
        log "round $round $config: no 200 from $ENDPOINT (see $logfile)"
        printf '%s\t%s\t%s%s\n' "$round" "$config" "$RATE" "$(printf '\tNA%.0s' $(seq 1 18))" >>"$RESULTS"
        return
    fi
    local out="$OUT/round$round-$config.openloop"
    openloop_run "$WARMUP" "$OUT/warmup.openloop" || log "round $round $config: warm-up: $(cat "$OUT/warmup.openloop")"
    cpu_mark
    openloop_run "$DURATION" "$out" || true
    local completed failed rss counted
    completed=$(field "$out" completed)
    cpu_per_request "${completed:-0}"
    rss=$(rss_mb "$SERVER_PID")
    # Requests that got no answer, an error, or were never sent all count as failed; so do non-2xx.
    failed=NA
    [[ -z "$completed" ]] || failed=$(( $(field "$out" failed) + $(field "$out" unanswered) + $(field "$out" not_sent) + $(field "$out" non_2xx) ))
    [[ "$failed" == 0 ]] || log "round $round $config: $(cat "$out")"
    counted=$(agent_count "$config")
    stop_server
    local p50 p90 p99 p999 max lag gen
    p50=$(field "$out" p50_us); p90=$(field "$out" p90_us); p99=$(field "$out" p99_us)
    p999=$(field "$out" p999_us); max=$(field "$out" max_us); lag=$(field "$out" send_lag_p99_us)
    gen=$(field "$out" generator_cpu_us_per_req)
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$config" "$RATE" \
        "$completed" "$failed" "$CPU_US" "$p50" "$p90" "$p99" "$p999" "$max" "$lag" "$gen" \
        "$STARTUP_MS" "$rss" "$counted" "$SPLIT" >>"$RESULTS"
    if [[ "$config" == none ]]; then
        BASE_CPU=$CPU_US; BASE_P50=$p50; BASE_P90=$p90; BASE_P99=$p99; BASE_P999=$p999
    fi
    printf '  %-10s cpu %6s us/req (%6s)  p50 %7s us (%7s)  p90 %7s (%7s)  p99 %8s (%8s)  p99.9 %8s (%8s)  send lag p99 %6s us  generator %5s us/req  start-up %5s ms  rss %6s MB  counted %s\n' \
        "$config" "$CPU_US" "$(added "$CPU_US" "${BASE_CPU:-}" .2f)" "$p50" "$(added "$p50" "${BASE_P50:-}" .1f)" \
        "$p90" "$(added "$p90" "${BASE_P90:-}" .1f)" "$p99" "$(added "$p99" "${BASE_P99:-}" .1f)" \
        "$p999" "$(added "$p999" "${BASE_P999:-}" .1f)" "$lag" "$gen" "$STARTUP_MS" "$rss" "$counted"
}

# Side-by-side mode: a load generator against each of the ports given, all at once on LOAD_CPU,
# for $1 seconds, each one's output in $OUT/$2-<port>.load: wrk at saturation, or with RATE set the
# open-loop generator at RATE requests/s against each.
load_each() {
    local seconds=$1 name=$2 port pid
    shift 2
    LOAD_PIDS=""
    for port in "$@"; do
        if [[ -n "$RATE" ]]; then
            taskset -c "$LOAD_CPU" "$OPENLOOP" -p "$port" -r "$RATE" -d "$seconds" -c "$CONNECTIONS" \
                -u "$ENDPOINT" -H "User-Agent: $USER_AGENT" >"$OUT/$name-$port.load" 2>&1 &
        else
            taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNECTIONS" -d"$seconds"s --latency \
                -H "User-Agent: $USER_AGENT" "http://127.0.0.1:$port$ENDPOINT" >"$OUT/$name-$port.load" 2>&1 &
        fi
        LOAD_PIDS="$LOAD_PIDS $!"
    done
    for pid in $LOAD_PIDS; do wait "$pid" || true; done
    LOAD_PIDS=""
}

# $1 / $2 to three places, or NA.
ratio_of() { awk -v r="$1" -v b="$2" 'BEGIN { if (b + 0 > 0 && r != "NA") printf "%.3f", r / b; else printf "NA" }'; }

# Side-by-side mode: one round, every configuration's server started on SERVER_CPU, then all of
# them loaded at once. Appends one line per configuration to $RESULTS.
side_by_side_round() {
    local round=$1 config i k n=${#CONFIGS[@]}
    local -a names=() pids=() ports=() metrics_ports=() startups=() positions=()
    # Started in the order of CONFIGS rotated by one each round: the server started first found an
    # idle core and a cold machine, and in runs that always started none first its JIT compiled
    # more in the measured window. Kept at their place in CONFIGS, so that none is read first.
    for k in $(seq 0 $(( n - 1 ))); do
        i=$(( (k + round - 1) % n ))
        config=${CONFIGS[$i]}
        positions[$i]=$k
        if start_server "$config" "$SERVER_CPU" "$OUT/round$round-$config.log"; then
            names[$i]=$config; pids[$i]=$SERVER_PID; ports[$i]=$PORT
            metrics_ports[$i]=$METRICS_PORT; startups[$i]=$STARTUP_MS
            SERVER_PIDS="$SERVER_PIDS $SERVER_PID"
            SERVER_PID=""
        else
            log "round $round $config: no 200 from $ENDPOINT (see $OUT/round$round-$config.log)"
            printf '%s\t%s%s\n' "$round" "$config" "$(printf '\tNA%.0s' $(seq 1 16))" >>"$RESULTS"
        fi
    done
    (( ${#names[@]} > 0 )) || return 0
    load_each "$WARMUP" warmup "${ports[@]}"
    for i in "${!names[@]}"; do thread_ns "${pids[$i]}" >"$OUT/round$round-${names[$i]}.before"; done
    load_each "$DURATION" "round$round" "${ports[@]}"
    for i in "${!names[@]}"; do thread_ns "${pids[$i]}" >"$OUT/round$round-${names[$i]}.after"; done
    local base_rate="" base_every="" base_rps="" out requests rps p50 figures rss counted errors before
    # Where none stood in this round's start order, so that each line can say whether it started before none.
    local none_start=$n
    for i in "${!CONFIGS[@]}"; do
        [[ "${CONFIGS[$i]}" != none ]] || none_start=${positions[$i]}
    done
    for i in "${!names[@]}"; do
        config=${names[$i]}
        out="$OUT/round$round-${ports[$i]}.load"
        if [[ -n "$RATE" ]]; then
            requests=$(field "$out" completed)
            rps=$(awk -v n="${requests:-0}" -v d="$DURATION" 'BEGIN { printf "%.2f", n / d }')
            p50=$(field "$out" p50_us)
            # Requests that got no answer, an error, or were never sent all count as failed; so do non-2xx.
            errors=NA
            [[ -z "$requests" ]] || errors=$(( $(field "$out" failed) + $(field "$out" unanswered) + $(field "$out" not_sent) + $(field "$out" non_2xx) ))
            [[ "$errors" == 0 ]] || log "round $round $config: $(cat "$out")"
        else
            requests=$(awk '/requests in/ { print $1 }' "$out")
            rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
            p50=$(awk -v ms="$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")" 'BEGIN { if (ms == "NA") print "NA"; else printf "%.1f", ms * 1000 }')
            errors=$(awk '/Non-2xx|Socket errors/' "$out")
            [[ -z "$errors" ]] || log "round $round $config: $errors"
        fi
        # Per thread alive at the end, its CPU time in the window (all of it for a thread that began
        # in it): per request in us; requests per CPU-second without the JIT compiler's threads (the
        # steady state: what the JIT still compiles in the window differs from launch to launch by
        # up to 4 us a request, more than the agent costs) and with every thread; the share of the
        # core; and by group.
        figures=$(awk -F'\t' -v n="${requests:-0}" -v d="$DURATION" "$GROUP_AWK"'
            NR == FNR { before[$1] = $3; next }
            { t = $3 - (($1 in before) ? before[$1] : 0); total += t; sum[group($2)] += t }
            END {
                if (n + 0 <= 0 || total <= sum["jit"]) { printf "NA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA"; exit }
                printf "%.3f\t%.3f\t%.0f\t%.0f\t%.3f", total / 1e3 / n, (total - sum["jit"]) / 1e3 / n,
                    n / ((total - sum["jit"]) / 1e9), n / (total / 1e9), total / (d * 1e9)
                split("request agent jit gc", g, " ")
                for (k = 1; k <= 4; k++) printf "\t%.3f", sum[g[k]] / 1e3 / n
            }' "$OUT/round$round-$config.before" "$OUT/round$round-$config.after")
        rss=$(rss_mb "${pids[$i]}")
        METRICS_PORT=${metrics_ports[$i]}
        counted=$(agent_count "$config")
        # Columns: CPU per request with and without the JIT's threads, requests per CPU-second
        # without and with them, core_share, then the groups.
        IFS=$'\t' read -r cpu steady rate every share req_us agent_us jit_us gc_us <<<"$figures"
        before=$(( positions[i] < none_start ? 1 : 0 ))
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$config" "$rps" "$requests" \
            "$cpu" "$steady" "$rate" "$every" "$share" "$p50" "${startups[$i]}" "$rss" "$counted" "$req_us" "$agent_us" \
            "$jit_us" "$gc_us" "$before" >>"$RESULTS"
        if [[ "$config" == none ]]; then base_rate=$rate; base_every=$every; base_rps=$rps; fi
        printf '  %-10s %9s req/s (ratio %6s)  %7s req per CPU-second, JIT aside (ratio %6s; %6s with it)  cpu %7s us/req (agent threads %6s, JIT %6s)  p50 %7s us  core share %5s  counted %s\n' \
            "$config" "$rps" "$(ratio_of "$rps" "$base_rps")" "$rate" "$(ratio_of "$rate" "$base_rate")" \
            "$(ratio_of "$every" "$base_every")" "$cpu" "$agent_us" "$jit_us" "$p50" "$share" "$counted"
    done
    for i in "${!pids[@]}"; do stop_pid "${pids[$i]}"; done
    SERVER_PIDS=""
}

# RATE_FRACTION of what `none` serves at saturation on one core (SATURATION_CPU, wrk on LOAD_CPU,
# as in throughput mode), rounded to 100 requests/s.
measure_saturation() {
    local logfile="$OUT/saturation.log" wrk_out="$OUT/saturation.wrk" rps
    start_server none "$SATURATION_CPU" "$logfile" || die "saturation: no 200 from $ENDPOINT (see $logfile)"
    wrk_run "$SATURATION_WARMUP" "$OUT/warmup.wrk" || true
    wrk_run "$SATURATION_DURATION" "$wrk_out" || true
    stop_server
    rps=$(awk '/^Requests\/sec:/ { print $2 }' "$wrk_out")
    [[ -n "$rps" ]] || die "saturation: no figure from wrk (see $wrk_out)"
    RATE=$(awk -v r="$rps" -v f="$RATE_FRACTION" 'BEGIN { x = int(r * f / 100 + 0.5) * 100; print (x > 0 ? x : 100) }')
    SATURATION_RPS=$rps
}

# --- header --------------------------------------------------------------------------------
{
echo "Headcount overhead comparison, $MODE mode ($(date -u '+%Y-%m-%d %H:%M UTC'))"
echo "machine: $CPUS CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(uname -sr)"
echo "java:    $("$JAVA" -version 2>&1 | head -2 | tr '\n' ' ')"
echo "agents:  headcount $(basename "$AGENT_JAR"), opentelemetry-javaagent $OTEL_VERSION; redis $(command -v redis-server >/dev/null && redis-server --version | awk '{ print $3 }')"
[[ -z "$BASELINE_JAR" ]] || echo "         baseline $BASELINE_JAR${BASELINE_ARGS:+ with $BASELINE_ARGS}"
if [[ "$MODE" == throughput ]]; then
    echo "load:    $(wrk -v 2>&1 | head -1 | awk '{ print $1, $2 }'), -t1 -c$CONNECTIONS, ${WARMUP}s warm-up + ${DURATION}s measured, GET $ENDPOINT"
    echo "pinning: server on CPU $SERVER_CPU, wrk and redis on CPU $LOAD_CPU; rounds: $ROUNDS, order ${CONFIGS[*]}"
elif [[ "$MODE" == side-by-side ]]; then
    if [[ -n "$RATE" ]]; then
        echo "load:    bench/loadgen/openloop.c at $RATE req/s against each server (RATE), open loop, -c$CONNECTIONS, all at once, ${WARMUP}s warm-up + ${DURATION}s measured, GET $ENDPOINT"
    else
        echo "load:    $(wrk -v 2>&1 | head -1 | awk '{ print $1, $2 }'), -t1 -c$CONNECTIONS against each server, all at once, ${WARMUP}s warm-up + ${DURATION}s measured, GET $ENDPOINT"
    fi
    echo "pinning: every server on CPU $SERVER_CPU at once, the load generators and redis on CPU $LOAD_CPU; rounds: $ROUNDS, servers started in the order ${CONFIGS[*]}, rotated by one each round"
else
    echo "load:    bench/loadgen/openloop.c, open loop, -c$CONNECTIONS, ${WARMUP}s warm-up + ${DURATION}s measured at a fixed rate, GET $ENDPOINT"
    echo "pinning: server on CPUs $SERVER_CPU, the generator and redis on CPU $LOAD_CPU; rounds: $ROUNDS, order ${CONFIGS[*]}"
fi
echo "server:  $JAVA ${JAVA_OPTS:-(default JVM options)} -jar $(basename "$APP_JAR")"
echo "stats:   median over rounds, paired with the same round's none; ${CONFIDENCE} percentile bootstrap interval of the median, $RESAMPLES resamples (bench/stats.py)"
} | tee "$OUT/summary.txt"
echo

if [[ "$MODE" == side-by-side ]]; then
    printf 'round\tconfig\trps\trequests\tcpu_us_per_req\tsteady_cpu_us_per_req\treq_per_cpu_s\treq_per_cpu_s_with_jit\tcore_share\tp50_us\tstartup_ms\trss_mb\tcounted\trequest_threads_us\tagent_threads_us\tjit_us\tgc_us\tstarted_before_none\n' >"$RESULTS"
    echo "per run: req/s and requests per CPU-second of the server (schedstat; the JIT compiler's threads aside, then with them); ratios to the round's none"
elif [[ "$MODE" == throughput ]]; then
    printf 'round\tconfig\trps\tp50_ms\tp99_ms\tcpu_us_per_req\tstartup_ms\trss_mb\trequests\tcounted\trequest_threads_us\tagent_threads_us\tjit_us\tgc_us\n' >"$RESULTS"
else
    if [[ -z "$RATE" ]]; then
        measure_saturation
        echo "rate:    $RATE req/s = $RATE_FRACTION x $SATURATION_RPS req/s, what none served on CPU $SATURATION_CPU with wrk on CPU $LOAD_CPU (${SATURATION_WARMUP}s warm-up + ${SATURATION_DURATION}s)" \
            | tee -a "$OUT/summary.txt"
    else
        echo "rate:    $RATE req/s (RATE)" | tee -a "$OUT/summary.txt"
    fi
    printf 'round\tconfig\trate\trequests\tfailed\tcpu_us_per_req\tp50_us\tp90_us\tp99_us\tp999_us\tmax_us\tsend_lag_p99_us\tgenerator_cpu_us\tstartup_ms\trss_mb\tcounted\trequest_threads_us\tagent_threads_us\tjit_us\tgc_us\n' >"$RESULTS"
    echo "per run: server CPU per request and latency from each request's due time; in brackets, added to the round's none"
fi
for round in $(seq 1 "$ROUNDS"); do
    echo "round $round/$ROUNDS"
    BASE_RPS=""; BASE_CPU=""; BASE_P50=""; BASE_P90=""; BASE_P99=""; BASE_P999=""
    if [[ "$MODE" == side-by-side ]]; then
        side_by_side_round "$round"
        continue
    fi
    for config in "${CONFIGS[@]}"; do
        if [[ "$MODE" == throughput ]]; then throughput_run "$round" "$config"; else fixed_rate_run "$round" "$config"; fi
    done
done

# --- summary -------------------------------------------------------------------------------
# bench/stats.py: per configuration and figure, the median over rounds of the figure itself
# (value), of its ratio to the same round's none (ratio) or of its difference (diff), with the
# percentile-bootstrap interval of that median and the range.
THREAD_COLUMNS=request_threads_us,agent_threads_us,jit_us,gc_us
if [[ "$MODE" == side-by-side ]]; then
    python3 "$STATS" "$RESULTS" --baseline none --resamples "$RESAMPLES" --confidence "$CONFIDENCE" \
        --value "rps,req_per_cpu_s,cpu_us_per_req,steady_cpu_us_per_req,core_share,p50_us,rss_mb,$THREAD_COLUMNS" \
        --ratio rps,req_per_cpu_s,req_per_cpu_s_with_jit --balance started_before_none \
        --diff steady_cpu_us_per_req,cpu_us_per_req,request_threads_us,jit_us,p50_us,rss_mb >"$SUMMARY"
    # Redis mode against memory mode, in the same rounds.
    if [[ " ${CONFIGS[*]} " == *" headcount "* && " ${CONFIGS[*]} " == *" redis "* ]]; then
        python3 "$STATS" "$RESULTS" --baseline headcount --resamples "$RESAMPLES" --confidence "$CONFIDENCE" \
            --ratio req_per_cpu_s | awk -F'\t' -v OFS='\t' 'NR > 1 && $3 == "redis" { $2 = "ratio_to_headcount"; print }' >>"$SUMMARY"
    fi
elif [[ "$MODE" == throughput ]]; then
    python3 "$STATS" "$RESULTS" --baseline none --resamples "$RESAMPLES" --confidence "$CONFIDENCE" \
        --value "rps,p50_ms,p99_ms,cpu_us_per_req,startup_ms,rss_mb,$THREAD_COLUMNS" \
        --ratio rps --diff cpu_us_per_req,startup_ms,rss_mb >"$SUMMARY"
else
    python3 "$STATS" "$RESULTS" --baseline none --resamples "$RESAMPLES" --confidence "$CONFIDENCE" \
        --value "cpu_us_per_req,p50_us,p90_us,p99_us,p999_us,send_lag_p99_us,generator_cpu_us,startup_ms,rss_mb,$THREAD_COLUMNS" \
        --diff cpu_us_per_req,p50_us,p90_us,p99_us,p999_us,startup_ms,rss_mb >"$SUMMARY"
fi

# What each configuration adds to none, paired by round: for the figures $1 (space-separated,
# diffs in $SUMMARY) with their labels $2 ("|"-separated): median, interval and range.
print_added() {
    echo
    echo "Added to none, paired by round: median, its $CI_LABEL (bootstrap), and the range over rounds"
    awk -F'\t' -v configs="${CONFIGS[*]}" -v cilabel="$CI_LABEL" -v metric_list="$1" -v label_list="$2" '
    NR == 1 { next }
    $2 == "diff" { key = $1 SUBSEP $3; count[key] = $4; mid[key] = $5; lo[key] = $6; hi[key] = $7; min[key] = $8; max[key] = $9 }
    END {
        printf "%-14s %-10s %3s %9s %21s %21s\n", "figure", "config", "n", "median", cilabel, "range"
        n = split(configs, names, " "); k = split(metric_list, metrics, " "); split(label_list, labels, "|")
        for (m = 1; m <= k; m++) {
            f = (metrics[m] == "cpu_us_per_req" ? "%+.2f" : "%+.1f")
            for (i = 1; i <= n; i++) {
                c = names[i]; key = metrics[m] SUBSEP c
                if (c == "none" || !(key in mid)) continue
                printf "%-14s %-10s %3s %9s %21s %21s\n", labels[m], c, count[key], sprintf(f, mid[key]),
                    sprintf(f " to " f, lo[key], hi[key]), sprintf(f " to " f, min[key], max[key])
            }
        }
    }' "$SUMMARY"
}

# The start of an awk program over $SUMMARY (bench/stats.py's lines): each line's median, interval
# and range by metric, stat and configuration; v() the median or NA, num() a figure formatted or NA.
SUMMARY_AWK='
    NR == 1 { next }
    { key = $1 SUBSEP $2 SUBSEP $3; mid[key] = $5; lo[key] = $6; hi[key] = $7; min[key] = $8; max[key] = $9 }
    function v(metric, stat, config) { k = metric SUBSEP stat SUBSEP config; return (k in mid) ? mid[k] : "NA" }
    function num(x, f) { return x == "NA" ? "NA" : sprintf(f, x) }'

{
echo
CI_LABEL="$(awk -v c="$CONFIDENCE" 'BEGIN { printf "%g%%", c * 100 }') CI"
if [[ "$MODE" == side-by-side ]]; then
    echo "Summary over $ROUNDS round(s), the servers side by side: medians; ratio = configuration's figure / no agent's in"
    echo "the same round, its $CI_LABEL the bootstrap interval of that median; the headline is requests per CPU-second"
    echo "of the server, its JIT compiler's threads aside (the steady state); 'with JIT' counts them too; cpu us/req is"
    echo "JIT aside too, 'added' its paired difference to none; request added, the request threads' alone"
    awk -F'\t' -v configs="${CONFIGS[*]}" -v cilabel="$CI_LABEL" "$SUMMARY_AWK"'
    function ci(metric, stat, c, f) { k = metric SUBSEP stat SUBSEP c
        return (c == "none" || !(k in mid)) ? "-" : sprintf(f " to " f, lo[k], hi[k]) }
    function range(metric, stat, c, f) { k = metric SUBSEP stat SUBSEP c
        return (c == "none" || !(k in mid)) ? "-" : sprintf(f " to " f, min[k], max[k]) }
    END {
        printf "%-10s %9s %6s %15s %15s %6s %15s %6s %8s %8s %17s %8s %8s %8s %8s %8s %6s\n", "config", "req/cpu-s",
            "ratio", cilabel, "range", "w/ JIT", cilabel, "req/s", "cpu", "added", cilabel, "request", "agent", "JIT",
            "p50", "added", "share"
        printf "%-10s %9s %6s %15s %15s %6s %15s %6s %8s %8s %17s %8s %8s %8s %8s %8s %6s\n", "", "", "", "", "",
            "ratio", "", "ratio", "us/req", "", "", "added", "us/req", "us/req", "us", "", ""
        n = split(configs, names, " ")
        for (i = 1; i <= n; i++) {
            c = names[i]
            printf "%-10s %9s %6s %15s %15s %6s %15s %6s %8s %8s %17s %8s %8s %8s %8s %8s %6s\n", c,
                num(v("req_per_cpu_s", "value", c), "%.0f"), num(v("req_per_cpu_s", "ratio", c), "%.3f"),
                ci("req_per_cpu_s", "ratio", c, "%.3f"), range("req_per_cpu_s", "ratio", c, "%.3f"),
                num(v("req_per_cpu_s_with_jit", "ratio", c), "%.3f"), ci("req_per_cpu_s_with_jit", "ratio", c, "%.3f"),
                num(v("rps", "ratio", c), "%.3f"), num(v("steady_cpu_us_per_req", "value", c), "%.2f"),
                (c == "none" ? "-" : num(v("steady_cpu_us_per_req", "diff", c), "%+.2f")),
                ci("steady_cpu_us_per_req", "diff", c, "%+.2f"),
                (c == "none" ? "-" : num(v("request_threads_us", "diff", c), "%+.2f")),
                num(v("agent_threads_us", "value", c), "%.2f"), num(v("jit_us", "value", c), "%.2f"),
                num(v("p50_us", "value", c), "%.1f"), (c == "none" ? "-" : num(v("p50_us", "diff", c), "%+.1f")),
                num(v("core_share", "value", c), "%.2f")
        }
        for (i = 1; i <= n; i++) {
            k = "req_per_cpu_s" SUBSEP "ratio_balanced" SUBSEP names[i]
            if (k in mid)
                printf "%s%s: req/cpu-s ratio %.3f (%s %.3f to %.3f) weighing the rounds it started before none and after alike\n",
                    (++balanced == 1 ? "\nbalanced by start order (the geometric mean of the two orders'"'"' medians)\n" : ""),
                    names[i], mid[k], cilabel, lo[k], hi[k]
        }
        k = "req_per_cpu_s" SUBSEP "ratio_to_headcount" SUBSEP "redis"
        if (k in mid)
            printf "\nredis against headcount, same rounds: req/cpu-s ratio %.3f (%s %.3f to %.3f, range %.3f to %.3f)\n",
                mid[k], cilabel, lo[k], hi[k], min[k], max[k]
    }' "$SUMMARY"
elif [[ "$MODE" == throughput ]]; then
    echo "Summary over $ROUNDS round(s): medians; ratio = configuration's req/s / no agent's req/s in the same round,"
    echo "its $CI_LABEL the bootstrap interval of that median; added = paired difference to none, median"
    awk -F'\t' -v configs="${CONFIGS[*]}" -v cilabel="$CI_LABEL" "$SUMMARY_AWK"'
    function ci(metric, stat, config) { k = metric SUBSEP stat SUBSEP config
        return (k in mid) ? sprintf("%.3f-%.3f", lo[k], hi[k]) : "NA" }
    function range(metric, stat, config) { k = metric SUBSEP stat SUBSEP config
        return (k in mid) ? sprintf("%.3f-%.3f", min[k], max[k]) : "NA" }
    END {
        printf "%-10s %8s %6s %13s %13s %7s %7s %10s %11s %9s %8s %8s  %s\n", "config", "req/s", "ratio", cilabel,
            "ratio range", "p50 ms", "p99 ms", "cpu us/req", "start-up ms", "added ms", "RSS MB", "added MB",
            "cpu us/req by threads: request/agent/jit/gc"
        n = split(configs, names, " ")
        for (i = 1; i <= n; i++) {
            c = names[i]
            printf "%-10s %8s %6s %13s %13s %7s %7s %10s %11s %9s %8s %8s  %s/%s/%s/%s\n", c,
                num(v("rps", "value", c), "%.0f"), num(v("rps", "ratio", c), "%.3f"), ci("rps", "ratio", c),
                range("rps", "ratio", c), num(v("p50_ms", "value", c), "%.3f"), num(v("p99_ms", "value", c), "%.3f"),
                num(v("cpu_us_per_req", "value", c), "%.2f"), num(v("startup_ms", "value", c), "%.0f"),
                (c == "none" ? "-" : num(v("startup_ms", "diff", c), "%+.0f")), num(v("rss_mb", "value", c), "%.1f"),
                (c == "none" ? "-" : num(v("rss_mb", "diff", c), "%+.1f")),
                num(v("request_threads_us", "value", c), "%.2f"), num(v("agent_threads_us", "value", c), "%.2f"),
                num(v("jit_us", "value", c), "%.2f"), num(v("gc_us", "value", c), "%.2f")
        }
    }' "$SUMMARY"
    print_added "cpu_us_per_req startup_ms rss_mb" "cpu us/req|start-up ms|RSS MB"
else
    echo "Summary over $ROUNDS round(s) at $RATE req/s: medians (latency in us, from each request's due time)"
    awk -F'\t' -v configs="${CONFIGS[*]}" -v rate="$RATE" -v cpus="$CPUS" "$SUMMARY_AWK"'
    END {
        printf "%-10s %10s %8s %8s %9s %9s %9s %10s %12s %12s %11s %8s  %s\n", "config", "cpu us/req", "p50", "p90", "p99",
            "p99.9", "lag p99", "gen us/req", "server cores", "gen cores", "start-up ms", "RSS MB",
            "cpu us/req by threads: request/agent/jit/gc"
        n = split(configs, names, " ")
        for (i = 1; i <= n; i++) {
            c = names[i]
            cpu = v("cpu_us_per_req", "value", c); gen = v("generator_cpu_us", "value", c)
            printf "%-10s %10s %8s %8s %9s %9s %9s %10s %12s %12s %11s %8s  %s/%s/%s/%s\n", c, num(cpu, "%.2f"),
                num(v("p50_us", "value", c), "%.1f"), num(v("p90_us", "value", c), "%.1f"),
                num(v("p99_us", "value", c), "%.1f"), num(v("p999_us", "value", c), "%.1f"),
                num(v("send_lag_p99_us", "value", c), "%.1f"), num(gen, "%.2f"),
                (cpu == "NA" ? "NA" : sprintf("%.2f of %d", cpu * rate / 1e6, cpus)),
                (gen == "NA" ? "NA" : sprintf("%.2f of %d", gen * rate / 1e6, cpus)),
                num(v("startup_ms", "value", c), "%.0f"), num(v("rss_mb", "value", c), "%.1f"),
                num(v("request_threads_us", "value", c), "%.2f"), num(v("agent_threads_us", "value", c), "%.2f"),
                num(v("jit_us", "value", c), "%.2f"), num(v("gc_us", "value", c), "%.2f")
        }
    }' "$SUMMARY"
    print_added "cpu_us_per_req p50_us p90_us p99_us p999_us startup_ms rss_mb" \
        "cpu us/req|p50 us|p90 us|p99 us|p99.9 us|start-up ms|RSS MB"
fi
echo
echo "Per-run figures: $RESULTS; statistics: $SUMMARY; server logs and load generator output: $OUT/"
} | tee -a "$OUT/summary.txt"
