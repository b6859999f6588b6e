#!/usr/bin/env python3
"""Self-check of bench/stats.py: python3 bench/test_stats.py"""

import io
import os
import sys
import tempfile
import unittest
from contextlib import redirect_stdout

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stats  # noqa: E402


def table(text):
    return stats.read_table(io.StringIO(text))[1]


RESULTS = (
    "round\tconfig\trps\tp50_us\n"
    "1\tnone\t100\t200\n"
    "1\tagent\t90\t210\n"
    "2\tnone\t200\t100\n"
    "2\tagent\t196\t104\n"
    "3\tnone\tNA\tNA\n"
    "3\tagent\t150\t150\n"
    "4\tnone\t50\t300\n"
    "4\tagent\t\t\n"
)


class MedianTest(unittest.TestCase):
    def test_odd_count_takes_the_middle_value(self):
        self.assertEqual(stats.median([3.0, 1.0, 2.0]), 2.0)

    def test_even_count_takes_the_mean_of_the_two_middle_values(self):
        self.assertEqual(stats.median([4.0, 1.0, 3.0, 2.0]), 2.5)

    def test_no_values_is_an_error(self):
        with self.assertRaises(ValueError):
            stats.median([])


class BootstrapTest(unittest.TestCase):
    def test_nine_distinct_values_give_the_second_and_eighth(self):
        # For 9 distinct values the bootstrap median is the 5th smallest of 9 draws, so
        # P(median <= k-th value) = P(Binomial(9, k/9) >= 5): 0.0015 for k=1, 0.0304 for k=2,
        # 0.9696 for k=7, 0.9985 for k=8. The 2.5% quantile is the 2nd value, the 97.5% the 8th.
        values = [0.91, 0.95, 0.97, 0.98, 0.99, 1.00, 1.01, 1.03, 1.10]
        self.assertEqual(stats.bootstrap_median_interval(values), (0.95, 1.03))

    def test_identical_values_give_a_point(self):
        self.assertEqual(stats.bootstrap_median_interval([0.98] * 9), (0.98, 0.98))

    def test_one_value_gives_a_point(self):
        self.assertEqual(stats.bootstrap_median_interval([1.5]), (1.5, 1.5))

    def test_same_seed_same_interval(self):
        values = [0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 1.2, 1.3]
        self.assertEqual(stats.bootstrap_median_interval(values, seed=3),
                         stats.bootstrap_median_interval(values, seed=3))

    def test_interval_holds_the_median_and_lies_within_the_values(self):
        values = [0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 1.2, 1.3]
        low, high = stats.bootstrap_median_interval(values)
        self.assertLessEqual(0.8, low)
        self.assertLessEqual(low, stats.median(values))
        self.assertLessEqual(stats.median(values), high)
        self.assertLessEqual(high, 1.3)

    def test_wider_confidence_is_no_narrower(self):
        values = [0.91, 0.95, 0.97, 0.98, 0.99, 1.00, 1.01, 1.03, 1.10]
        self.assertEqual(stats.bootstrap_median_interval(values, confidence=0.5), (0.98, 1.00))
        self.assertEqual(stats.bootstrap_median_interval(values, confidence=0.999), (0.91, 1.10))


class PairedTest(unittest.TestCase):
    def test_ratio_pairs_each_round_with_its_own_baseline(self):
        # Round 3 has no baseline and round 4 no agent figure: neither gives a pair.
        self.assertEqual(stats.per_round(table(RESULTS), "rps", "ratio", "agent", "none"), [0.9, 0.98])

    def test_diff_pairs_each_round_with_its_own_baseline(self):
        self.assertEqual(stats.per_round(table(RESULTS), "p50_us", "diff", "agent", "none"), [10.0, 4.0])

    def test_value_keeps_every_round_that_has_a_figure(self):
        self.assertEqual(stats.per_round(table(RESULTS), "rps", "value", "agent", "none"), [90.0, 196.0, 150.0])

    def test_summary_lines(self):
        summaries = stats.summarize(table(RESULTS), [("rps", "ratio"), ("p50_us", "diff")], "none")
        self.assertEqual(summaries, [
            ("rps", "ratio", "none", 3, 1.0, 1.0, 1.0, 1.0, 1.0),
            ("rps", "ratio", "agent", 2, 0.94, 0.9, 0.98, 0.9, 0.98),
            ("p50_us", "diff", "none", 3, 0.0, 0.0, 0.0, 0.0, 0.0),
            ("p50_us", "diff", "agent", 2, 7.0, 4.0, 10.0, 4.0, 10.0),
        ])

    def test_command_line_prints_a_tsv(self):
        with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as file:
            file.write(RESULTS)
        try:
            out = io.StringIO()
            with redirect_stdout(out):
                self.assertEqual(stats.main([file.name, "--ratio", "rps", "--value", "p50_us"]), 0)
        finally:
            os.unlink(file.name)
        self.assertEqual(out.getvalue(),
                         "metric\tstat\tconfig\tn\tmedian\tci_low\tci_high\tmin\tmax\n"
                         "p50_us\tvalue\tnone\t3\t200\t100\t300\t100\t300\n"
                         "p50_us\tvalue\tagent\t3\t150\t104\t210\t104\t210\n"
                         "rps\tratio\tnone\t3\t1\t1\t1\t1\t1\n"
                         "rps\tratio\tagent\t2\t0.94\t0.9\t0.98\t0.9\t0.98\n")


ORDERED = (
    "round\tconfig\trate\tbefore\n"
    "1\tnone\t100\t0\n"
    "1\tagent\t99\t0\n"
    "2\tnone\t100\t0\n"
    "2\tagent\t81\t1\n"
    "3\tnone\t200\t0\n"
    "3\tagent\t198\t0\n"
    "4\tnone\t100\t0\n"
    "4\tagent\t99\t0\n"
    "5\tnone\tNA\t0\n"
    "5\tagent\t50\t1\n"
)


class BalancedTest(unittest.TestCase):
    def test_rounds_split_by_which_server_started_first(self):
        # Round 5 has no baseline figure: no pair.
        self.assertEqual(stats.ratios_by_order(table(ORDERED), "rate", "agent", "none", "before"),
                         ([0.81], [0.99, 0.99, 0.99]))

    def test_balanced_ratio_weighs_both_orders_alike(self):
        # Three rounds at 0.99 against one at 0.81: the plain median says 0.99, each order alone
        # 0.99 and 0.81, and the balanced ratio their geometric mean, sqrt(0.99 * 0.81).
        self.assertAlmostEqual(stats.balanced_ratio([0.81], [0.99, 0.99, 0.99]), 0.8954886934, places=9)

    def test_summary_adds_the_balanced_ratio_after_the_plain_one(self):
        summaries = stats.summarize(table(ORDERED), [("rate", "ratio")], "none", balance="before")
        self.assertEqual(summaries[:2], [
            ("rate", "ratio", "none", 4, 1.0, 1.0, 1.0, 1.0, 1.0),
            ("rate", "ratio", "agent", 4, 0.99, 0.81, 0.99, 0.81, 0.99),
        ])
        metric, stat, config, n, mid, low, high, lo, hi = summaries[2]
        self.assertEqual((metric, stat, config, n, lo, hi), ("rate", "ratio_balanced", "agent", 4, 0.81, 0.99))
        self.assertAlmostEqual(mid, 0.8954886934, places=9)
        # Each group's resamples are all alike, so the interval is the point itself.
        self.assertAlmostEqual(low, 0.8954886934, places=9)
        self.assertAlmostEqual(high, 0.8954886934, places=9)

    def test_no_balanced_ratio_when_one_order_has_no_rounds(self):
        always_after = ORDERED.replace("\t1\n", "\t0\n")
        summaries = stats.summarize(table(always_after), [("rate", "ratio")], "none", balance="before")
        self.assertEqual([s[1] for s in summaries], ["ratio", "ratio"])


if __name__ == "__main__":
    unittest.main()
