package io.headcount.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.headcount.it.harness.AppProcess;
import io.headcount.it.harness.FreePorts;
import io.headcount.it.harness.Http;
import io.headcount.it.harness.MetricsEndpoint;
import io.headcount.it.harness.PrometheusText;
import io.headcount.it.harness.UserAgents;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, items 1 and 3, with the packaged agent in the test app: a named client with its
 * versions, an automated one, and the requests the exclusions leave out (by address, and by the
 * User-Agent of health checkers and scrapers); scrapes of the agent's own endpoint are never counted.
 */
class NamedClientsAndExclusionsIT {
    private static final String CLIENTS = "kci-dev:^kci-dev/(\\S+);deployer+automated:^deployer/(\\d+\\.\\d+)";

    @Test
    void namedClientsCountUnderTheirNameAndVersionAndExcludedRequestsNowhere() {
        int metricsPort = FreePorts.pick();
        try (AppProcess app = AppProcess.named("named-clients").agent("port=" + metricsPort + ",exclude.ips=198.51.100.0/24")
                .jvmArg("-Dheadcount.clients=" + CLIENTS).appArgs("--http-server-port", "0").start()) {
            Http http = new Http();
            MetricsEndpoint metrics = new MetricsEndpoint(metricsPort);
            // Counted: 6 kci-dev requests from 3 (address, User-Agent) pairs, 2 automated, 1 curl.
            for (int i = 0; i < 3; i++) {
                get(http, app, "kci-dev/0.1.7 (Linux x86_64)", "203.0.113.1");
            }
            get(http, app, "kci-dev/0.2.0 (Linux x86_64)", "203.0.113.2");
            get(http, app, "kci-dev/0.2.0 (Linux x86_64)", "203.0.113.2");
            get(http, app, "kci-dev/latest", "203.0.113.1");
            get(http, app, "deployer/1.4", "203.0.113.3");
            get(http, app, "deployer/1.4", "203.0.113.4");
            // Not counted: a monitoring network, two health checkers, a scraper, the agent's own endpoint.
            get(http, app, UserAgents.CURL, "198.51.100.7");
            get(http, app, "kube-probe/1.29", "203.0.113.5");
            get(http, app, "ELB-HealthChecker/2.0", "203.0.113.5");
            get(http, app, "Prometheus/2.48.0", "203.0.113.6");
            // The endpoint opens once the agent has seen the first request, a moment after it.
            metrics.scrapeUntil(text -> true);
            assertEquals(200, http.get(metrics.url().replace("/metrics", "/")).userAgent(UserAgents.CHROME_WINDOWS).status());
            // Last, so that a scrape that holds it holds everything before it (one worker, in order).
            get(http, app, UserAgents.CURL, "203.0.113.9");
            PrometheusText scrape = scrape(app, metrics, 9);

            assertEquals(Map.of("{client=\"deployer\"}", 2.0, "{client=\"kci-dev\"}", 6.0, "{client=\"script\"}", 1.0),
                    scrape.sumBy("headcount_requests_total", "client"), app.output());
            assertEquals(Map.of(
                    "{client=\"deployer\",version=\"1.4\"}", 2.0,
                    "{client=\"kci-dev\",version=\"0.1.7\"}", 3.0,
                    "{client=\"kci-dev\",version=\"0.2.0\"}", 2.0,
                    "{client=\"kci-dev\",version=\"other\"}", 1.0),
                    scrape.nonZeroSeries("headcount_client_requests_by_version_total"));
            assertEquals(Map.of("{client=\"kci-dev\"}", 3.0, "{client=\"script\"}", 1.0),
                    scrape.nonZeroSeries("headcount_unique_visitors_total"));
            assertEquals(Map.of("{browser=\"unknown\",client=\"kci-dev\",device=\"desktop\",os=\"Linux\"}", 5.0,
                    "{browser=\"unknown\",client=\"kci-dev\",device=\"unknown\",os=\"unknown\"}", 1.0),
                    nonZeroWithClient(scrape, "kci-dev"));
            // Left out, and only counted by why: the monitoring network, then three User-Agents.
            assertEquals(Map.of("{reason=\"address\"}", 1.0, "{reason=\"user_agent\"}", 3.0),
                    scrape.nonZeroSeries("headcount_requests_excluded_total"));
        }
    }

    @Test
    void theDefaultUserAgentExclusionsCanBeTurnedOff() {
        int metricsPort = FreePorts.pick();
        try (AppProcess app = AppProcess.named("exclusions-off")
                .agent("port=" + metricsPort + ",exclude.user-agents=")
                .appArgs("--http-server-port", "0").start()) {
            Http http = new Http();
            get(http, app, "kube-probe/1.29", "203.0.113.5");
            get(http, app, "Prometheus/2.48.0", "203.0.113.6");
            PrometheusText scrape = scrape(app, new MetricsEndpoint(metricsPort), 2);
            assertEquals(Map.of("{client=\"bot\"}", 2.0), scrape.sumBy("headcount_requests_total", "client"),
                    app.output());
        }
    }

    private static void get(Http http, AppProcess app, String userAgent, String client) {
        // The test plays a proxy on loopback, which the default trusted-proxies believes.
        assertEquals(200, http.get(app.url("/api/users")).userAgent(userAgent).forwardedFor(client).status());
    }

    private static Map<String, Double> nonZeroWithClient(PrometheusText scrape, String client) {
        Map<String, Double> out = new java.util.TreeMap<>();
        scrape.nonZeroSeries("headcount_requests_by_client_total").forEach((labels, value) -> {
            if (labels.contains("client=\"" + client + "\"")) {
                out.put(labels, value);
            }
        });
        return out;
    }

    private static PrometheusText scrape(AppProcess app, MetricsEndpoint metrics, int requests) {
        try {
            return metrics.scrapeUntil(s -> s.sum("headcount_requests_total") >= requests);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + app.output(), e);
        }
    }
}
