#!/usr/bin/env python3
"""Compares two builds of the worker, or of the request thread's side (--advice): WorkerAB (in the
bench jar) over several launches, the order of the two builds alternating launch by launch, and the
median of the launches' B/A ratios with a percentile-bootstrap interval (bench/stats.py).

One launch times the two builds in alternating slices within one JVM, so the machine's drift
cancels within it; each launch compiles each build afresh, which can favour either side by a few
percent (on 2026-12-06 the build loaded second was favoured by about 5%), and alternating which
build is loaded first cancels that: each pair of launches, one in each order, gives the geometric
mean of its two ratios. Comparing a jar with itself (A/A) shows the method's own spread.

  bench/worker_ab.py BEFORE.jar AFTER.jar [--launches 8] [--distinct 1024] [--pairs 100] [--slice 100000]
      [--routes] [--hints] [--fresh] [--advice] [--runner bench/target/benchmarks.jar]

With --advice each launch times the woven servlet on Tomcat's own request objects (AdviceLoop),
Tomcat's own work included; the paired differences in ns per request are then the figure to read,
since that work dilutes the ratio. BEFORE as plain:JAR runs that side's servlet unwoven, so that
plain:X.jar X.jar measures what X's advice costs a request.

Each jar is a bench/target/benchmarks.jar (./mvnw -B -Pbench -pl bench -am package -DskipTests),
copied aside before the change. About 45 s per launch.
"""
import argparse
import math
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stats  # noqa: E402


def launch(runner_jar, first, second, distinct, pairs, per_slice, extras):
    out = subprocess.run(
        ["java", "-cp", runner_jar, "io.headcount.bench.WorkerAB", first, second,
         str(distinct), str(pairs), str(per_slice)] + ([",".join(extras)] if extras else []),
        capture_output=True, text=True, check=True).stdout
    ratio = float(re.search(r"B/A: median of \d+ paired slices ([0-9.]+)", out).group(1))
    difference = float(re.search(r"B-A: median of \d+ paired slices (-?[0-9.]+) ns", out).group(1))
    return ratio, difference


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--launches", type=int, default=8)
    parser.add_argument("--distinct", type=int, default=1024)
    parser.add_argument("--pairs", type=int, default=100)
    parser.add_argument("--slice", type=int, default=100_000)
    parser.add_argument("--routes", action="store_true",
                        help="events carry the route Spring MVC would report, as in an app with controllers")
    parser.add_argument("--hints", action="store_true",
                        help="events of Chrome User-Agents carry Chrome's client hints, as over HTTPS")
    parser.add_argument("--fresh", action="store_true",
                        help="each event's request values become new strings before it is recorded, as a "
                             "container makes them; both sides pay for the copies, so read the difference")
    parser.add_argument("--advice", action="store_true",
                        help="the request thread's side (the woven servlet on Tomcat's objects) instead of the worker")
    parser.add_argument("--runner", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                          "target", "benchmarks.jar"),
                        help="the jar WorkerAB itself runs from (default: this checkout's bench jar)")
    args = parser.parse_args(argv)
    ratios = []
    differences = []
    for n in range(args.launches):
        after_first = n % 2 == 1
        first, second = (args.after, args.before) if after_first else (args.before, args.after)
        extras = ((["routes"] if args.routes else []) + (["hints"] if args.hints else [])
                  + (["fresh"] if args.fresh else [])
                  + (["advice"] if args.advice else []))
        ratio, difference = launch(args.runner, first, second, args.distinct, args.pairs, args.slice, extras)
        ratio = 1 / ratio if after_first else ratio
        difference = -difference if after_first else difference
        ratios.append(ratio)
        differences.append(difference)
        print(f"launch {n + 1}: {'after' if after_first else 'before'} loaded first, after/before {ratio:.4f}, "
              f"after-before {difference:+.1f} ns", flush=True)
    low, high = stats.bootstrap_median_interval(ratios)
    print(f"after/before over {len(ratios)} launches: median {stats.median(ratios):.4f} "
          f"(95% CI {low:.4f}-{high:.4f}), range {min(ratios):.4f}-{max(ratios):.4f}")
    # A launch favours the build loaded second; a pair of launches in both orders cancels that.
    pairs = [math.sqrt(ratios[i] * ratios[i + 1]) for i in range(0, len(ratios) - 1, 2)]
    if pairs:
        low, high = stats.bootstrap_median_interval(pairs)
        print(f"after/before over {len(pairs)} pairs of launches (geometric mean of both orders): "
              f"median {stats.median(pairs):.4f} (95% CI {low:.4f}-{high:.4f}), "
              f"range {min(pairs):.4f}-{max(pairs):.4f}")
        mean_differences = [(differences[i] + differences[i + 1]) / 2 for i in range(0, len(differences) - 1, 2)]
        low, high = stats.bootstrap_median_interval(mean_differences)
        print(f"after-before over {len(mean_differences)} pairs of launches (mean of both orders): "
              f"median {stats.median(mean_differences):+.1f} ns (95% CI {low:+.1f}..{high:+.1f}), "
              f"range {min(mean_differences):+.1f}..{max(mean_differences):+.1f}")


if __name__ == "__main__":
    main(sys.argv[1:])
