package io.headcount.agent.visitors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.agent.metrics.HeadcountMetrics;
import io.headcount.testsupport.RedisServerProcess;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two trackers stand for two app instances; the Redis is real. */
class RedisVisitorTrackerTest {
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private static final class Instance {
        final HeadcountMetrics metrics = new HeadcountMetrics();
        final RedisConnector redis;
        final RedisVisitorTracker tracker;

        Instance(String url) {
            redis = new RedisConnector(url, false, Duration.ofMillis(5000));
            tracker = new RedisVisitorTracker(metrics, redis, new VisitorDayClock(ZoneOffset.UTC), ZoneOffset.UTC,
                    "headcount-test", 100_000, 5000, new SecureRandom());
            redis.start();
        }

        void visit(String address, String userAgent, String endpoint) {
            tracker.visit(address, userAgent, endpoint, "browser");
            tracker.poll();
        }

        double total(String metric) {
            double sum = 0;
            for (MetricSnapshot snapshot : metrics.registry().scrape()) {
                if (snapshot.getMetadata().getPrometheusName().equals(metric)) {
                    for (CounterSnapshot.CounterDataPointSnapshot point : ((CounterSnapshot) snapshot).getDataPoints()) {
                        sum += point.getValue();
                    }
                }
            }
            return sum;
        }
    }

    private Instance instance(String url) {
        Instance instance = new Instance(url);
        closing.add(instance.tracker);
        return instance;
    }

    private static void await(BooleanSupplier condition, Instance... instances) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            for (Instance instance : instances) {
                instance.tracker.poll();
            }
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("condition not met in 10 s");
    }

    @Test
    void twoInstancesCountEachVisitorOnceBetweenThem() throws Exception {
        RedisServerProcess server = RedisServerProcess.start();
        closing.add(server);
        Instance a = instance(server.url());
        Instance b = instance(server.url());
        await(() -> a.redis.isUp() && b.redis.isUp());
        Random random = new Random(1);
        for (int round = 0; round < 3; round++) {
            for (int v = 0; v < 300; v++) {
                Instance target = random.nextBoolean() ? a : b;
                target.visit("198.51.100." + (v % 250), "agent-" + v, "/e" + (v % 4));
                target.visit("198.51.100." + (v % 250), "agent-" + v, "/e" + ((v + 1) % 4));
            }
        }
        await(() -> a.tracker.settled() && b.tracker.settled(), a, b);
        assertEquals(300, a.total("headcount_unique_visitors") + b.total("headcount_unique_visitors"));
        assertEquals(600, a.total("headcount_unique_visitors_by_endpoint")
                + b.total("headcount_unique_visitors_by_endpoint"));

        String keys = server.command("KEYS", "*");
        assertTrue(keys.contains("headcount-test:"), keys);
        assertFalse(keys.contains("198.51.100"), keys);
        assertFalse(keys.contains("agent-"), keys);
    }

    @Test
    void withRedisDownVisitorsAreCountedLocallyAndExactModeResumesWhenItComes() throws Exception {
        RedisServerProcess server = RedisServerProcess.start();
        closing.add(server);
        server.kill();
        Instance a = instance(server.url());
        a.visit("203.0.113.1", "ua", "/");
        a.visit("203.0.113.1", "ua", "/");
        assertFalse(a.redis.isUp());
        assertEquals(1, a.total("headcount_unique_visitors"));

        server.startAgain();
        await(a.redis::isUp);
        a.visit("203.0.113.2", "ua", "/");
        await(a.tracker::settled, a);
        assertEquals(2, a.total("headcount_unique_visitors"));
        assertTrue(server.command("SCARD", "headcount-test:" + java.time.LocalDate.now(ZoneOffset.UTC) + ":visitors")
                .startsWith(":1"));
    }

    @Test
    void theDaySaltIsSharedAndExpiresAfterTheNextDay() throws Exception {
        RedisServerProcess server = RedisServerProcess.start();
        closing.add(server);
        Instance a = instance(server.url());
        await(a.redis::isUp);
        a.visit("203.0.113.1", "ua", "/");
        await(a.tracker::settled, a);
        String saltKey = "headcount-test:" + java.time.LocalDate.now(ZoneOffset.UTC) + ":salt";
        long ttl = Long.parseLong(server.command("TTL", saltKey).trim().substring(1));
        assertTrue(ttl > 25 * 3600 && ttl <= 49 * 3600, "ttl " + ttl);
        long visitorsTtl = Long.parseLong(server.command("TTL",
                "headcount-test:" + java.time.LocalDate.now(ZoneOffset.UTC) + ":visitors").trim().substring(1));
        assertTrue(visitorsTtl > 25 * 3600 && visitorsTtl <= 49 * 3600, "ttl " + visitorsTtl);
    }

    private static long info(RedisServerProcess server, String section, String field) throws Exception {
        for (String line : server.command("INFO", section).split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).trim());
            }
        }
        return 0;
    }

    /** Commands other than INFO and MEMORY, which this test itself sends. */
    private static long visitorCommands(RedisServerProcess server) throws Exception {
        long calls = 0;
        for (String line : server.command("INFO", "commandstats").split("\r\n")) {
            if (line.startsWith("cmdstat_") && !line.startsWith("cmdstat_info:") && !line.startsWith("cmdstat_memory:")) {
                calls += Long.parseLong(line.substring(line.indexOf("calls=") + 6, line.indexOf(',')));
            }
        }
        return calls;
    }

    /** Prints the figures the operator needs: Redis commands per visit, and Redis memory per visitor. */
    @Test
    void returningVisitorsCostNoRedisCommandAndAVisitorCostsAFewDozenBytes() throws Exception {
        RedisServerProcess server = RedisServerProcess.start();
        closing.add(server);
        Instance a = instance(server.url());
        await(a.redis::isUp);
        a.visit("192.0.2.1", "warm-up", "/warm");
        await(a.tracker::settled, a);
        int visitors = 20_000;
        long memoryBefore = info(server, "memory", "used_memory");
        long commandsBefore = visitorCommands(server);
        for (int v = 0; v < visitors; v++) {
            a.tracker.visit("10." + (v >> 16) + "." + ((v >> 8) & 255) + "." + (v & 255), "ua", "/one", "browser");
            if (v % 256 == 0) {
                a.tracker.poll();
            }
        }
        await(a.tracker::settled, a);
        long firstCommands = visitorCommands(server) - commandsBefore;
        long memoryAfter = info(server, "memory", "used_memory");
        for (int v = 0; v < visitors; v++) {
            a.tracker.visit("10." + (v >> 16) + "." + ((v >> 8) & 255) + "." + (v & 255), "ua", "/one", "browser");
        }
        a.tracker.poll();
        await(a.tracker::settled, a);
        long repeatCommands = visitorCommands(server) - commandsBefore - firstCommands;
        String visitorsKey = "headcount-test:" + java.time.LocalDate.now(ZoneOffset.UTC) + ":visitors";
        long setBytes = Long.parseLong(server.command("MEMORY", "USAGE", visitorsKey).trim().substring(1));
        System.out.printf("redis: %d first sightings took %d commands (%.2f per visit, one SADD per key plus one"
                        + " EXPIREAT per key); %d returning visits took %d commands; used_memory grew %d bytes"
                        + " (%.1f per visitor, total and one endpoint set); MEMORY USAGE of the total set %d bytes"
                        + " (%.1f per visitor)%n", visitors, firstCommands, firstCommands / (double) visitors, visitors,
                repeatCommands, memoryAfter - memoryBefore, (memoryAfter - memoryBefore) / (double) visitors,
                setBytes, setBytes / (double) visitors);
        assertEquals(0, repeatCommands);
        assertEquals(2L * visitors + 1, firstCommands);
        assertEquals(visitors + 1, a.total("headcount_unique_visitors"));
    }
}
