package io.headcount.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A scrape that says nothing is pending holds every count the worker made before it said so: the
 * worker counts a visitor, then lowers pending, while a scrape reads the metrics one after another.
 * The registry reads them in an order that differs from one registry to the next, so each case is
 * tried on many fresh registries.
 */
class ScrapeConsistencyTest {
    private static final int REGISTRIES = 200;

    /**
     * The pending gauge's callback plays the worker at the worst moment: between the scrape's start
     * and its read of pending, Redis's reply arrives, the visitor is counted and pending drops to 0.
     */
    private static HeadcountMetrics countedWhilePendingIsRead() {
        HeadcountMetrics metrics = new HeadcountMetrics();
        metrics.stateGauge(HeadcountMetrics.VISITORS_PENDING, "help", () -> {
            metrics.uniqueVisitor("browser").inc();
            metrics.uniqueVisitorOnEndpoint("/api/users", "browser").inc();
            return 0;
        });
        return metrics;
    }

    @Test
    void aScrapeReadingPendingZeroHoldsTheCountsMadeBeforeIt() throws Exception {
        List<String> torn = new ArrayList<>();
        for (int i = 0; i < REGISTRIES; i++) {
            HeadcountMetrics metrics = countedWhilePendingIsRead();
            ScrapeRenderer renderer = new ScrapeRenderer(metrics.registry(), () -> { }, 1, 1);
            try (ScrapeRenderer.Scrape scrape = renderer.render(null, null, 1000, () -> false)) {
                assertNotNull(scrape);
                String body = new String(scrape.body, 0, scrape.length, StandardCharsets.UTF_8);
                assertEquals(1, lines(body, "headcount_visitors_pending 0.0"), body);
                if (lines(body, "headcount_unique_visitors_total{client=\"browser\"} 1.0") != 1
                        || lines(body, "headcount_unique_visitors_by_endpoint_total{client=\"browser\",endpoint=\"/api/users\"} 1.0") != 1) {
                    torn.add(body);
                }
            }
        }
        assertEquals(List.of(), torn);
    }

    @Test
    void theScrapeHoldsEveryMetricOnceAndInNameOrder() {
        HeadcountMetrics metrics = countedWhilePendingIsRead();
        metrics.uniqueVisitor("browser").inc();
        List<String> expected = new ArrayList<>();
        metrics.registry().scrape().forEach(snapshot -> expected.add(snapshot.getMetadata().getPrometheusName()));
        List<String> names = new ArrayList<>();
        HeadcountMetrics.scrape(metrics.registry()).forEach(snapshot -> names.add(snapshot.getMetadata().getPrometheusName()));
        assertEquals(expected, names);
    }

    private static long lines(String body, String line) {
        return body.lines().filter(line::equals).count();
    }
}
