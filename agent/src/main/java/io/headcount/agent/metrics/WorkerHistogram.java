package io.headcount.agent.metrics;

import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A classic histogram of the requests that only the worker observes into (see {@link WorkerMetric}).
 * A scrape must see a series whole (its count, the sum of its buckets, with the sum of its values),
 * so each series has a version that the worker makes odd while it writes and even again after, and
 * a scrape copies the series until it has read the same even version before and after.
 */
final class WorkerHistogram extends WorkerMetric<WorkerHistogram.Series> {
    /** The classic upper bounds, {@code +Inf} last, as client_java's histogram keeps them. */
    private final double[] upperBounds;

    /**
     * @param template the client_java histogram this one stands for (its name and help), given its
     *     classic upper bounds and labels here
     */
    WorkerHistogram(Histogram.Builder template, double[] upperBounds, String... labelNames) {
        super(template.classicOnly().classicUpperBounds(upperBounds).labelNames(labelNames).build(), labelNames);
        double[] bounds = Arrays.copyOf(upperBounds, upperBounds.length + 1);
        bounds[upperBounds.length] = Double.POSITIVE_INFINITY;
        this.upperBounds = bounds;
    }

    /** One series: a count per bucket (not cumulative) and the sum, behind a version. */
    static final class Series extends WorkerMetric.Series {
        private static final VarHandle VERSION = longField(Series.class, "version");
        private static final int SPINS_BEFORE_YIELD = 64;

        private final double[] upperBounds;
        private final long[] counts;
        private double sum;
        /** Odd while the worker writes. */
        long version;

        Series(Labels labels, double[] upperBounds) {
            super(labels);
            this.upperBounds = upperBounds;
            this.counts = new long[upperBounds.length];
        }

        /** As client_java observes: into the first bucket whose bound is at least the value; NaN ignored. Worker thread only. */
        void observe(double value) {
            if (Double.isNaN(value)) {
                return;
            }
            int bucket = 0;
            while (value > upperBounds[bucket]) {
                bucket++;
            }
            long before = version;
            VERSION.setOpaque(this, before + 1);
            // The writes below must not be seen before the odd version: a scrape would take them as whole.
            VarHandle.storeStoreFence();
            counts[bucket]++;
            sum += value;
            VERSION.setRelease(this, before + 2);
        }

        /**
         * A whole copy of the series. Any thread; waits only while the worker is inside one
         * {@link #observe}, yielding the processor now and then in case the worker was descheduled
         * there and waits for it.
         */
        HistogramDataPointSnapshot snapshot() {
            long[] copy = new long[counts.length];
            for (int attempt = 1; ; attempt++) {
                long before = (long) VERSION.getAcquire(this);
                if ((before & 1) == 0) {
                    System.arraycopy(counts, 0, copy, 0, copy.length);
                    double total = sum;
                    VarHandle.loadLoadFence();
                    if ((long) VERSION.getOpaque(this) == before) {
                        return new HistogramDataPointSnapshot(ClassicHistogramBuckets.of(upperBounds, copy), total,
                                labels, Exemplars.EMPTY, createdMillis);
                    }
                }
                if (attempt % SPINS_BEFORE_YIELD == 0) {
                    Thread.yield();
                } else {
                    Thread.onSpinWait();
                }
            }
        }
    }

    @Override
    Series newSeries(Labels labels) {
        return new Series(labels, upperBounds);
    }

    @Override
    MetricSnapshot snapshot(MetricMetadata metadata, List<Series> all) {
        List<HistogramDataPointSnapshot> points = new ArrayList<>(all.size());
        for (Series series : all) {
            points.add(series.snapshot());
        }
        return new HistogramSnapshot(metadata, points);
    }
}
