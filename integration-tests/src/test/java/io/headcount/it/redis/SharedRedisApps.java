package io.headcount.it.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.headcount.it.harness.AppProcess;
import io.headcount.it.harness.FreePorts;
import io.headcount.it.harness.MetricsEndpoint;
import io.headcount.it.harness.PrometheusText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Instances of the test app (child JVMs with the packaged agent) sharing one Redis deployment
 * (single server, Sentinel or Cluster), and the checks that their day's figures are exact.
 */
final class SharedRedisApps implements AutoCloseable {
    final List<AppProcess> apps = new ArrayList<>();
    final List<MetricsEndpoint> metrics = new ArrayList<>();

    /** Starts {@code count} instances with these agent settings (besides the metrics port) and waits until Redis is up on each. */
    SharedRedisApps(String name, int count, String settings) {
        for (int i = 0; i < count; i++) {
            int metricsPort = FreePorts.pick();
            apps.add(AppProcess.named(name + "-" + i).agent("port=" + metricsPort + "," + settings).launch());
            metrics.add(new MetricsEndpoint(metricsPort));
        }
        for (AppProcess app : apps) {
            app.awaitReady();
        }
        for (MetricsEndpoint endpoint : metrics) {
            endpoint.scrapeUntil(text -> text.valueOrZero("headcount_redis_up") == 1.0);
        }
    }

    AppProcess pick(VisitorTraffic traffic) {
        return apps.get(traffic.pick(apps.size()));
    }

    /**
     * Scrapes every instance until all {@code requests} are counted and none is pending (at most
     * {@code limitSeconds}), then once more after the gauges' one-second cache: those scrapes.
     */
    List<PrometheusText> settledScrapes(int requests, int limitSeconds) throws InterruptedException {
        return settledScrapes(metrics, requests, limitSeconds);
    }

    /** As {@link #settledScrapes(int, int)}, for any instances' endpoints. */
    static List<PrometheusText> settledScrapes(List<MetricsEndpoint> metrics, int requests, int limitSeconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + limitSeconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            double counted = 0;
            double pending = 0;
            for (MetricsEndpoint endpoint : metrics) {
                // A newly started instance serves its metrics a moment after its first requests.
                PrometheusText text = endpoint.scrapeUntil(any -> true);
                counted += text.sum("headcount_requests_total");
                pending += text.sum("headcount_visitors_pending");
            }
            if (counted == requests && pending == 0) {
                break;
            }
            Thread.sleep(250);
        }
        Thread.sleep(1100);
        List<PrometheusText> scrapes = new ArrayList<>();
        for (MetricsEndpoint endpoint : metrics) {
            scrapes.add(endpoint.scrapeUntil(any -> true));
        }
        return scrapes;
    }

    static double sum(List<PrometheusText> scrapes, String metric, String... labels) {
        double sum = 0;
        for (PrometheusText text : scrapes) {
            sum += labels.length == 0 ? text.sum(metric) : text.valueOrZero(metric, labels);
        }
        return sum;
    }

    /** The figures in one line: counters summed, the gauge on each instance, inexact, errors. */
    static String figures(List<PrometheusText> scrapes) {
        StringBuilder figures = new StringBuilder("counters summed " + sum(scrapes, "headcount_unique_visitors_total")
                + "; gauge per instance");
        for (PrometheusText text : scrapes) {
            figures.append(' ').append(text.valueOrZero("headcount_unique_visitors_today", "client", "browser"));
        }
        figures.append("; inexact ").append(sum(scrapes, "headcount_visitors_inexact_total"))
                .append("; redis errors ").append(sum(scrapes, "headcount_redis_errors_total"));
        return figures.toString();
    }

    /** The counters' sum over instances, and the gauges on every instance, equal the traffic's distinct visitors. */
    static void assertExact(String test, List<PrometheusText> scrapes, VisitorTraffic traffic) {
        int visitors = traffic.visitors().size();
        String figures = test + ": " + visitors + " distinct visitors; " + figures(scrapes);
        System.out.println(figures);
        assertEquals(visitors, sum(scrapes, "headcount_unique_visitors_total", "client", "browser"), figures);
        assertEquals(0, sum(scrapes, "headcount_visitors_inexact_total"), figures);
        for (Map.Entry<String, Set<Integer>> endpoint : traffic.visitorsByEndpoint().entrySet()) {
            assertEquals(endpoint.getValue().size(), sum(scrapes, "headcount_unique_visitors_by_endpoint_total",
                    "client", "browser", "endpoint", endpoint.getKey()), figures + " " + endpoint.getKey());
        }
        for (PrometheusText text : scrapes) {
            assertEquals(visitors, text.valueOrZero("headcount_unique_visitors_today", "client", "browser"), figures);
            for (Map.Entry<String, Set<Integer>> endpoint : traffic.visitorsByEndpoint().entrySet()) {
                assertEquals(endpoint.getValue().size(), text.valueOrZero("headcount_unique_visitors_today_by_endpoint",
                        "client", "browser", "endpoint", endpoint.getKey()), figures + " " + endpoint.getKey());
            }
            assertEquals(1.0, text.valueOrZero("headcount_redis_up"), figures);
            assertEquals(0.0, text.valueOrZero("headcount_events_dropped_total"), figures);
        }
    }

    /**
     * Seconds from {@code since} until the last instance logged a line with {@code text} (the
     * give-back after a failover: its new visitors are sent 5 s later); fails when one did not.
     */
    double secondsUntilLine(String text, java.time.Instant since) {
        double latest = 0;
        for (AppProcess app : apps) {
            String line = app.stderrLines().stream().filter(any -> any.contains(text))
                    .findFirst().orElseThrow(() -> new AssertionError("no failover give-back line:\n" + app.output()));
            java.time.Instant at = java.time.Instant.parse(line.substring(0, line.indexOf(' ')));
            latest = Math.max(latest, java.time.Duration.between(since, at).toMillis() / 1000.0);
        }
        return latest;
    }

    /** Waits until {@code done}, at most {@code seconds}, else fails naming {@code what}. */
    static void await(String what, int seconds, java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + seconds + " s: " + what);
            }
            Thread.sleep(200);
        }
    }

    @Override
    public void close() {
        for (AppProcess app : apps) {
            app.close();
        }
    }
}
