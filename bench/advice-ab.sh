#!/usr/bin/env bash
# Alternated A/B of the request thread's cost: AdvicePathBenchmark (service advised and plain,
# sinkRecord) from two benchmark jars, A then B, round after round, so that a noisy machine's
# slow minutes fall on both. Prints each round's medians (sample mode, p0.50, ns per call) and,
# at the end, the median over the rounds with its min-max, for advised - plain and sinkRecord.
#
#   bench/advice-ab.sh A.jar B.jar            # 5 rounds
#   ROUNDS=9 bench/advice-ab.sh A.jar B.jar
#   JMH_ARGS="-prof gc" bench/advice-ab.sh ...  # extra JMH options (each run, both jars)
#
# Build a jar per variant: ./mvnw -B -q -Pbench -pl bench -am package -DskipTests, then copy
# bench/target/benchmarks.jar aside before building the other.
set -euo pipefail

A=${1:?usage: advice-ab.sh A.jar B.jar}
B=${2:?usage: advice-ab.sh A.jar B.jar}
ROUNDS=${ROUNDS:-5}
JAVA=${JAVA:-java}
BENCHMARKS=${BENCHMARKS:-'AdvicePathBenchmark\.(service|sinkRecord)$'}
JMH_ARGS=${JMH_ARGS:-}
OUT=${OUT:-$(mktemp -d /tmp/advice-ab.XXXXXX)}
mkdir -p "$OUT"
echo "results in $OUT"

# p0.50 of one benchmark (and servlet parameter, or empty) from a JMH csv
median_of() {
    awk -F, -v name="$2:p0.50" -v param="$3" '
        { gsub(/"/, "") }
        $1 ~ ("\\." name "$") && $8 == param { print $5 }' "$1"
}

printf '%-6s %-2s %12s %12s %12s %12s\n' round jar advised plain "adv-plain" sinkRecord | tee "$OUT/summary.txt"
for round in $(seq 1 "$ROUNDS"); do
    for variant in A B; do
        jar=$A
        [ "$variant" = B ] && jar=$B
        csv="$OUT/r$round-$variant.csv"
        # shellcheck disable=SC2086
        "$JAVA" -jar "$jar" "$BENCHMARKS" -bm sample -f 1 -wi 3 -w 1s -i 5 -r 1s $JMH_ARGS \
            -rf csv -rff "$csv" > "$OUT/r$round-$variant.log" 2>&1
        advised=$(median_of "$csv" service advised)
        plain=$(median_of "$csv" service plain)
        sink=$(median_of "$csv" sinkRecord "")
        printf '%-6s %-2s %12.0f %12.0f %12.0f %12.0f\n' "$round" "$variant" "$advised" "$plain" \
            "$(echo "$advised - $plain" | bc)" "$sink" | tee -a "$OUT/summary.txt"
    done
done

echo
echo "median over $ROUNDS rounds (min-max), ns per call, sample mode p0.50:"
for variant in A B; do
    awk -v v="$variant" '
        $2 == v { d[n] = $5; s[n] = $6; n++ }
        function med(a, n,   i, j, t) {
            for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
            return n % 2 ? a[int(n / 2)] : (a[n / 2 - 1] + a[n / 2]) / 2
        }
        END {
            printf "%s  advised-plain %6.0f (%s-%s)   sinkRecord %6.0f (%s-%s)\n", v,
                med(d, n), d[0], d[n - 1], med(s, n), s[0], s[n - 1]
        }' "$OUT/summary.txt"
done | tee -a "$OUT/summary.txt"
