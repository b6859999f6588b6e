package io.headcount.agent.metrics;

import io.prometheus.metrics.core.metrics.MetricWithFixedMetadata;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A metric of the requests, whose series only the worker thread writes. client_java's own metrics
 * may be written by any thread: each count is a {@code LongAdder}'s atomic add, and each histogram
 * observation four more atomic operations and an allocation, about 85 ns of the worker's time per
 * event on a 2-vCPU VM. A series here is plain fields that the worker alone writes and publishes
 * with ordered stores, which a scrape on another thread reads. The name, help, type and labels are
 * those of the client_java metric it stands for, built and never registered, so that a scrape shows
 * the same lines as with it.
 *
 * @param <S> one series
 */
abstract class WorkerMetric<S extends WorkerMetric.Series> implements Collector {
    private final MetricWithFixedMetadata template;
    private final String[] labelNames;
    /** Added to by the worker only; a scrape iterates it. Series are never removed, as in client_java. */
    private final ConcurrentHashMap<List<String>, S> series = new ConcurrentHashMap<>();

    WorkerMetric(MetricWithFixedMetadata template, String... labelNames) {
        this.template = template;
        this.labelNames = labelNames.clone();
    }

    /** One series: its labels and when it was made, the rest is the subclass's. */
    abstract static class Series {
        final Labels labels;
        final long createdMillis = System.currentTimeMillis();

        Series(Labels labels) {
            this.labels = labels;
        }
    }

    /** The handle of a series' {@code long} field, which must not be private: a series class's static initializer asks. */
    static VarHandle longField(Class<? extends Series> series, String name) {
        try {
            return MethodHandles.lookup().findVarHandle(series, name, long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    abstract S newSeries(Labels labels);

    /** The snapshot of these series, read from another thread than the one that writes them. */
    abstract MetricSnapshot snapshot(MetricMetadata metadata, List<S> all);

    /** The series of these label values, made at its first use. Worker thread only. */
    final S labelValues(String... values) {
        if (values.length != labelNames.length) {
            throw new IllegalArgumentException(getPrometheusName() + " has " + labelNames.length + " labels, not "
                    + values.length);
        }
        S found = series.get(Arrays.asList(values));
        if (found == null) {
            // Copies of the caller's array, which it may reuse.
            String[] own = values.clone();
            found = newSeries(Labels.of(labelNames, own.clone()));
            series.put(Arrays.asList(own), found);
        }
        return found;
    }

    @Override
    public final MetricSnapshot collect() {
        return snapshot(template.getMetadata(), new ArrayList<>(series.values()));
    }

    @Override
    public final String getPrometheusName() {
        return template.getPrometheusName();
    }

    @Override
    public final MetricType getMetricType() {
        return template.getMetricType();
    }

    @Override
    public final Set<String> getLabelNames() {
        return template.getLabelNames();
    }

    @Override
    public final MetricMetadata getMetadata() {
        return template.getMetadata();
    }

    @Override
    public final MetricFamilyDescriptor getMetricFamilyDescriptor() {
        return template.getMetricFamilyDescriptor();
    }
}
