package io.headcount.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.headcount.agent.bootstrap.RequestEvent;
import io.headcount.agent.metrics.HeadcountMetrics;
import io.headcount.agent.net.IpAddress;
import io.headcount.agent.visitors.InMemoryVisitorTracker;
import io.headcount.agent.visitors.TodayFigures;
import io.headcount.agent.visitors.VisitorDayClock;
import io.headcount.agent.visitors.VisitorTracker;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The worker's endpoint labels and exclusions, from events as the advice builds them. */
class RequestRecorderTest {
    private final HeadcountMetrics metrics = new HeadcountMetrics();
    private final RequestRecorder recorder = TestRecorders.recorder(metrics,
            new InMemoryVisitorTracker(metrics, new VisitorDayClock(ZoneOffset.UTC), 1000, new SecureRandom()),
            List.of("/health*", "/metrics*", "/favicon.ico"), 200, 100);

    @Test
    void theDefaultServletsAnswersAreNotFoundButItsStaticFilesKeepTheirPath() {
        record("OPTIONS", "/r1/x", 200, true);
        record("PUT", "/r2/x", 405, true);
        record("DELETE", "/r3/x", 405, true);
        record("BREW", "/r4/x", 501, true);
        record("GET", "/index.html", 200, true);
        record("HEAD", "/index.html", 304, true);
        assertEquals(Map.of("/index.html GET 2xx", 1.0, "/index.html HEAD 3xx", 1.0, "not_found DELETE 4xx", 1.0,
                "not_found OPTIONS 2xx", 1.0, "not_found OTHER 5xx", 1.0, "not_found PUT 4xx", 1.0), requests());
    }

    @Test
    void spellingsOfOnePathCountAsThatPathAndCannotHideBehindAnExclusion() {
        record("GET", "/r1/../api/users", 200, false);
        record("GET", "/%61pi/users", 200, false);
        record("GET", "/api;x=1/./users", 200, false);
        record("GET", "/health/../api/users/1", 200, false);
        record("GET", "/health/%2e%2e/api/users/2", 200, false);
        record("GET", "/metrics;/../api/orders", 200, false);
        record("GET", "/api/../health", 200, false);
        record("GET", "/%68ealth", 200, false);
        assertEquals(Map.of("/api/users GET 2xx", 3.0, "/api/users/{id} GET 2xx", 2.0, "/api/orders GET 2xx", 1.0),
                requests());
    }

    @Test
    void aPathTheContainersRejectIsNotFoundEvenWhenAnswered() {
        record("GET", "/../api/users", 200, false);
        record("GET", "/api%2Fusers", 200, false);
        assertEquals(Map.of("not_found GET 2xx", 2.0), requests());
    }

    @Test
    void aPathTheRequestThreadResolvedIsTakenAsItIs() {
        // Decoding %31 again would make it /api/users/1, a path the container did not serve.
        RequestEvent resolved = event("GET", "/api/users/%31", 200, false);
        resolved.pathResolved = true;
        recorder.record(resolved);
        RequestEvent refused = event("GET", null, 200, false);
        refused.pathResolved = true;
        recorder.record(refused);
        assertEquals(Map.of("/api/users/%31 GET 2xx", 1.0, "not_found GET 2xx", 1.0), requests());
    }

    @Test
    void theWorkerChoosesTheRouteFromTheAttributesTheAdviceCarried() {
        RequestEvent first = event("GET", "/shop/api/forward", 200, false);
        first.contextPath = "/shop";
        first.routes("/shop/api/forward", "/api/users/{id}"); // a forward: the first dispatch's route wins
        recorder.record(first);
        RequestEvent spring = event("GET", "/shop/owners/ada", 200, false);
        spring.contextPath = "/shop";
        spring.routes(null, "/owners/{ownerId:[a-z]+}");
        recorder.record(spring);
        RequestEvent none = event("GET", "/shop/api/users/7", 200, false);
        none.contextPath = "/shop";
        none.routes("", "/api/users/{id}"); // the first dispatch had no route
        recorder.record(none);
        // The endpoint is the context path followed by the route.
        assertEquals(Map.of("/shop/api/forward GET 2xx", 1.0, "/shop/owners/{ownerId} GET 2xx", 1.0,
                "/shop/api/users/{id} GET 2xx", 1.0), requests());
    }

    @Test
    void oneBrowserRequestCountsInEverySeriesAndItsVisitorOnce() {
        RequestEvent visit = event("GET", "/api/users/7", 200, false);
        visit.userAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
                + " Chrome/126.0.0.0 Safari/537.36";
        visit.referer = "https://www.google.com/search?q=x";
        visit.host = "shop.example.com";
        recorder.record(visit);
        recorder.record(visit);
        assertEquals(Map.of(
                "headcount_requests client=browser,endpoint=/api/users/{id},method=GET,status_class=2xx", 2.0,
                "headcount_requests_by_auth auth=anonymous", 2.0,
                "headcount_requests_by_client browser=Chrome,client=browser,device=desktop,os=Windows", 2.0,
                "headcount_requests_by_referrer referrer=google.com", 2.0,
                "headcount_unique_visitors client=browser", 1.0,
                "headcount_unique_visitors_by_endpoint client=browser,endpoint=/api/users/{id}", 1.0), counters());
    }

    @Test
    void aBotIsCountedAsARequestButNotAsAVisitor() {
        RequestEvent bot = event("GET", "/robots.txt", 404, false);
        bot.userAgent = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
        recorder.record(bot);
        assertEquals(Map.of(
                "headcount_requests client=bot,endpoint=not_found,method=GET,status_class=4xx", 1.0,
                "headcount_requests_by_auth auth=anonymous", 1.0,
                "headcount_requests_by_client browser=bot,client=bot,device=bot,os=unknown", 1.0,
                "headcount_requests_by_referrer referrer=direct", 1.0), counters());
    }

    @Test
    void anOptedOutRequestIsCountedButItsVisitorNeverReachesTheTracker() {
        List<String> visits = new ArrayList<>();
        RequestRecorder watched = TestRecorders.recorder(metrics, new VisitorTracker() {
                    @Override
                    public void visit(byte[] address, String userAgent, long userAgentId, String endpoint, String client) {
                        visits.add(IpAddress.format(address) + " " + endpoint);
                    }

                    @Override
                    public long untracked() {
                        return 0;
                    }

                    @Override
                    public TodayFigures today() {
                        return null;
                    }
                }, List.of("/health*"), 200, 100);
        RequestEvent optedOut = event("GET", "/api/users", 200, false);
        optedOut.userAgent = CHROME_WINDOWS;
        optedOut.optedOut = true;
        watched.record(optedOut);
        watched.record(optedOut);
        RequestEvent excluded = event("GET", "/health", 200, false);
        excluded.optedOut = true;
        watched.record(excluded);
        RequestEvent counted = event("GET", "/api/orders", 200, false);
        counted.userAgent = CHROME_WINDOWS;
        watched.record(counted);
        assertEquals(List.of("203.0.113.9 /api/orders"), visits);
        assertEquals(Map.of(
                "headcount_requests client=browser,endpoint=/api/orders,method=GET,status_class=2xx", 1.0,
                "headcount_requests client=browser,endpoint=/api/users,method=GET,status_class=2xx", 2.0,
                "headcount_requests_by_auth auth=anonymous", 3.0,
                "headcount_requests_by_client browser=Chrome,client=browser,device=desktop,os=Windows", 3.0,
                "headcount_requests_by_referrer referrer=direct", 3.0,
                "headcount_requests_excluded reason=path", 1.0,
                "headcount_requests_opted_out ", 2.0), counters());
    }

    @Test
    void signedInAndAnonymousRequestsAreCountedApart() {
        RequestEvent signedIn = event("GET", "/api/users", 200, false);
        signedIn.authenticated = true;
        recorder.record(signedIn);
        recorder.record(signedIn);
        record("GET", "/api/users", 200, false);
        assertEquals(2.0, counters().get("headcount_requests_by_auth auth=authenticated"));
        assertEquals(1.0, counters().get("headcount_requests_by_auth auth=anonymous"));
    }

    @Test
    void hintsGoOnTopOfTheCachedUserAgentClassPerRequest() {
        RequestEvent edge = event("GET", "/", 200, false);
        edge.userAgent = CHROME_WINDOWS;
        edge.secChUa = "\"Microsoft Edge\";v=\"143\", \"Chromium\";v=\"143\", \"Not A(Brand\";v=\"24\"";
        edge.secChUaMobile = "?0";
        edge.secChUaPlatform = "\"Windows\"";
        RequestEvent tablet = event("GET", "/", 200, false);
        tablet.userAgent = CHROME_WINDOWS;
        tablet.secChUa = "\"Google Chrome\";v=\"131\", \"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\"";
        tablet.secChUaMobile = "?0";
        tablet.secChUaPlatform = "\"Android\"";
        RequestEvent plain = event("GET", "/", 200, false);
        plain.userAgent = CHROME_WINDOWS;
        // The same User-Agent each time: one cache entry, three answers.
        recorder.record(plain);
        recorder.record(edge);
        recorder.record(tablet);
        recorder.record(plain);
        Map<String, Double> byClient = new TreeMap<>(counters());
        byClient.keySet().removeIf(series -> !series.startsWith("headcount_requests_by_client "));
        assertEquals(Map.of(
                "headcount_requests_by_client browser=Chrome,client=browser,device=desktop,os=Windows", 2.0,
                "headcount_requests_by_client browser=Chrome,client=browser,device=tablet,os=Android", 1.0,
                "headcount_requests_by_client browser=Edge,client=browser,device=desktop,os=Windows", 1.0), byClient);
    }

    private static final String CHROME_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"
            + " (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    private Map<String, Double> counters() {
        return counters(metrics);
    }

    /** "name label=value,..." -> value of every counter series above 0. */
    static Map<String, Double> counters(HeadcountMetrics metrics) {
        Map<String, Double> out = new TreeMap<>();
        for (MetricSnapshot snapshot : metrics.registry().scrape()) {
            if (snapshot instanceof CounterSnapshot) {
                for (CounterSnapshot.CounterDataPointSnapshot point : ((CounterSnapshot) snapshot).getDataPoints()) {
                    if (point.getValue() > 0) {
                        StringBuilder labels = new StringBuilder();
                        point.getLabels().forEach(label -> labels.append(labels.length() == 0 ? "" : ",")
                                .append(label.getName()).append('=').append(label.getValue()));
                        out.put(snapshot.getMetadata().getPrometheusName() + " " + labels, point.getValue());
                    }
                }
            }
        }
        return out;
    }

    private void record(String method, String uri, int status, boolean containerAnswered) {
        recorder.record(event(method, uri, status, containerAnswered));
    }

    private static RequestEvent event(String method, String uri, int status, boolean containerAnswered) {
        RequestEvent event = new RequestEvent();
        event.method = method;
        event.requestUri = uri;
        event.contextPath = "";
        event.userAgent = "curl/8.5.0";
        event.remoteAddr = "203.0.113.9";
        event.status = status;
        event.durationNanos = 1_000_000;
        event.containerAnswered = containerAnswered;
        return event;
    }

    /** "endpoint method status_class" -> count of headcount_requests_total. */
    private Map<String, Double> requests() {
        Map<String, Double> out = new TreeMap<>();
        for (MetricSnapshot snapshot : metrics.registry().scrape()) {
            if (snapshot.getMetadata().getPrometheusName().equals("headcount_requests")) {
                for (CounterSnapshot.CounterDataPointSnapshot point : ((CounterSnapshot) snapshot).getDataPoints()) {
                    if (point.getValue() > 0) {
                        out.put(point.getLabels().get("endpoint") + " " + point.getLabels().get("method") + " "
                                + point.getLabels().get("status_class"), point.getValue());
                    }
                }
            }
        }
        return out;
    }
}
