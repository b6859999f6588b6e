package io.headcount.agent.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/** A counter of the requests that only the worker adds to (see {@link WorkerMetric}). */
final class WorkerCounter extends WorkerMetric<WorkerCounter.Series> {
    /** @param template the client_java counter this one stands for (its name and help), given its labels here */
    WorkerCounter(Counter.Builder template, String... labelNames) {
        super(template.labelNames(labelNames).build(), labelNames);
    }

    /** One series: a count that the worker adds to with plain arithmetic and an opaque store. */
    static final class Series extends WorkerMetric.Series {
        private static final VarHandle COUNT = longField(Series.class, "count");

        /** Written by the worker alone; read by scrapes through {@link #COUNT}. */
        long count;

        Series(Labels labels) {
            super(labels);
        }

        /** One more. Worker thread only. */
        void inc() {
            COUNT.setOpaque(this, count + 1);
        }

        /** Any thread. */
        long get() {
            return (long) COUNT.getOpaque(this);
        }
    }

    @Override
    Series newSeries(Labels labels) {
        return new Series(labels);
    }

    @Override
    MetricSnapshot snapshot(MetricMetadata metadata, List<Series> all) {
        List<CounterDataPointSnapshot> points = new ArrayList<>(all.size());
        for (Series series : all) {
            // As client_java's counter makes its points, so that both read the same.
            points.add(CounterDataPointSnapshot.builder()
                    .value(series.get())
                    .labels(series.labels)
                    .createdTimestampMillis(series.createdMillis)
                    .metricName(metadata.getName())
                    .build());
        }
        return new CounterSnapshot(metadata, points);
    }
}
