package io.headcount.it.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.it.harness.AppProcess;
import io.headcount.it.harness.FreePorts;
import io.headcount.it.harness.Http;
import io.headcount.it.harness.MetricsEndpoint;
import io.headcount.testsupport.RedisServerProcess;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Redis is killed while the app is under a steady load, and started again (empty). The app must not
 * notice: no request fails; the agent must say so in {@code headcount_redis_up} (1, then 0, then 1)
 * and go back to exact counting by itself. Latencies are printed, not asserted: on a busy shared
 * machine a p99 says more about the neighbours than about the agent (docs/performance.md measures it).
 */
class RedisOutageIT {
    private static final int CLIENTS = 4;

    /** Latencies of one phase, in microseconds. */
    private static final class Phase {
        final List<Long> micros = Collections.synchronizedList(new ArrayList<>());

        long p99() {
            List<Long> sorted = new ArrayList<>(micros);
            Collections.sort(sorted);
            return sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
        }
    }

    /** The day's visitors in Redis: the sizes of its sets of visitors, one per client kind. */
    private static long visitorsInRedis(RedisServerProcess redis) throws Exception {
        String prefix = "headcount:" + LocalDate.now(ZoneOffset.UTC) + ":visitors:";
        long visitors = 0;
        for (String line : redis.command("KEYS", prefix + "*").split("\r\n")) {
            if (line.startsWith(prefix)) {
                visitors += Long.parseLong(redis.command("SCARD", line).trim().substring(1));
            }
        }
        return visitors;
    }

    @Test
    void appServesUnchangedThroughARedisOutageAndExactModeResumes() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            int metricsPort = FreePorts.pick();
            try (AppProcess app = AppProcess.named("redis-outage")
                    .agent("port=" + metricsPort + ",redis.url=" + redis.url() + ",redis.timeout-ms=500").start()) {
                MetricsEndpoint metrics = new MetricsEndpoint(metricsPort);
                metrics.scrapeUntil(text -> text.valueOrZero("headcount_redis_up") == 1.0);

                AtomicInteger failures = new AtomicInteger();
                AtomicInteger visitor = new AtomicInteger();
                AtomicBoolean running = new AtomicBoolean(true);
                // The first seconds warm the JIT up and are not measured.
                Phase[] current = {new Phase()};
                int[] linesBeforeOutage = {0};
                Phase up = new Phase();
                Http http = new Http();
                List<Thread> clients = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    Thread client = new Thread(() -> {
                        while (running.get()) {
                            int v = visitor.incrementAndGet();
                            long start = System.nanoTime();
                            int status = http.get(app.url("/api/users/" + v)).userAgent("LoadClient/" + (v % 50))
                                    .forwardedFor("198.19." + (v / 250 % 250) + "." + (v % 250 + 1)).status();
                            long micros = (System.nanoTime() - start) / 1000;
                            if (status != 200) {
                                failures.incrementAndGet();
                            }
                            current[0].micros.add(micros);
                        }
                    });
                    client.start();
                    clients.add(client);
                }
                try {
                    Thread.sleep(3000);
                    current[0] = up;
                    Thread.sleep(3000);
                    Phase down = new Phase();
                    current[0] = down;
                    linesBeforeOutage[0] = app.stderrLines().size();
                    redis.kill();
                    metrics.scrapeUntil(text -> text.valueOrZero("headcount_redis_up") == 0.0);
                    Thread.sleep(3000);
                    Phase after = new Phase();
                    current[0] = after;
                    redis.startAgain();
                    metrics.scrapeUntil(text -> text.valueOrZero("headcount_redis_up") == 1.0);
                    Thread.sleep(2000);
                    running.set(false);
                    for (Thread client : clients) {
                        client.join();
                    }

                    System.out.printf("redis outage: requests up %d (p99 %d us), down %d (p99 %d us), back %d (p99 %d us),"
                                    + " failed %d%n", up.micros.size(), up.p99(), down.micros.size(), down.p99(),
                            after.micros.size(), after.p99(), failures.get());
                    assertEquals(0, failures.get());
                } finally {
                    running.set(false);
                }

                // Back in exact mode (once the visitors that waited are sent): new visitors reach Redis again.
                metrics.scrapeUntil(text -> text.valueOrZero("headcount_visitors_pending") == 0.0);
                long before = visitorsInRedis(redis);
                new Http().get(app.url("/api/users/1")).userAgent("AfterOutage/1").forwardedFor("198.19.255.1").status();
                metrics.scrapeUntil(text -> text.valueOrZero("headcount_visitors_pending") == 0.0);
                assertEquals(before + 1, visitorsInRedis(redis));
                assertTrue(metrics.scrape().valueOrZero("headcount_redis_errors_total") >= 1);
                List<String> lines = app.stderrLines();
                List<String> sinceOutage = lines.subList(linesBeforeOutage[0], lines.size());
                // One line for the outage, not one per poll. Before it, while the JIT warms up under a
                // new visitor per request, and again in the first second after it, when the visitors
                // that waited are sent at once, a reply may be later than the test's 500 ms once on a
                // busy machine (seen in CI: "no reply in 500 ms" 0.5 s after Redis was back).
                long unavailable = sinceOutage.stream().filter(line -> line.contains("is unavailable")).count();
                assertTrue(unavailable >= 1 && unavailable <= 2, unavailable + " lines:\n" + String.join("\n", lines));
            }
        }
    }
}
