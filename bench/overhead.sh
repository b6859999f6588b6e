#!/usr/bin/env bash
# Load comparison: the test app's JSON endpoint under the same wrk load in four configurations,
# alternated round by round (A B C D A B C D ...) because throughput on a shared machine swings
# by 20% and more between minutes:
#   A none        no agent
#   B headcount   Headcount, in-memory mode
#   C redis       Headcount with a local Redis (redis-server from PATH, on a free port)
#   D otel        the OpenTelemetry Java agent, metrics to its Prometheus exporter, traces and logs off
# The server is pinned to CPU 0; wrk, Redis and everything else this script runs after the build
# to CPU 1.
#
# Usage (from anywhere in the repository):
#   bench/overhead.sh                 # 5 rounds of 30 s warm-up + 20 s measured per configuration
#   QUICK=1 bench/overhead.sh         # smoke test: 1 round of 5 s
# Environment: ROUNDS (5), DURATION (seconds per measured run, 20), WARMUP (seconds of load
# before each measured run, 30: on one core the JIT is still compiling the app's hot paths after
# 15 s, longer with an agent's code to compile too), CONNECTIONS (wrk connections, 16), ENDPOINT (/api/users/42),
# OTEL_VERSION (2.32.0), JAVA (java), JAVA_OPTS (extra JVM options for the server, none),
# SKIP_BUILD=1 (reuse the jars already built), SERVER_CPU (0), LOAD_CPU (1), CONFIGS (a subset of
# "none headcount redis otel", e.g. CONFIGS="none headcount" for a quick A/B).
# Results: printed, and kept in bench/target/overhead/ (results.tsv, one server log per run).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

if [[ "${QUICK:-0}" == 1 ]]; then
    ROUNDS=${ROUNDS:-1}
    DURATION=${DURATION:-5}
    WARMUP=${WARMUP:-5}
fi
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-30}
CONNECTIONS=${CONNECTIONS:-16}
ENDPOINT=${ENDPOINT:-/api/users/42}
OTEL_VERSION=${OTEL_VERSION:-2.32.0}
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS:-}
SERVER_CPU=${SERVER_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
USER_AGENT='Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
STARTUP_TIMEOUT_S=180

AGENT_JAR="$ROOT/agent/target/headcount-agent.jar"
APP_JAR="$ROOT/test-app/target/headcount-test-app.jar"
OTEL_JAR="$ROOT/bench/target/opentelemetry-javaagent-$OTEL_VERSION.jar"
OUT="$ROOT/bench/target/overhead"
RESULTS="$OUT/results.tsv"
# CONFIGS may name a subset, in the order to alternate (none first: the ratios need it).
read -r -a CONFIGS <<<"${CONFIGS:-none headcount redis otel}"

# Processes this script started, by PID; only these are ever stopped.
SERVER_PID=""
REDIS_PID=""

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
[[ -f "$APP_JAR" ]] || die "no $APP_JAR after the build"
if [[ ! -f "$OTEL_JAR" ]]; then
    log "fetching io.opentelemetry.javaagent:opentelemetry-javaagent:$OTEL_VERSION"
    ./mvnw -B -q -N dependency:copy \
        -Dartifact="io.opentelemetry.javaagent:opentelemetry-javaagent:$OTEL_VERSION" \
        -DoutputDirectory="$ROOT/bench/target" >&2
fi
[[ -f "$OTEL_JAR" ]] || die "no $OTEL_JAR after fetching it"

mkdir -p "$OUT"
# From here on this shell and all it starts (polls, wrk, redis) stay off the server's CPU; the
# server is started with its own taskset.
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

# CPU ticks by thread group: request (Tomcat's), agent (Headcount's, lettuce's, the OpenTelemetry
# agent's and the JDK HTTP server its exporter runs on), jit, gc; printed as "group ticks" lines.
thread_ticks() {
    local task comm stat
    for task in /proc/"$1"/task/*; do
        comm=$(cat "$task/comm" 2>/dev/null) || continue
        stat=$(cat "$task/stat" 2>/dev/null) || continue
        stat=${stat##*) }
        set -- $stat
        printf '%s\t%s\n' "$comm" $(( ${12} + ${13} ))
    done | awk -F'\t' '
        $1 ~ /^http-nio/ { g = "request" }
        $1 ~ /^(headcount|lettuce|otel|prometheus|jmx_bean_finder|weak-ref-clean|BatchSpan|PeriodicMetric|HTTP-Dispatcher|idle-timeout|req-rsp-timeout)/ { g = "agent" }
        $1 ~ /CompilerThre/ { g = "jit" }
        $1 ~ /^(GC Thread|G1 |VM Thread)/ { g = "gc" }
        { if (g == "") g = "other"; sum[g] += $2; g = "" }
        END { for (k in sum) print k, sum[k] }'
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

wrk_run() {
    taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNECTIONS" -d"$1"s --latency -H "User-Agent: $USER_AGENT" \
        "http://127.0.0.1:$PORT$ENDPOINT"
}

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

# --- one measured run ----------------------------------------------------------------------
# Sets globals PORT and METRICS_PORT; appends one line to $RESULTS.
run_config() {
    local round=$1 config=$2
    pick_port
    PORT=$PICKED
    pick_port
    METRICS_PORT=$PICKED
    local agent_opts=()
    case "$config" in
        none) ;;
        headcount) agent_opts=("-javaagent:$AGENT_JAR=host=127.0.0.1,port=$METRICS_PORT") ;;
        redis) agent_opts=("-javaagent:$AGENT_JAR=host=127.0.0.1,port=$METRICS_PORT,redis.url=redis://127.0.0.1:$REDIS_PORT") ;;
        otel) agent_opts=("-javaagent:$OTEL_JAR" -Dotel.service.name=headcount-test-app
                          -Dotel.metrics.exporter=prometheus -Dotel.exporter.prometheus.host=127.0.0.1
                          -Dotel.exporter.prometheus.port="$METRICS_PORT"
                          -Dotel.traces.exporter=none -Dotel.logs.exporter=none) ;;
    esac
    local logfile="$OUT/round$round-$config.log"
    local start end
    start=$(now_ms)
    # shellcheck disable=SC2086
    taskset -c "$SERVER_CPU" "$JAVA" $JAVA_OPTS "${agent_opts[@]}" -jar "$APP_JAR" --port "$PORT" \
        >"$logfile" 2>&1 &
    SERVER_PID=$!
    local status=""
    while :; do
        status=$(http_status "$PORT" "$ENDPOINT")
        [[ "$status" == 200 ]] && break
        if ! kill -0 "$SERVER_PID" 2>/dev/null || (( $(now_ms) - start > STARTUP_TIMEOUT_S * 1000 )); then
            log "round $round $config: no 200 from $ENDPOINT (see $logfile)"
            stop_pid "$SERVER_PID"
            SERVER_PID=""
            printf '%s\t%s\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\n' "$round" "$config" >>"$RESULTS"
            return
        fi
        sleep 0.02
    done
    end=$(now_ms)
    local startup=$(( end - start ))

    wrk_run "$WARMUP" >/dev/null
    local ticks_before ticks_after threads_before threads_after
    ticks_before=$(cpu_ticks "$SERVER_PID")
    threads_before=$(thread_ticks "$SERVER_PID")
    local output
    output=$(wrk_run "$DURATION")
    ticks_after=$(cpu_ticks "$SERVER_PID")
    threads_after=$(thread_ticks "$SERVER_PID")
    local rss
    rss=$(rss_mb "$SERVER_PID")
    printf '%s\n' "$output" >"$OUT/round$round-$config.wrk"

    local rps requests p50 p99 errors
    rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$output")
    requests=$(awk '/requests in/ { print $1 }' <<<"$output")
    p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$output")")
    p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$output")")
    errors=$(awk '/Non-2xx|Socket errors/' <<<"$output")
    [[ -z "$errors" ]] || log "round $round $config: $errors"
    local cpu_us split
    cpu_us=$(awk -v t=$(( ticks_after - ticks_before )) -v hz="$CLK_TCK" -v n="$requests" \
        'BEGIN { printf "%.2f", t / hz * 1e6 / n }')
    # Per thread group, in us per request: request, agent, jit, gc (threads that ended are in the total only).
    split=$(awk -v hz="$CLK_TCK" -v n="$requests" '
        NR == FNR { before[$1] = $2; next }
        { after[$1] = $2 }
        END { split("request agent jit gc", g, " ")
              for (i = 1; i <= 4; i++) printf "%s%.2f", (i > 1 ? "\t" : ""), (after[g[i]] - before[g[i]]) / hz * 1e6 / n }' \
        <(printf '%s\n' "$threads_before") <(printf '%s\n' "$threads_after"))

    # That the agent really counted: its own count of requests on the endpoint.
    local counted="-"
    case "$config" in
        headcount|redis)
            counted=$(http_body "$METRICS_PORT" /metrics | awk '/^headcount_requests_total\{/ && /endpoint="\/api\/users\/\{id\}"/ { s += $NF } END { printf "%d", s }') ;;
        otel)
            counted=$(http_body "$METRICS_PORT" /metrics | awk '/^http_server_request_duration_seconds_count\{/ { s += $NF } END { printf "%d", s }') ;;
    esac

    stop_pid "$SERVER_PID"
    SERVER_PID=""
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$config" "$rps" "$p50" "$p99" "$cpu_us" \
        "$startup" "$rss" "$requests" "$counted" "$split" >>"$RESULTS"
    [[ "$config" == none ]] && BASE_RPS=$rps
    local ratio
    ratio=$(awk -v r="$rps" -v b="${BASE_RPS:-}" 'BEGIN { if (b + 0 > 0) printf "%.3f", r / b; else printf "NA" }')
    local agent_us
    agent_us=$(cut -f2 <<<"$split")
    printf '  %-10s %9s req/s  ratio %6s  p50 %7s ms  p99 %7s ms  cpu %7s us/req (agent threads %5s)  start-up %6s ms  rss %6s MB  counted %s\n' \
        "$config" "$rps" "$ratio" "$p50" "$p99" "$cpu_us" "$agent_us" "$startup" "$rss" "$counted"
}

# --- header --------------------------------------------------------------------------------
echo "Headcount overhead comparison ($(date -u '+%Y-%m-%d %H:%M UTC'))"
echo "machine: $CPUS CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(uname -sr)"
echo "java:    $("$JAVA" -version 2>&1 | head -2 | tr '\n' ' ')"
echo "agents:  headcount $(basename "$AGENT_JAR"), opentelemetry-javaagent $OTEL_VERSION; redis $(command -v redis-server >/dev/null && redis-server --version | awk '{ print $3 }')"
echo "load:    $(wrk -v 2>&1 | head -1 | awk '{ print $1, $2 }'), -t1 -c$CONNECTIONS, ${WARMUP}s warm-up + ${DURATION}s measured, GET $ENDPOINT"
echo "pinning: server on CPU $SERVER_CPU, wrk and redis on CPU $LOAD_CPU; rounds: $ROUNDS, order ${CONFIGS[*]}"
echo "server:  $JAVA ${JAVA_OPTS:-(default JVM options)} -jar $(basename "$APP_JAR")"
echo

printf 'round\tconfig\trps\tp50_ms\tp99_ms\tcpu_us_per_req\tstartup_ms\trss_mb\trequests\tcounted\trequest_threads_us\tagent_threads_us\tjit_us\tgc_us\n' >"$RESULTS"
for round in $(seq 1 "$ROUNDS"); do
    echo "round $round/$ROUNDS"
    BASE_RPS=""
    for config in "${CONFIGS[@]}"; do
        run_config "$round" "$config"
    done
done

# --- summary -------------------------------------------------------------------------------
echo
echo "Summary over $ROUNDS round(s): medians; ratio = configuration's req/s / no agent's req/s in the same round"
awk -F'\t' -v configs="${CONFIGS[*]}" '
function median(list,    n, a, i, j, t) {
    n = split(list, a, " ")
    if (n == 0) return "NA"
    for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function minmax(list,    n, a, i, lo, hi) {
    n = split(list, a, " ")
    if (n == 0) return "NA"
    lo = hi = a[1] + 0
    for (i = 2; i <= n; i++) { if (a[i] + 0 < lo) lo = a[i] + 0; if (a[i] + 0 > hi) hi = a[i] + 0 }
    return sprintf("%.3f-%.3f", lo, hi)
}
function add(key, value) { if (value != "NA" && value != "") values[key] = values[key] " " value }
NR == 1 { next }
{
    round = $1; config = $2
    rps[round, config] = $3
    add(config SUBSEP "rps", $3); add(config SUBSEP "p50", $4); add(config SUBSEP "p99", $5)
    add(config SUBSEP "cpu", $6); add(config SUBSEP "start", $7); add(config SUBSEP "rss", $8)
    add(config SUBSEP "reqcpu", $11); add(config SUBSEP "agentcpu", $12); add(config SUBSEP "jitcpu", $13); add(config SUBSEP "gccpu", $14)
    rounds[round] = 1
}
END {
    for (round in rounds) {
        base = rps[round, "none"]
        if (base == "" || base == "NA") continue
        n = split(configs, names, " ")
        for (i = 1; i <= n; i++) {
            r = rps[round, names[i]]
            if (r != "" && r != "NA") add(names[i] SUBSEP "ratio", sprintf("%.4f", r / base))
        }
    }
    printf "%-10s %8s %6s %13s %7s %7s %10s %11s %9s %8s %8s  %s\n", "config", "req/s", "ratio", "ratio range",
        "p50 ms", "p99 ms", "cpu us/req", "start-up ms", "added ms", "RSS MB", "added MB",
        "cpu us/req by threads: request/agent/jit/gc"
    base_start = median(values["none" SUBSEP "start"]); base_rss = median(values["none" SUBSEP "rss"])
    n = split(configs, names, " ")
    for (i = 1; i <= n; i++) {
        c = names[i]
        start = median(values[c SUBSEP "start"]); rss = median(values[c SUBSEP "rss"])
        printf "%-10s %8.0f %6.3f %13s %7.3f %7.3f %10.2f %11.0f %9s %8.1f %8s  %.2f/%.2f/%.2f/%.2f\n", c,
            median(values[c SUBSEP "rps"]), median(values[c SUBSEP "ratio"]), minmax(values[c SUBSEP "ratio"]),
            median(values[c SUBSEP "p50"]), median(values[c SUBSEP "p99"]), median(values[c SUBSEP "cpu"]),
            start, (c == "none" ? "-" : sprintf("%+.0f", start - base_start)), rss,
            (c == "none" ? "-" : sprintf("%+.1f", rss - base_rss)),
            median(values[c SUBSEP "reqcpu"]), median(values[c SUBSEP "agentcpu"]),
            median(values[c SUBSEP "jitcpu"]), median(values[c SUBSEP "gccpu"])
    }
}' "$RESULTS"
echo
echo "Per-run figures: $RESULTS; server logs and wrk output: $OUT/"
