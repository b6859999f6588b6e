package io.headcount.it.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.it.harness.AppProcess;
import io.headcount.it.harness.Http;
import io.headcount.it.harness.MetricsEndpoint;
import io.headcount.it.harness.PrometheusText;
import io.headcount.it.matrix.AgentLogLines;
import io.headcount.testsupport.RedisServerProcess;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three instances of the app share one real Redis. 500 distinct visitors (distinct address in a
 * trusted X-Forwarded-For, distinct User-Agent) each reach random instances several times and several
 * endpoints; the instances together must count each visitor exactly once, in total and per endpoint.
 * Afterwards every Redis key and value, every log line and every scrape is searched for the raw
 * addresses and User-Agents.
 */
class RedisDedupAcrossInstancesIT {
    private static final int VISITORS = 500;
    private static final int INSTANCES = 3;
    private static final List<String> ENDPOINT_PATHS = List.of("/api/users", "/api/users/%d", "/index.html", "/shop/products/%d");
    private static final Map<String, String> ENDPOINT_LABELS = Map.of(
            "/api/users", "/api/users", "/api/users/%d", "/api/users/{id}",
            "/index.html", "/index.html", "/shop/products/%d", "/shop/products/{id}");

    private static RedisServerProcess redis;
    private static final List<AppProcess> apps = new ArrayList<>();
    private static final List<MetricsEndpoint> metrics = new ArrayList<>();
    private static final Map<String, Set<Integer>> visitorsByEndpoint = new HashMap<>();
    private static final List<PrometheusText> scrapes = new ArrayList<>();

    static String address(int visitor) {
        return VisitorTraffic.address(visitor);
    }

    static String userAgent(int visitor) {
        return VisitorTraffic.userAgent(visitor);
    }

    @BeforeAll
    static void visit() throws Exception {
        redis = RedisServerProcess.start();
        for (int i = 0; i < INSTANCES; i++) {
            // Three JVMs start and take traffic at once: on a busy two-core machine one reply took
            // longer than the default second (CI, 2026-12-06), and Redis counted as down although it
            // was not. This test is about counting exactly; RedisOutageIT is about timeouts.
            apps.add(AppProcess.named("redis-dedup-" + i).agent("port=0,redis.timeout-ms=5000,redis.url=" + redis.url())
                    .launch());
        }
        // Each agent's own port, from its log: a port chosen here could be taken by the time the
        // agent binds it, and the scrape would then count another process's figures.
        for (AppProcess app : apps) {
            app.awaitReady();
            metrics.add(new MetricsEndpoint(AgentLogLines.metricsPort(app)));
        }
        for (MetricsEndpoint endpoint : metrics) {
            endpoint.scrapeUntil(text -> text.valueOrZero("headcount_redis_up") == 1.0);
        }

        Random random = new Random(20261125);
        List<Runnable> requests = new ArrayList<>();
        Http http = new Http();
        for (int visitor = 0; visitor < VISITORS; visitor++) {
            int visits = 2 + random.nextInt(4);
            for (int v = 0; v < visits; v++) {
                String template = ENDPOINT_PATHS.get(random.nextInt(ENDPOINT_PATHS.size()));
                String path = String.format(template, 1 + random.nextInt(1000));
                AppProcess app = apps.get(random.nextInt(INSTANCES));
                visitorsByEndpoint.computeIfAbsent(ENDPOINT_LABELS.get(template), k -> new HashSet<>()).add(visitor);
                int who = visitor;
                requests.add(() -> {
                    int status = http.get(app.url(path)).userAgent(userAgent(who)).forwardedFor(address(who)).status();
                    if (status != 200) {
                        throw new AssertionError(path + " answered " + status);
                    }
                });
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Runnable request : requests) {
                done.add(pool.submit(request));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
        int total = requests.size();
        for (MetricsEndpoint endpoint : metrics) {
            endpoint.scrape();
        }
        // Wait until every request is counted somewhere, then take the final scrapes.
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            scrapes.clear();
            double counted = 0;
            for (MetricsEndpoint endpoint : metrics) {
                PrometheusText text = endpoint.scrape();
                scrapes.add(text);
                counted += text.sum("headcount_requests_total");
            }
            if (counted == total) {
                break;
            }
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (AppProcess app : apps) {
            app.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static double sumOverInstances(String metric, String... labels) {
        double sum = 0;
        for (PrometheusText text : scrapes) {
            sum += text.valueOrZero(metric, labels);
        }
        return sum;
    }

    @Test
    void theInstancesTogetherCountEveryVisitorExactlyOnce() {
        assertEquals(VISITORS, sumOverInstances("headcount_unique_visitors_total", "client", "browser"));
        double total = 0;
        for (PrometheusText text : scrapes) {
            total += text.sum("headcount_unique_visitors_total");
        }
        assertEquals(VISITORS, total);
    }

    @Test
    void eachEndpointCountsItsVisitorsExactlyOnce() {
        assertEquals(4, visitorsByEndpoint.size());
        for (Map.Entry<String, Set<Integer>> endpoint : visitorsByEndpoint.entrySet()) {
            assertEquals(endpoint.getValue().size(), sumOverInstances("headcount_unique_visitors_by_endpoint_total",
                    "client", "browser", "endpoint", endpoint.getKey()), endpoint.getKey());
        }
    }

    @Test
    void everyInstanceTookPartAndRedisStayedUp() {
        for (int i = 0; i < scrapes.size(); i++) {
            PrometheusText text = scrapes.get(i);
            assertTrue(text.sum("headcount_requests_total") > 0);
            assertEquals(1.0, text.valueOrZero("headcount_redis_up"));
            assertEquals(0.0, text.valueOrZero("headcount_redis_errors_total"), apps.get(i).output());
            assertEquals(0.0, text.valueOrZero("headcount_events_dropped_total"));
        }
    }

    @Test
    void noRawAddressOrUserAgentReachesRedisTheLogsOrTheMetrics() throws Exception {
        NoRawValues.assertNoneIn(redis, apps, metrics, VISITORS);
    }
}
