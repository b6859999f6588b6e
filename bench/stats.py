#!/usr/bin/env python3
"""Paired statistics for bench/overhead.sh: medians over rounds with percentile-bootstrap
confidence intervals, for figures compared with the baseline configuration of the same round.

Rounds are paired because the machine's speed drifts between minutes far more than the agent
changes it: a configuration's figure is divided by (ratio) or reduced by (diff) the baseline's
figure from the same round, and only those per-round figures are summarized. Python 3 standard
library only. Self-check: python3 bench/test_stats.py

  python3 bench/stats.py RESULTS.tsv [--baseline none] [--ratio rps] [--diff a,b] [--value a,b]
        [--balance started_before_baseline] [--resamples 10000] [--confidence 0.95] [--seed 14]

RESULTS.tsv has a header line and the columns `round` and `config`; a cell that is empty, NA or
not a number is missing, and a round whose baseline is missing gives no pair. Prints a TSV:
metric, stat (value, ratio or diff), config, n, median, ci_low, ci_high, min, max.

With --balance COLUMN, a column that is 1 in the rounds where the configuration's run started
before the baseline's and 0 where it started after, each ratio also gets the stat ratio_balanced:
the geometric mean of the two groups' median ratios, its interval from resampling each group on
its own. Where the order in which two servers start moves the ratio (bench/overhead.sh side by
side, which alternates it), this weighs both orders alike however many rounds each had.
"""

import argparse
import math
import random
import sys

RESAMPLES = 10_000
CONFIDENCE = 0.95
# Fixed so that the same results give the same interval on every run.
SEED = 14


def median(values):
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        raise ValueError("median of no values")
    middle = n // 2
    if n % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def bootstrap_median_interval(values, resamples=RESAMPLES, confidence=CONFIDENCE, seed=SEED):
    """Percentile bootstrap: the median of each of `resamples` resamples (drawn with replacement,
    as many values as given), and the (1 - confidence) / 2 and (1 + confidence) / 2 quantiles of
    those medians, each the order statistic at that fraction of the sorted medians."""
    if not values:
        raise ValueError("interval of no values")
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")
    rng = random.Random(seed)
    n = len(values)
    return percentile_interval(sorted(median(rng.choices(values, k=n)) for _ in range(resamples)), confidence)


def percentile_interval(estimates, confidence):
    """The (1 - confidence) / 2 and (1 + confidence) / 2 quantiles of sorted bootstrap estimates,
    each the order statistic at that fraction."""
    resamples = len(estimates)
    tail = (1 - confidence) / 2
    return (estimates[max(0, math.floor(tail * resamples))],
            estimates[min(resamples - 1, math.ceil((1 - tail) * resamples) - 1)])


def number(cell):
    try:
        value = float(cell)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def read_table(lines):
    """Rows of a TSV with a header, as dicts."""
    rows = []
    header = None
    for line in lines:
        line = line.rstrip("\n")
        if not line:
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        rows.append(dict(zip(header, cells)))
    if header is None:
        raise ValueError("no header line")
    for column in ("round", "config"):
        if column not in header:
            raise ValueError("no column " + column)
    return header, rows


def configs_in_order(rows):
    seen = []
    for row in rows:
        if row["config"] not in seen:
            seen.append(row["config"])
    return seen


def per_round(rows, metric, stat, config, baseline):
    """The figures to summarize for one configuration, one per round that has them."""
    by_round = {}
    for row in rows:
        by_round.setdefault(row["round"], {})[row["config"]] = number(row.get(metric))
    figures = []
    for round_figures in by_round.values():
        value = round_figures.get(config)
        if value is None:
            continue
        if stat == "value":
            figures.append(value)
            continue
        base = round_figures.get(baseline)
        if base is None:
            continue
        if stat == "ratio":
            if base != 0:
                figures.append(value / base)
        elif stat == "diff":
            figures.append(value - base)
        else:
            raise ValueError("unknown stat " + stat)
    return figures


def ratios_by_order(rows, metric, config, baseline, column):
    """The configuration's per-round ratios to the baseline, split by `column` (1: started before
    the baseline, 0: after): (before, after)."""
    by_round = {}
    for row in rows:
        by_round.setdefault(row["round"], {})[row["config"]] = row
    groups = {1.0: [], 0.0: []}
    for round_rows in by_round.values():
        row, base_row = round_rows.get(config), round_rows.get(baseline)
        if row is None or base_row is None:
            continue
        value, base, order = number(row.get(metric)), number(base_row.get(metric)), number(row.get(column))
        if value is None or not base or order not in groups:
            continue
        groups[order].append(value / base)
    return groups[1.0], groups[0.0]


def balanced_ratio(before, after):
    """The geometric mean of the two groups' median ratios."""
    return math.exp((math.log(median(before)) + math.log(median(after))) / 2)


def balanced_ratio_interval(before, after, resamples=RESAMPLES, confidence=CONFIDENCE, seed=SEED):
    """Percentile bootstrap of balanced_ratio, each group resampled with replacement on its own."""
    rng = random.Random(seed)
    return percentile_interval(sorted(balanced_ratio(rng.choices(before, k=len(before)),
                                                     rng.choices(after, k=len(after)))
                                      for _ in range(resamples)), confidence)


def summarize(rows, metrics, baseline, resamples=RESAMPLES, confidence=CONFIDENCE, seed=SEED, balance=None):
    """One summary per (metric, stat) in `metrics` and per configuration with figures:
    (metric, stat, config, n, median, ci_low, ci_high, min, max)."""
    summaries = []
    for metric, stat in metrics:
        for config in configs_in_order(rows):
            figures = per_round(rows, metric, stat, config, baseline)
            if not figures:
                continue
            low, high = bootstrap_median_interval(figures, resamples, confidence, seed)
            summaries.append((metric, stat, config, len(figures), median(figures), low, high,
                              min(figures), max(figures)))
            if stat == "ratio" and balance and config != baseline:
                before, after = ratios_by_order(rows, metric, config, baseline, balance)
                if before and after:
                    low, high = balanced_ratio_interval(before, after, resamples, confidence, seed)
                    summaries.append((metric, "ratio_balanced", config, len(before) + len(after),
                                      balanced_ratio(before, after), low, high,
                                      min(before + after), max(before + after)))
    return summaries


def format_summary(summaries):
    lines = ["metric\tstat\tconfig\tn\tmedian\tci_low\tci_high\tmin\tmax"]
    for metric, stat, config, n, mid, low, high, lo, hi in summaries:
        lines.append("\t".join([metric, stat, config, str(n)]
                               + ["%.10g" % x for x in (mid, low, high, lo, hi)]))
    return "\n".join(lines) + "\n"


def names(text):
    return [name for name in (text or "").split(",") if name]


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("results")
    parser.add_argument("--baseline", default="none")
    parser.add_argument("--value", default="", help="columns summarized as they are")
    parser.add_argument("--ratio", default="", help="columns divided by the baseline's, per round")
    parser.add_argument("--diff", default="", help="columns less the baseline's, per round")
    parser.add_argument("--balance", help="column: 1 where the run started before the baseline's, 0 after")
    parser.add_argument("--resamples", type=int, default=RESAMPLES)
    parser.add_argument("--confidence", type=float, default=CONFIDENCE)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    with open(args.results, encoding="utf-8") as file:
        header, rows = read_table(file)
    metrics = [(m, "value") for m in names(args.value)] + [(m, "ratio") for m in names(args.ratio)] \
        + [(m, "diff") for m in names(args.diff)]
    for metric in [m for m, _ in metrics] + ([args.balance] if args.balance else []):
        if metric not in header:
            parser.error("no column " + metric + " in " + args.results)
    sys.stdout.write(format_summary(summarize(rows, metrics, args.baseline, args.resamples,
                                              args.confidence, args.seed, args.balance)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
