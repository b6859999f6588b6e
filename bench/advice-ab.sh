#!/usr/bin/env bash
# Alternated A/B of the request thread's cost: AdvicePathBenchmark (service advised and plain,
# sinkRecord) from two benchmark jars, A then B, round after round, so that a noisy machine's
# slow minutes fall on both. Prints each round's medians (sample mode, p0.50, ns per call) and,
# at the end, the median over the rounds with its min-max, for advised - plain and sinkRecord.
#
#   bench/advice-ab.sh A.jar B.jar            # 5 rounds
#   ROUNDS=9 bench/advice-ab.sh A.jar B.jar
#   JMH_ARGS="-prof gc" bench/advice-ab.sh ...  # extra JMH options (each run, both jars)
#   A_ARGS=... B_ARGS=... bench/advice-ab.sh J.jar J.jar  # extra JMH options of A's runs, of B's: one jar,
#       two settings, e.g. A_ARGS="-jvmArgsAppend -Dheadcount.bench.headers=servlet-api" (Tomcat's
#       headers through getHeader) against B's one pass
#   SERVICE=serviceOnTomcat bench/advice-ab.sh ...  # advised - plain on Tomcat's own request objects
#
# Build a jar per variant: ./mvnw -B -q -Pbench -pl bench -am package -DskipTests, then copy
# bench/target/benchmarks.jar aside before building the other.
set -euo pipefail

A=${1:?usage: advice-ab.sh A.jar B.jar}
B=${2:?usage: advice-ab.sh A.jar B.jar}
ROUNDS=${ROUNDS:-5}
JAVA=${JAVA:-java}
# Which servlet benchmark gives advised - plain: service (on the model of Tomcat's request) or
# serviceOnTomcat (on Tomcat's own objects).
SERVICE=${SERVICE:-service}
BENCHMARKS=${BENCHMARKS:-"AdvicePathBenchmark\\.($SERVICE|sinkRecord)\$"}
JMH_ARGS=${JMH_ARGS:-}
A_ARGS=${A_ARGS:-}
B_ARGS=${B_ARGS:-}
OUT=${OUT:-$(mktemp -d /tmp/advice-ab.XXXXXX)}
mkdir -p "$OUT"
echo "results in $OUT"

# a percentile (p0.50, p0.00) of one benchmark (and servlet parameter, or empty) from a JMH csv
percentile_of() {
    awk -F, -v name="$2:$4" -v param="$3" '
        { gsub(/["\r]/, "") }
        $1 ~ ("\\." name "$") && $8 == param { print $5 }' "$1"
}

printf '%-6s %-2s %12s %12s %12s %12s %14s %14s\n' round jar advised plain "adv-plain" sinkRecord \
    "min:adv-plain" "min:sinkRec" | tee "$OUT/summary.txt"
for round in $(seq 1 "$ROUNDS"); do
    for variant in A B; do
        jar=$A
        variant_args=$A_ARGS
        if [ "$variant" = B ]; then
            jar=$B
            variant_args=$B_ARGS
        fi
        csv="$OUT/r$round-$variant.csv"
        # shellcheck disable=SC2086
        "$JAVA" -jar "$jar" "$BENCHMARKS" -bm sample -f 1 -wi 3 -w 1s -i 5 -r 1s $JMH_ARGS $variant_args \
            -rf csv -rff "$csv" > "$OUT/r$round-$variant.log" 2>&1
        advised=$(percentile_of "$csv" "$SERVICE" advised p0.50)
        plain=$(percentile_of "$csv" "$SERVICE" plain p0.50)
        sink=$(percentile_of "$csv" sinkRecord "" p0.50)
        # The fastest single call: on a busy machine, the least disturbed figure there is.
        min_advised=$(percentile_of "$csv" "$SERVICE" advised p0.00)
        min_plain=$(percentile_of "$csv" "$SERVICE" plain p0.00)
        min_sink=$(percentile_of "$csv" sinkRecord "" p0.00)
        printf '%-6s %-2s %12.0f %12.0f %12.0f %12.0f %14.0f %14.0f\n' "$round" "$variant" "$advised" "$plain" \
            "$(echo "$advised - $plain" | bc)" "$sink" "$(echo "$min_advised - $min_plain" | bc)" "$min_sink" \
            | tee -a "$OUT/summary.txt"
    done
done

echo
echo "median over $ROUNDS rounds (min-max), ns per call; p0.50 of each run, and its fastest call (p0.00):"
for variant in A B; do
    awk -v v="$variant" 'BEGIN { n = 0 }
        $2 == v { d[n] = $5; s[n] = $6; md[n] = $7; ms[n] = $8; n++ }
        function med(a, n,   i, j, t) {
            for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
            return n % 2 ? a[int(n / 2)] : (a[n / 2 - 1] + a[n / 2]) / 2
        }
        END {
            printf "%s  advised-plain %6.0f (%s-%s)   sinkRecord %6.0f (%s-%s)", v,
                med(d, n), d[0], d[n - 1], med(s, n), s[0], s[n - 1]
            printf "   fastest: advised-plain %6.0f (%s-%s)   sinkRecord %6.0f (%s-%s)\n",
                med(md, n), md[0], md[n - 1], med(ms, n), ms[0], ms[n - 1]
        }' "$OUT/summary.txt"
done | tee -a "$OUT/summary.txt"
