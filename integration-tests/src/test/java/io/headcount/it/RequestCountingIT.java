package io.headcount.it;

import static io.headcount.it.harness.PrometheusText.labels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.it.harness.AppProcess;
import io.headcount.it.harness.FreePorts;
import io.headcount.it.harness.Http;
import io.headcount.it.harness.MetricsEndpoint;
import io.headcount.it.harness.PrometheusText;
import io.headcount.it.harness.UserAgents;
import io.headcount.it.harness.Visit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent on the test app with default settings: a fixed mix of browsers, a crawler and scripts
 * visits, then one scrape is checked series by series against the counts worked out by hand below.
 * Each client sends its real address in {@code X-Forwarded-For}, which the agent believes because the
 * direct peer is loopback (trusted by default).
 */
class RequestCountingIT {
    private static final String GOOGLE_SEARCH = "https://www.google.com/search?q=headcount";
    private static final String GOOGLE_HOME = "https://www.google.com/";
    private static final String HACKER_NEWS = "https://news.ycombinator.com/item?id=42424242";
    private static final String INTERNAL = Visit.INTERNAL;
    private static final String ORDER = "/api/orders/3f1c2a4e-7b5d-4e8f-9a0b-1c2d3e4f5a6b";

    private static final List<Visit> TRAFFIC = List.of(
            // Seven people (three of them in the same Chrome, from different addresses) ...
            new Visit(UserAgents.CHROME_WINDOWS, "203.0.113.10", GOOGLE_SEARCH,
                    "GET /index.html", "GET /api/users", "GET /api/users/42", "GET /api/users/43?tab=orders"),
            new Visit(UserAgents.SAFARI_IPHONE, "203.0.113.11", HACKER_NEWS,
                    "GET /index.html", "GET " + ORDER, "GET /shop/products/7"),
            new Visit(UserAgents.FIREFOX_LINUX, "203.0.113.12", INTERNAL,
                    "GET /api/users/7", "POST /api/orders", "GET /api/forward"),
            new Visit(UserAgents.EDGE_WINDOWS, "203.0.113.13", null,
                    "GET /api/include", "GET /api/boom"),
            new Visit(UserAgents.SAMSUNG_ANDROID, "203.0.113.14", GOOGLE_HOME,
                    "GET /shop/products/3", "GET /api/users/0"),
            new Visit(UserAgents.CHROME_WINDOWS, "203.0.113.15", null,
                    "GET /api/users"),
            new Visit(UserAgents.CHROME_WINDOWS, "203.0.113.16", null,
                    "GET /api/users", "GET /health"),
            // ... a crawler ...
            new Visit(UserAgents.GOOGLEBOT, "66.249.66.1", null,
                    "GET /index.html", "GET /robots.txt", "GET /api/users/1"),
            // ... and two scripts; BREW is no HTTP method, and the servlet answers 501.
            new Visit(UserAgents.CURL, "198.51.100.7", null,
                    "GET /health", "GET /api/users", "BREW /api/users"),
            new Visit(UserAgents.PYTHON_REQUESTS, "198.51.100.8", null,
                    "GET /api/orders/not-an-order", "GET /wp-login.php"));

    /** Every request above except the two to /health, which the default exclude.paths leaves out. */
    private static final int COUNTED_REQUESTS = 23;
    private static final int UNIQUE_VISITORS = 9;
    private static final int VISITS_BY_ENDPOINT = 17;

    private static AppProcess app;
    private static PrometheusText scrape;
    private static final List<String> unexpectedStatuses = new ArrayList<>();

    @BeforeAll
    static void sendTrafficAndScrape() {
        int metricsPort = FreePorts.pick();
        app = AppProcess.named("request-counting")
                .agent("port=" + metricsPort)
                .appArgs("--http-server-port", "0")
                .start();
        Visit.sendAll(TRAFFIC, app, (request, status) -> {
            String[] methodAndPath = request.split(" ", 2);
            if (status != expectedStatus(methodAndPath[1], methodAndPath[0])) {
                unexpectedStatuses.add(request + " answered " + status);
            }
        });
        MetricsEndpoint metrics = new MetricsEndpoint(metricsPort);
        try {
            scrape = metrics.scrapeUntil(RequestCountingIT::allRequestsCounted);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + app.output(), e);
        }
    }

    /** True once every counter has at least what the traffic adds; exact values are checked after. */
    private static boolean allRequestsCounted(PrometheusText s) {
        return s.sum("headcount_requests_total") >= COUNTED_REQUESTS
                && s.sum("headcount_requests_by_client_total") >= COUNTED_REQUESTS
                && s.sum("headcount_requests_by_referrer_total") >= COUNTED_REQUESTS
                && s.sum("headcount_request_duration_seconds_count") >= COUNTED_REQUESTS
                && s.sum("headcount_unique_visitors_total") >= UNIQUE_VISITORS
                && s.sum("headcount_unique_visitors_by_endpoint_total") >= VISITS_BY_ENDPOINT;
    }

    @AfterAll
    static void stopApp() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void theAppAnsweredEveryRequestAsItDoesWithoutTheAgent() {
        assertEquals(List.of(), unexpectedStatuses);
    }

    @Test
    void requestsAreCountedByEndpointMethodStatusClassAndClient() {
        assertSeries(Map.ofEntries(
                        Map.entry(request("/index.html", "GET", "2xx", "browser"), 2.0),
                        Map.entry(request("/api/users", "GET", "2xx", "browser"), 3.0),
                        Map.entry(request("/api/users/{id}", "GET", "2xx", "browser"), 3.0),
                        Map.entry(request("/api/orders/{id}", "GET", "2xx", "browser"), 1.0),
                        Map.entry(request("/api/orders", "POST", "2xx", "browser"), 1.0),
                        Map.entry(request("/shop/products/{id}", "GET", "2xx", "browser"), 2.0),
                        Map.entry(request("/api/forward", "GET", "2xx", "browser"), 1.0),
                        Map.entry(request("/api/include", "GET", "2xx", "browser"), 1.0),
                        Map.entry(request("/api/boom", "GET", "5xx", "browser"), 1.0),
                        Map.entry(request("not_found", "GET", "4xx", "browser"), 1.0),
                        Map.entry(request("/index.html", "GET", "2xx", "bot"), 1.0),
                        Map.entry(request("/api/users/{id}", "GET", "2xx", "bot"), 1.0),
                        Map.entry(request("not_found", "GET", "4xx", "bot"), 1.0),
                        Map.entry(request("/api/users", "GET", "2xx", "script"), 1.0),
                        Map.entry(request("/api/users", "OTHER", "5xx", "script"), 1.0),
                        Map.entry(request("not_found", "GET", "4xx", "script"), 2.0)),
                "headcount_requests_total");
    }

    @Test
    void forwardAndIncludeCountOnceUnderTheEndpointTheClientAskedFor() {
        assertEquals(1.0, scrape.valueOrZero("headcount_requests_total",
                "endpoint", "/api/forward", "method", "GET", "status_class", "2xx", "client", "browser"));
        assertEquals(1.0, scrape.valueOrZero("headcount_requests_total",
                "endpoint", "/api/include", "method", "GET", "status_class", "2xx", "client", "browser"));
        // Three browsers asked for /api/users themselves; the forward and the include add nothing.
        assertEquals(3.0, scrape.valueOrZero("headcount_requests_total",
                "endpoint", "/api/users", "method", "GET", "status_class", "2xx", "client", "browser"));
    }

    @Test
    void excludedHealthChecksAreNotCountedAnywhere() {
        for (String name : scrape.names()) {
            for (String series : scrape.series(name).keySet()) {
                assertTrue(!series.contains("/health"), name + series + " counts an excluded path");
            }
        }
    }

    @Test
    void requestsAreCountedByBrowserOsAndDevice() {
        assertSeries(Map.of(
                        client("browser", "Chrome", "Windows", "desktop"), 6.0,
                        client("browser", "Safari", "iOS", "mobile"), 3.0,
                        client("browser", "Firefox", "Linux", "desktop"), 3.0,
                        client("browser", "Edge", "Windows", "desktop"), 2.0,
                        client("browser", "Samsung Internet", "Android", "mobile"), 2.0,
                        client("bot", "bot", "unknown", "bot"), 3.0,
                        client("script", "curl", "unknown", "script"), 2.0,
                        client("script", "python-requests", "unknown", "script"), 2.0),
                "headcount_requests_by_client_total");
    }

    @Test
    void referrersAreReducedToDirectInternalOrTheExternalHost() {
        assertSeries(Map.of(
                        labels("referrer", "google.com"), 6.0,
                        labels("referrer", "news.ycombinator.com"), 3.0,
                        labels("referrer", "internal"), 3.0,
                        labels("referrer", "direct"), 11.0),
                "headcount_requests_by_referrer_total");
    }

    @Test
    void everyCountedRequestIsTimedUnderItsEndpointMethodAndStatusClass() {
        Map<String, Double> expected = scrape.sumBy("headcount_requests_total", "endpoint", "method", "status_class");
        assertEquals((double) COUNTED_REQUESTS, expected.values().stream().mapToDouble(Double::doubleValue).sum());
        assertSeries(expected, "headcount_request_duration_seconds_count");
    }

    @Test
    void durationBucketsAreTheOpenTelemetryHttpServerDefaults() {
        Set<Double> bounds = new TreeSet<>();
        Map<String, Double> countByBound = scrape.sumBy("headcount_request_duration_seconds_bucket", "le");
        for (String bound : scrape.labelValues("headcount_request_duration_seconds_bucket", "le")) {
            bounds.add(bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound));
        }
        assertEquals(new TreeSet<>(List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0,
                7.5, 10.0, Double.POSITIVE_INFINITY)), bounds);
        assertEquals((double) COUNTED_REQUESTS, countByBound.getOrDefault(labels("le", "+Inf"), 0.0).doubleValue());
    }

    @Test
    void visitorsAreDistinctAddressAndUserAgentPairsAndBotsAreNone() {
        // Seven people in browsers (the same Chrome from three addresses is three), curl and
        // python-requests; the crawler made three requests and is no visitor.
        assertSeries(Map.of(
                        labels("client", "browser"), 7.0,
                        labels("client", "script"), 2.0),
                "headcount_unique_visitors_total");
        assertEquals(0.0, scrape.valueOrZero("headcount_unique_visitors_total", "client", "bot"));
    }

    @Test
    void visitorsAreCountedOncePerEndpoint() {
        assertSeries(Map.ofEntries(
                        Map.entry(visitors("/index.html", "browser"), 2.0),
                        Map.entry(visitors("/api/users", "browser"), 3.0),
                        Map.entry(visitors("/api/users/{id}", "browser"), 2.0),
                        Map.entry(visitors("/api/orders/{id}", "browser"), 1.0),
                        Map.entry(visitors("/api/orders", "browser"), 1.0),
                        Map.entry(visitors("/shop/products/{id}", "browser"), 2.0),
                        Map.entry(visitors("/api/forward", "browser"), 1.0),
                        Map.entry(visitors("/api/include", "browser"), 1.0),
                        Map.entry(visitors("/api/boom", "browser"), 1.0),
                        Map.entry(visitors("not_found", "browser"), 1.0),
                        Map.entry(visitors("/api/users", "script"), 1.0),
                        Map.entry(visitors("not_found", "script"), 1.0)),
                "headcount_unique_visitors_by_endpoint_total");
    }

    @Test
    void agentLeavesTheJdkHttpServerSettingsOfTheAppAlone() {
        Http http = new Http();
        assertEquals("{\"sun.net.httpserver.maxReqTime\":null,\"sun.net.httpserver.maxRspTime\":null}",
                http.get(app.url("/api/sysprops")).send().body());
        assertEquals("pong", http.get("http://127.0.0.1:" + app.pingPort() + "/ping").send().body());
    }

    /** What the test app answers without any agent; the agent must change none of it. */
    private static int expectedStatus(String path, String method) {
        if (method.equals("BREW")) {
            return 501;
        }
        if (method.equals("POST")) {
            return 201;
        }
        if (path.equals("/api/boom")) {
            return 500;
        }
        if (path.equals("/api/users/0") || path.equals("/robots.txt") || path.equals("/wp-login.php")
                || path.equals("/api/orders/not-an-order")) {
            return 404;
        }
        return 200;
    }

    /**
     * Compares the counted (non-zero) series of {@code name} with {@code expected}; a series that
     * exists at 0 (pre-registered, say) is as good as absent.
     */
    private static void assertSeries(Map<String, Double> expected, String name) {
        assertEquals(format(new TreeMap<>(expected)), format(scrape.nonZeroSeries(name)), name);
    }

    private static String format(Map<String, Double> series) {
        StringBuilder out = new StringBuilder();
        series.forEach((labels, value) -> out.append(labels).append(' ').append(value).append('\n'));
        return out.toString();
    }

    private static String request(String endpoint, String method, String statusClass, String client) {
        return labels("endpoint", endpoint, "method", method, "status_class", statusClass, "client", client);
    }

    private static String client(String client, String browser, String os, String device) {
        return labels("client", client, "browser", browser, "os", os, "device", device);
    }

    private static String visitors(String endpoint, String client) {
        return labels("endpoint", endpoint, "client", client);
    }
}
