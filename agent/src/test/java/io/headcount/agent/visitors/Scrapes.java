package io.headcount.agent.visitors;

import io.headcount.agent.metrics.HeadcountMetrics;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.Map;
import java.util.TreeMap;

/** Counter values as a scrape of an instance's registry reads them. */
final class Scrapes {
    private Scrapes() {
    }

    /** One series' value, 0 when it does not exist (yet). */
    static double counter(HeadcountMetrics metrics, String metric, String... labels) {
        Labels wanted = Labels.of(labels);
        double[] value = new double[1];
        forEach(metrics, metric, point -> {
            if (point.getLabels().equals(wanted)) {
                value[0] = point.getValue();
            }
        });
        return value[0];
    }

    /** Every series of the counter, keyed by the values of {@code labelNames} joined by spaces. */
    static Map<String, Double> series(HeadcountMetrics metrics, String metric, String... labelNames) {
        Map<String, Double> series = new TreeMap<>();
        forEach(metrics, metric, point -> {
            StringBuilder key = new StringBuilder();
            for (String name : labelNames) {
                key.append(key.length() == 0 ? "" : " ").append(point.getLabels().get(name));
            }
            series.put(key.toString(), point.getValue());
        });
        return series;
    }

    /** The sum over every series of the counter. */
    static double sum(HeadcountMetrics metrics, String metric) {
        double[] sum = new double[1];
        forEach(metrics, metric, point -> sum[0] += point.getValue());
        return sum[0];
    }

    /** An ended day's visitors by "client band". */
    static Map<String, Double> bands(HeadcountMetrics metrics) {
        return series(metrics, "headcount_visitors_by_request_count", "client", "band");
    }

    private static void forEach(HeadcountMetrics metrics, String metric,
                                java.util.function.Consumer<CounterSnapshot.CounterDataPointSnapshot> consumer) {
        for (MetricSnapshot snapshot : metrics.registry().scrape()) {
            if (snapshot.getMetadata().getPrometheusName().equals(metric)) {
                ((CounterSnapshot) snapshot).getDataPoints().forEach(consumer);
            }
        }
    }
}
