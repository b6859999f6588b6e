package io.headcount.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.headcount.agent.bootstrap.RequestEvent;
import io.headcount.agent.classify.ClientClassifier;
import io.headcount.agent.classify.ClientIpResolver;
import io.headcount.agent.classify.PathExclusions;
import io.headcount.agent.classify.RequestExclusions;
import io.headcount.agent.classify.UserAgentClassifier;
import io.headcount.agent.metrics.HeadcountMetrics;
import io.headcount.agent.net.Cidr;
import io.headcount.agent.visitors.InMemoryVisitorTracker;
import io.headcount.agent.visitors.VisitorDayClock;
import io.headcount.agent.visitors.VisitorTracker;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The worker records the events it takes off the queue together, step by step over all of them. */
class RequestRecorderBatchTest {
    private static final String[] PATHS = {"/", "/api/users/42", "/api/users/7?x=1", "/api/orders/"
            + "123e4567-e89b-12d3-a456-426614174000", "/health", "/health/../api/cart", "/%61pi/users", "/../x",
        "/static/app.js", "/metrics;/../search", "/p/" + "a".repeat(300)};
    private static final String[] USER_AGENTS = {null, "",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            + "Version/17.1 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "curl/8.4.0", "kube-probe/1.28",
        "Prometheus/2.48.0"};
    private static final String[] REFERERS = {null, "https://shop.example/cart", "https://www.Google.com/", "about:blank",
        "https://t.co/abc"};
    private static final String[] ADDRESSES = {"203.0.113.9", "198.51.100.1", "2001:db8::5", "127.0.0.1", "10.9.9.9",
        "192.0.2.77", "unix-socket"};
    private static final String[] METHODS = {"GET", "GET", "POST", "HEAD", "BREW"};
    private static final int[] STATUSES = {200, 200, 201, 304, 404, 500};

    /** Any batch, of any size, counts what its events counted one by one: the same labels in every cap, in order. */
    @Test
    void batchesCountWhatTheirEventsCountOneByOne() throws IOException {
        HeadcountMetrics oneByOne = new HeadcountMetrics();
        HeadcountMetrics batched = new HeadcountMetrics();
        RequestRecorder single = recorder(oneByOne, tracker(oneByOne));
        RequestRecorder batches = recorder(batched, tracker(batched));
        SplittableRandom random = new SplittableRandom(14);
        List<Throwable> failures = new ArrayList<>();
        RequestEvent[] batch = new RequestEvent[RequestRecorder.BATCH];
        for (int n = 0; n < 20_000; ) {
            int size = 1 + random.nextInt(RequestRecorder.BATCH);
            for (int k = 0; k < size; k++, n++) {
                // Endpoint and referrer caps of 20 and 6 are reached early: the order of admissions shows.
                long seed = random.nextLong();
                single.record(event(new SplittableRandom(seed), n));
                batch[k] = event(new SplittableRandom(seed), n);
            }
            batches.record(batch, size, failures::add);
        }
        assertEquals(List.of(), failures);
        String expected = scrape(oneByOne);
        assertEquals(expected, scrape(batched));
        assertEquals(false, expected.contains("headcount_requests_excluded_total{reason=\"address\"} 0.0"), expected);
        assertEquals(true, expected.contains("endpoint=\"other\""), expected);
    }

    /** An event that fails is given to the caller and left out of the later steps; the rest of its batch is counted. */
    @Test
    void anEventThatFailsLeavesTheRestOfItsBatchCounted() throws IOException {
        HeadcountMetrics metrics = new HeadcountMetrics();
        List<String> visited = new ArrayList<>();
        VisitorTracker failsOnCart = TestRecorders.visits((address, userAgent, userAgentId, endpoint, client) -> {
            if (endpoint.equals("/cart")) {
                throw new IllegalStateException("a tracker that fails on /cart");
            }
            visited.add(endpoint);
        });
        RequestRecorder recorder = recorder(metrics, failsOnCart);
        RequestEvent[] batch = {visit("/a"), visit("/cart"), visit("/b")};
        List<Throwable> failures = new ArrayList<>();
        recorder.record(batch, 3, failures::add);
        assertEquals(1, failures.size());
        assertEquals("a tracker that fails on /cart", failures.get(0).getMessage());
        assertEquals(List.of("/a", "/b"), visited);
        String scraped = scrape(metrics);
        for (String endpoint : new String[] {"/a", "/cart", "/b"}) {
            assertEquals(true, scraped.contains("headcount_requests_total{client=\"browser\",endpoint=\"" + endpoint
                    + "\",method=\"GET\",status_class=\"2xx\"} 1.0"), scraped);
        }
    }

    @Test
    void aBatchHoldsAtMostWhatTheRecorderKeepsSlotsFor() {
        RequestRecorder recorder = recorder(new HeadcountMetrics(), TestRecorders.visits((a, u, i, e, c) -> { }));
        RequestEvent[] events = new RequestEvent[RequestRecorder.BATCH + 1];
        assertThrows(IllegalArgumentException.class, () -> recorder.record(events, events.length, failure -> { }));
    }

    private static RequestRecorder recorder(HeadcountMetrics metrics, VisitorTracker visitors) {
        return new RequestRecorder(metrics, visitors,
                new RequestExclusions(new PathExclusions(List.of("/health*", "/metrics*")), List.of(Cidr.parse("10.0.0.0/8"))),
                ClientClassifier.builtIn(new UserAgentClassifier()), new ClientIpResolver(List.of(Cidr.parse("127.0.0.1"))),
                new IgnoredForwarding("X-Forwarded-For"), 20, 6);
    }

    private static InMemoryVisitorTracker tracker(HeadcountMetrics metrics) {
        return new InMemoryVisitorTracker(metrics, new VisitorDayClock(ZoneOffset.UTC), 1000, new SecureRandom());
    }

    private static RequestEvent event(SplittableRandom random, int n) {
        RequestEvent event = new RequestEvent();
        event.method = METHODS[random.nextInt(METHODS.length)];
        event.requestUri = random.nextInt(4) == 0 ? "/page/x" + n % 40 : PATHS[random.nextInt(PATHS.length)];
        event.contextPath = "";
        event.userAgent = USER_AGENTS[random.nextInt(USER_AGENTS.length)];
        event.referer = random.nextInt(3) == 0 ? "https://site" + n % 9 + ".example/" : REFERERS[random.nextInt(REFERERS.length)];
        event.host = "shop.example";
        event.remoteAddr = ADDRESSES[random.nextInt(ADDRESSES.length)];
        event.xForwardedFor = event.remoteAddr.equals("127.0.0.1") ? "198.51.100." + n % 50 : null;
        event.status = STATUSES[random.nextInt(STATUSES.length)];
        event.durationNanos = random.nextLong(2_000_000_000L);
        event.optedOut = random.nextInt(10) == 0;
        event.authenticated = random.nextBoolean();
        return event;
    }

    private static RequestEvent visit(String path) {
        RequestEvent event = new RequestEvent();
        event.method = "GET";
        event.requestUri = path;
        event.contextPath = "";
        event.userAgent = USER_AGENTS[2];
        event.remoteAddr = "203.0.113.9";
        event.status = 200;
        return event;
    }

    private static String scrape(HeadcountMetrics metrics) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape());
        return out.toString(StandardCharsets.UTF_8);
    }
}
