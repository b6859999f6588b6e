package io.headcount.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What a scrape of the agent's registry shows for what the worker counted. */
class HeadcountMetricsTest {
    private final HeadcountMetrics metrics = new HeadcountMetrics();

    @Test
    void oneRequestCountsInEachRequestSeriesAndTheHistogram() throws IOException {
        metrics.request("/api/users/{id}", "GET", "2xx", "browser", "chrome", "windows", "desktop", "direct", 0.02);
        metrics.request("/api/users/{id}", "GET", "2xx", "browser", "chrome", "windows", "desktop", "direct", 0.3);
        metrics.request("not_found", "POST", "4xx", "script", "other", "other", "other", "internal", 0.001);
        String users = "endpoint=\"/api/users/{id}\",method=\"GET\",status_class=\"2xx\"";
        assertEquals(List.of(
                "headcount_request_duration_seconds_bucket{" + users + ",le=\"+Inf\"} 2",
                "headcount_request_duration_seconds_bucket{" + users + ",le=\"0.025\"} 1",
                "headcount_request_duration_seconds_count{" + users + "} 2",
                "headcount_request_duration_seconds_count{endpoint=\"not_found\",method=\"POST\",status_class=\"4xx\"} 1",
                // The request signals are counted by requestSignals, not request.
                "headcount_requests_by_auth_total{auth=\"anonymous\"} 0.0",
                "headcount_requests_by_auth_total{auth=\"authenticated\"} 0.0",
                "headcount_requests_by_client_total{browser=\"chrome\",client=\"browser\",device=\"desktop\",os=\"windows\"} 2.0",
                "headcount_requests_by_client_total{browser=\"other\",client=\"script\",device=\"other\",os=\"other\"} 1.0",
                "headcount_requests_by_referrer_total{referrer=\"direct\"} 2.0",
                "headcount_requests_by_referrer_total{referrer=\"internal\"} 1.0",
                "headcount_requests_excluded_total{reason=\"address\"} 0.0",
                "headcount_requests_excluded_total{reason=\"path\"} 0.0",
                "headcount_requests_excluded_total{reason=\"user_agent\"} 0.0",
                "headcount_requests_opted_out_total 0.0",
                "headcount_requests_total{client=\"browser\"," + users + "} 2.0",
                "headcount_requests_total{client=\"script\",endpoint=\"not_found\",method=\"POST\",status_class=\"4xx\"} 1.0"),
                lines("headcount_request_duration_seconds_bucket{" + users + ",le=\"+Inf\"}",
                        "headcount_request_duration_seconds_bucket{" + users + ",le=\"0.025\"}",
                        "headcount_request_duration_seconds_count", "headcount_requests_"));
    }

    @Test
    void optedOutAndSignedInAreCountedFromTheStart() throws IOException {
        List<String> before = List.of("headcount_requests_by_auth_total{auth=\"anonymous\"} 0.0",
                "headcount_requests_by_auth_total{auth=\"authenticated\"} 0.0", "headcount_requests_opted_out_total 0.0");
        assertEquals(before, lines("headcount_requests_by_auth", "headcount_requests_opted_out"));
        metrics.requestSignals(true, false);
        metrics.requestSignals(false, true);
        metrics.requestSignals(false, false);
        assertEquals(List.of("headcount_requests_by_auth_total{auth=\"anonymous\"} 2.0",
                "headcount_requests_by_auth_total{auth=\"authenticated\"} 1.0", "headcount_requests_opted_out_total 1.0"),
                lines("headcount_requests_by_auth", "headcount_requests_opted_out"));
    }

    @Test
    void clientKindsKeptByTheCallerCountInTheSameSeriesAfterItsCacheStartedAgain() throws IOException {
        HeadcountMetrics.ClientKinds kept = metrics.clientKinds("browser", "chrome", "windows", "desktop");
        metrics.request("/a", "GET", "2xx", kept, "direct", 0.02);
        // 5,000 other combinations: past 4,096 the cache of client kinds starts again.
        for (int i = 0; i < 5_000; i++) {
            metrics.request("/a", "GET", "2xx", "browser", "b" + i, "windows", "desktop", "direct", 0.02);
        }
        metrics.request("/a", "GET", "2xx", kept, "direct", 0.02);
        metrics.request("/a", "GET", "2xx", "browser", "chrome", "windows", "desktop", "direct", 0.02);
        metrics.request("/a", "GET", "2xx", metrics.clientKinds("bot", "bot", "unknown", "bot"), "internal", 0.02);
        assertEquals(List.of(
                "headcount_requests_by_client_total{browser=\"bot\",client=\"bot\",device=\"bot\",os=\"unknown\"} 1.0",
                "headcount_requests_by_client_total{browser=\"chrome\",client=\"browser\",device=\"desktop\",os=\"windows\"} 3.0",
                "headcount_requests_total{client=\"bot\",endpoint=\"/a\",method=\"GET\",status_class=\"2xx\"} 1.0",
                "headcount_requests_total{client=\"browser\",endpoint=\"/a\",method=\"GET\",status_class=\"2xx\"} 5003.0"),
                lines("headcount_requests_by_client_total{browser=\"chrome\"",
                        "headcount_requests_by_client_total{browser=\"bot\"", "headcount_requests_total"));
    }

    @Test
    void moreLabelCombinationsThanTheSeriesCachesHoldAreEachCountedExactly() throws IOException {
        // 5,000 endpoints and 5,000 referrers, twice over: past 4,096 each cache starts again, and
        // equal labels given as different instances find the same series.
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 5_000; i++) {
                metrics.request(new String("/e" + i), "GET", "2xx", "browser", "chrome", "windows", "desktop",
                        new String("r" + i + ".example"), 0.02);
            }
        }
        metrics.request("/e7", "GET", "2xx", "bot", "bot", "unknown", "bot", "r7.example", 0.02);
        assertEquals(List.of(
                "headcount_requests_by_client_total{browser=\"bot\",client=\"bot\",device=\"bot\",os=\"unknown\"} 1.0",
                "headcount_requests_by_client_total{browser=\"chrome\",client=\"browser\",device=\"desktop\",os=\"windows\"} 10000.0",
                "headcount_requests_by_referrer_total{referrer=\"r4999.example\"} 2.0",
                "headcount_requests_by_referrer_total{referrer=\"r7.example\"} 3.0",
                "headcount_requests_total{client=\"bot\",endpoint=\"/e7\",method=\"GET\",status_class=\"2xx\"} 1.0",
                "headcount_requests_total{client=\"browser\",endpoint=\"/e4999\",method=\"GET\",status_class=\"2xx\"} 2.0",
                "headcount_requests_total{client=\"browser\",endpoint=\"/e7\",method=\"GET\",status_class=\"2xx\"} 2.0"),
                lines("headcount_requests_by_client_total", "headcount_requests_by_referrer_total{referrer=\"r4999.",
                        "headcount_requests_by_referrer_total{referrer=\"r7.", "headcount_requests_total{client=\"bot\"",
                        "headcount_requests_total{client=\"browser\",endpoint=\"/e4999\"",
                        "headcount_requests_total{client=\"browser\",endpoint=\"/e7\""));
        assertEquals(List.of("headcount_request_duration_seconds_count{endpoint=\"/e7\",method=\"GET\",status_class=\"2xx\"} 3"),
                lines("headcount_request_duration_seconds_count{endpoint=\"/e7\""));
    }

    @Test
    void healthSeriesAreReadAtEachScrape() throws IOException {
        AtomicLong dropped = new AtomicLong(3);
        metrics.healthCounter("headcount_events_dropped", "Dropped.", dropped::get);
        metrics.healthGauge("headcount_redis_up", "Up.", () -> dropped.get() > 3);
        metrics.labelCapsReached(() -> true, () -> false);
        metrics.buildInfo("1.2.3", "abc");
        assertEquals(List.of("headcount_build_info{revision=\"abc\",version=\"1.2.3\"} 1.0",
                "headcount_events_dropped_total 3.0", "headcount_label_cap_reached{label=\"endpoint\"} 1.0",
                "headcount_label_cap_reached{label=\"referrer\"} 0.0", "headcount_redis_up 0.0",
                "headcount_visitors_inexact_total 0.0"), lines("headcount_build", "headcount_events", "headcount_label",
                "headcount_redis", "headcount_visitors"));
        dropped.set(4);
        assertEquals(List.of("headcount_events_dropped_total 4.0", "headcount_redis_up 1.0"),
                lines("headcount_events", "headcount_redis"));
    }

    /** The sample lines of the Prometheus text format that start with one of the prefixes, sorted. */
    private List<String> lines(String... prefixes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape());
        List<String> kept = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            for (String prefix : prefixes) {
                if (line.startsWith(prefix)) {
                    kept.add(line);
                    break;
                }
            }
        }
        kept.sort(null);
        return kept;
    }
}
