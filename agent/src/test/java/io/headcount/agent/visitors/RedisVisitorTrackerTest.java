package io.headcount.agent.visitors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.agent.metrics.HeadcountMetrics;
import io.headcount.agent.net.IpAddress;
import io.headcount.testsupport.RedisServerProcess;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two trackers stand for two app instances; the Redis is real. */
class RedisVisitorTrackerTest {
    /**
     * Noon of today (UTC), running at real speed from when the class loads: the trackers' holds and
     * settling still take real time, no run crosses midnight into another day's keys, and the keys'
     * expiry, which Redis keeps by its own clock, is still as far ahead as on a real day.
     */
    private static final Clock NOON = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(),
            java.time.LocalDate.now(ZoneOffset.UTC).atTime(12, 0).toInstant(ZoneOffset.UTC)));

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
            this(url, 5000, 50_000, 100_000);
        }

        Instance(String url, long timeoutMillis, int holdMax, int backlogMax) {
            this(url, timeoutMillis, holdMax, backlogMax, false);
        }

        Instance(String url, long timeoutMillis, int holdMax, int backlogMax, boolean approximate) {
            redis = new RedisConnector(url, false, Duration.ofMillis(timeoutMillis));
            tracker = new RedisVisitorTracker(metrics, redis, new VisitorDayClock(NOON), "headcount-test",
                    100_000, holdMax, 30_000, backlogMax, new SecureRandom(), approximate);
            metrics.visitorsToday(tracker::today);
            redis.start();
        }

        void visit(String address, String userAgent, String endpoint) {
            tracker.visit(IpAddress.parse(address), userAgent, 0, endpoint, "browser");
            tracker.poll();
        }

        /** Visitors 192.0.2.0 and on, each sent at once. */
        void visitors(int count) {
            for (int v = 0; v < count; v++) {
                visit("192.0.2." + v, "ua", "/");
            }
        }

        /** The same visitors without a poll: they go out together at the next one. */
        void visitorsUnpolled(int count) {
            for (int v = 0; v < count; v++) {
                tracker.visit(IpAddress.parse("192.0.2." + v), "ua", 0, "/", "browser");
            }
        }

        double total(String metric) {
            double sum = 0;
            for (MetricSnapshot snapshot : metrics.registry().scrape()) {
                if (snapshot.getMetadata().getPrometheusName().equals(metric)) {
                    for (DataPointSnapshot point : snapshot.getDataPoints()) {
                        sum += point instanceof CounterSnapshot.CounterDataPointSnapshot
                                ? ((CounterSnapshot.CounterDataPointSnapshot) point).getValue()
                                : ((GaugeSnapshot.GaugeDataPointSnapshot) point).getValue();
                    }
                }
            }
            return sum;
        }

        /** The value of one gauge series, as a scrape would read it. */
        double gauge(String metric, String... labels) {
            for (MetricSnapshot snapshot : metrics.registry().scrape()) {
                if (snapshot.getMetadata().getPrometheusName().equals(metric)) {
                    for (GaugeSnapshot.GaugeDataPointSnapshot point : ((GaugeSnapshot) snapshot).getDataPoints()) {
                        if (point.getLabels().equals(Labels.of(labels))) {
                            return point.getValue();
                        }
                    }
                }
            }
            return -1;
        }
    }

    private RedisServerProcess startServer() throws IOException {
        RedisServerProcess server = RedisServerProcess.start();
        closing.add(server);
        return server;
    }

    private Instance instance(String url) {
        return instance(new Instance(url));
    }

    private Instance instance(Instance instance) {
        closing.add(instance.tracker);
        return instance;
    }

    private static void await(BooleanSupplier condition, Instance... instances) throws InterruptedException {
        VisitorTracker[] trackers = new VisitorTracker[instances.length];
        for (int i = 0; i < instances.length; i++) {
            trackers[i] = instances[i].tracker;
        }
        awaitPolling(condition, Duration.ofSeconds(10), trackers);
    }

    /** Polls the trackers, as their worker would, until the condition holds; fails past the timeout. */
    static void awaitPolling(BooleanSupplier condition, Duration timeout, VisitorTracker... trackers)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (VisitorTracker tracker : trackers) {
                tracker.poll();
            }
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("condition not met in " + timeout.toSeconds() + " s");
    }

    @Test
    void aSetWhoseIndexEntryRedisRefusedIsListedOnceRedisTakesIt() throws Exception {
        RedisServerProcess server = startServer();
        // The day's index as a string: every SADD to it fails (WRONGTYPE), as a rejected command would.
        assertEquals("+OK", server.command("SET", todayKey("sets"), "in the way").trim());
        Instance a = instance(server.url());
        await(a.redis::isUp);
        a.visit("198.51.100.7", "agent-7", "/only");
        await(a.tracker::settled, a);
        assertEquals(1, a.total("headcount_unique_visitors"));
        assertEquals(-1, a.gauge("headcount_unique_visitors_today", "client", "browser"));
        assertEquals("+string", server.command("TYPE", todayKey("sets")).trim());

        // No more visits: the worker's polls alone send the entry again, once Redis can take it.
        assertEquals(":1", server.command("DEL", todayKey("sets")).trim());
        await(() -> reply(server, "SMEMBERS", todayKey("sets")).contains("visitors:browser"), a);
        await(() -> a.gauge("headcount_unique_visitors_today", "client", "browser") == 1, a);
        assertEquals(1, a.gauge("headcount_unique_visitors_today_by_endpoint", "client", "browser", "endpoint", "/only"));
        assertTrue(Long.parseLong(server.command("TTL", todayKey("sets")).trim().substring(1)) > 0);
    }

    @Test
    void approximateModeKeepsTheDayInHyperLogLogsAndTheGaugesReadTheirEstimate() throws Exception {
        RedisServerProcess server = startServer();
        Instance a = instance(new Instance(server.url(), 5000, 50_000, 100_000, true));
        Instance b = instance(new Instance(server.url(), 5000, 50_000, 100_000, true));
        await(() -> a.redis.isUp() && b.redis.isUp());
        for (int v = 0; v < 500; v++) {
            // Every visitor reaches both instances, on two endpoints.
            for (Instance target : List.of(a, b)) {
                target.visit("198.51.100." + (v % 250), "agent-" + v, "/e" + (v % 2));
                target.visit("198.51.100." + (v % 250), "agent-" + v, "/both");
            }
        }
        await(() -> a.tracker.settled() && b.tracker.settled(), a, b);
        // Standard error 0.81%: within three of them (2.5% here).
        double today = a.gauge("headcount_unique_visitors_today", "client", "browser");
        assertTrue(Math.abs(today - 500) <= 13, "estimate " + today);
        assertEquals(today, b.gauge("headcount_unique_visitors_today", "client", "browser"));
        assertTrue(Math.abs(a.gauge("headcount_unique_visitors_today_by_endpoint", "client", "browser", "endpoint", "/both")
                - 500) <= 13);
        assertTrue(Math.abs(a.gauge("headcount_unique_visitors_today_by_endpoint", "client", "browser", "endpoint", "/e0")
                - 250) <= 7);
        // The counters count each instance's first sightings: every visitor once per instance here.
        assertEquals(500, a.total("headcount_unique_visitors"));
        assertEquals(500, b.total("headcount_unique_visitors"));
        // A HyperLogLog is a string that starts with HYLL.
        assertTrue(server.command("GET", todayKey("hll:visitors:browser")).contains("HYLL"));
        assertEquals(":0", server.command("EXISTS", todayKey("visitors:browser")).trim());
        assertEquals(0, a.total("headcount_visitors_inexact") + b.total("headcount_visitors_inexact"));
    }

    @Test
    void twoInstancesCountEachVisitorOnceBetweenThem() throws Exception {
        RedisServerProcess server = startServer();
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
    void withRedisDownAtStartVisitsAreHeldAndCountedExactlyWhenItComes() throws Exception {
        RedisServerProcess server = startServer();
        server.kill();
        Instance a = instance(server.url());
        a.visit("203.0.113.1", "ua", "/");
        a.visit("203.0.113.1", "ua", "/");
        // Two visits of one /64 held, and a third after the salt: one visitor.
        a.visit("2001:db8:1:2::7", "ua", "/");
        a.visit("2001:db8:1:2:ffff::8", "ua", "/");
        assertFalse(a.redis.isUp());
        assertEquals(0, a.total("headcount_unique_visitors"));
        assertEquals(4, a.tracker.pending());

        server.startAgain();
        await(a.redis::isUp);
        a.visit("203.0.113.2", "ua", "/");
        a.visit("2001:db8:1:2::9", "ua", "/");
        await(a.tracker::settled, a);
        assertEquals(3, a.total("headcount_unique_visitors"));
        assertEquals(0, a.total("headcount_visitors_inexact"));
        assertEquals(0, a.tracker.pending());
        assertEquals(":3", server.command("SCARD", todayKey("visitors:browser")).trim());
    }

    @Test
    void theTodayGaugeIsTheSharedFigureOnEveryInstance() throws Exception {
        RedisServerProcess server = startServer();
        Instance a = instance(server.url());
        Instance b = instance(server.url());
        await(() -> a.redis.isUp() && b.redis.isUp());
        for (int v = 0; v < 30; v++) {
            Instance target = v % 2 == 0 ? a : b;
            target.tracker.visit(IpAddress.parse("198.51.100." + v), "agent-" + v, 0, v < 10 ? "/x" : "/y", v < 20 ? "browser" : "script");
            target.tracker.poll();
        }
        await(() -> a.tracker.settled() && b.tracker.settled(), a, b);
        Instance c = instance(server.url());
        await(c.redis::isUp);
        for (Instance instance : List.of(a, b, c)) {
            assertEquals(20, instance.gauge("headcount_unique_visitors_today", "client", "browser"));
            assertEquals(10, instance.gauge("headcount_unique_visitors_today", "client", "script"));
            assertEquals(10, instance.gauge("headcount_unique_visitors_today_by_endpoint", "client", "browser", "endpoint", "/x"));
            assertEquals(10, instance.gauge("headcount_unique_visitors_today_by_endpoint", "client", "browser", "endpoint", "/y"));
            assertEquals(10, instance.gauge("headcount_unique_visitors_today_by_endpoint", "client", "script", "endpoint", "/y"));
        }
        assertEquals(30, a.total("headcount_unique_visitors") + b.total("headcount_unique_visitors"));
    }

    /** One visitor counted (so the day's salt is known), then Redis frozen until the instance sees it down. */
    private static void countOneVisitorThenFreeze(RedisServerProcess server, Instance a) throws Exception {
        await(a.redis::isUp);
        a.visit("203.0.113.1", "ua", "/");
        await(a.tracker::settled, a);
        server.suspend();
        await(() -> !a.redis.isUp(), a);
    }

    @Test
    void aFrozenRedisIsDownAndNewVisitorsWaitInTheBacklogUntilItAnswers() throws Exception {
        RedisServerProcess server = startServer();
        Instance a = instance(new Instance(server.url(), 300, 50_000, 100_000));
        countOneVisitorThenFreeze(server, a);
        a.visitorsUnpolled(40);
        a.tracker.poll();
        assertEquals(1, a.total("headcount_unique_visitors"));
        assertEquals(80, a.tracker.pending());
        server.resume();
        await(() -> a.redis.isUp() && a.tracker.settled(), a);
        assertEquals(41, a.total("headcount_unique_visitors"));
        assertEquals(41, a.total("headcount_unique_visitors_by_endpoint"));
        assertEquals(0, a.total("headcount_visitors_inexact"));
        assertEquals(":41", server.command("SCARD", todayKey("visitors:browser")).trim());
    }

    /**
     * An attacker's probe of 2026-12-06: a Redis out of memory refused first sightings, which were
     * then counted by their instance alone for the rest of the day and never reached Redis, so the
     * other instance counted the same visitors again (361 counted for 312).
     */
    @Test
    void visitorsRefusedByARedisOutOfMemoryWaitAndAreCountedOnceWhenItTakesWritesAgain() throws Exception {
        RedisServerProcess server = startServer();
        Instance a = instance(server.url());
        Instance b = instance(server.url());
        await(() -> a.redis.isUp() && b.redis.isUp());
        a.visit("203.0.113.1", "ua", "/");
        b.visit("203.0.113.2", "ua", "/");
        await(() -> a.tracker.settled() && b.tracker.settled(), a, b);
        assertEquals("+OK", server.command("CONFIG", "SET", "maxmemory-policy", "noeviction").trim());
        assertEquals("+OK", server.command("CONFIG", "SET", "maxmemory", "1").trim());
        long errorsBefore = a.redis.errors();
        a.visitors(20);
        await(() -> a.redis.errors() >= errorsBefore + 3, a);
        assertEquals(1, a.total("headcount_unique_visitors"));
        assertEquals(0, a.total("headcount_visitors_inexact"));

        assertEquals("+OK", server.command("CONFIG", "SET", "maxmemory", "0").trim());
        await(a.tracker::settled, a);
        assertEquals(21, a.total("headcount_unique_visitors"));
        b.visitors(20);
        await(b.tracker::settled, b);
        assertEquals(1, b.total("headcount_unique_visitors"));
        assertEquals(0, a.total("headcount_visitors_inexact") + b.total("headcount_visitors_inexact"));
        assertEquals(":22", server.command("SCARD", todayKey("visitors:browser")).trim());
    }

    /**
     * An attacker's probe of 2026-12-06: a salt key overwritten with a value of another length, then
     * the connections dropped, stalled counting with no error and no log line.
     */
    @Test
    void aSaltKeyThatHoldsNoSaltIsAnErrorAndTheVisitorsWaitUntilItIsGone() throws Exception {
        RedisServerProcess server = startServer();
        Instance a = instance(server.url());
        await(a.redis::isUp);
        a.visit("203.0.113.1", "ua", "/");
        await(a.tracker::settled, a);
        assertEquals("+OK", server.command("SET", todayKey("salt"), "short", "KEEPTTL").trim());
        server.command("CLIENT", "KILL", "TYPE", "normal");
        a.visitors(5);
        await(() -> a.redis.connections() > 1 && a.redis.isUp(), a);
        // Reconnected: from now on only the handshakes, tried every second, find the salt unusable.
        long errorsBefore = a.redis.errors();
        await(() -> a.redis.errors() >= errorsBefore + 3, a);
        assertEquals(1, a.total("headcount_unique_visitors"));
        assertEquals(0, a.total("headcount_visitors_inexact"));

        assertEquals(":1", server.command("DEL", todayKey("salt")).trim());
        await(() -> a.tracker.settled() && a.total("headcount_unique_visitors") == 6, a);
        assertEquals(0, a.total("headcount_visitors_inexact"));
    }

    /**
     * An attacker's probe of 2026-12-06: visitors counted by one instance, then sent to the other
     * right after a FLUSHALL, were counted again (110 for 97): the other instance's once-a-second
     * marker check had not yet noticed the loss.
     */
    @Test
    void firstSightingsSentRightAfterRedisLostTheDayDoNotCountVisitorsAgain() throws Exception {
        RedisServerProcess server = startServer();
        Instance a = instance(server.url());
        Instance b = instance(server.url());
        await(() -> a.redis.isUp() && b.redis.isUp());
        a.visitors(20);
        b.visit("203.0.113.1", "ua", "/");
        await(() -> a.tracker.settled() && b.tracker.settled(), a, b);
        assertEquals("+OK", server.command("FLUSHALL").trim());
        // One burst, sent before either instance's check can have noticed.
        b.visitorsUnpolled(20);
        b.tracker.poll();
        await(() -> a.tracker.settled() && b.tracker.settled()
                && a.gauge("headcount_unique_visitors_today", "client", "browser") == 21, a, b);
        assertEquals(20, a.total("headcount_unique_visitors"));
        assertEquals(1, b.total("headcount_unique_visitors"));
        assertEquals(0, a.total("headcount_visitors_inexact") + b.total("headcount_visitors_inexact"));
        assertEquals(":21", server.command("SCARD", todayKey("visitors:browser")).trim());
    }

    @Test
    void visitsHeldForTheSaltAreCountedExactlyWhenItsReplyCameLate() throws Exception {
        RedisServerProcess server = startServer();
        Instance a = instance(new Instance(server.url(), 300, 50_000, 4));
        await(a.redis::isUp);
        // Connected, but no poll has sent the salt handshake yet: the visits wait in the hold.
        a.visitorsUnpolled(10);
        assertEquals(0, a.total("headcount_unique_visitors"));
        server.suspend();
        await(() -> !a.redis.isUp(), a);
        server.resume();
        await(() -> a.redis.isUp() && a.tracker.settled(), a);
        assertEquals(10, a.total("headcount_unique_visitors"));
        assertEquals(10, a.total("headcount_unique_visitors_by_endpoint"));
        assertEquals(0, a.total("headcount_visitors_inexact"));
        assertEquals(":10", server.command("SCARD", todayKey("visitors:browser")).trim());
    }

    @Test
    void pastTheBacklogBoundEachAffectedVisitIsCountedAloneAndAsInexact() throws Exception {
        RedisServerProcess server = startServer();
        Instance a = instance(new Instance(server.url(), 300, 50_000, 10));
        countOneVisitorThenFreeze(server, a);
        a.visitorsUnpolled(20);
        // Five visits fill the backlog with their two sightings each; the other fifteen are counted alone.
        assertEquals(15, a.total("headcount_visitors_inexact"));
        assertEquals(16, a.total("headcount_unique_visitors"));
        server.resume();
        await(() -> a.redis.isUp() && a.tracker.settled(), a);
        assertEquals(21, a.total("headcount_unique_visitors"));
        assertEquals(15, a.total("headcount_visitors_inexact"));
        assertEquals(":6", server.command("SCARD", todayKey("visitors:browser")).trim());
    }

    @Test
    void pastTheHoldBoundVisitsAreCountedAloneAndAsInexact() throws Exception {
        RedisServerProcess server = startServer();
        server.kill();
        Instance a = instance(new Instance(server.url(), 300, 3, 100_000));
        a.visitors(5);
        assertEquals(2, a.total("headcount_visitors_inexact"));
        assertEquals(2, a.total("headcount_unique_visitors"));
        assertEquals(3, a.tracker.pending());
        server.startAgain();
        await(() -> a.redis.isUp() && a.tracker.settled(), a);
        assertEquals(5, a.total("headcount_unique_visitors"));
        assertEquals(2, a.total("headcount_visitors_inexact"));
        assertEquals(":3", server.command("SCARD", todayKey("visitors:browser")).trim());
    }

    /** Visitors 0-24 on one instance, 25-49 on the other. */
    private static void visitFiftyBetween(Instance a, Instance b) throws InterruptedException {
        for (int v = 0; v < 50; v++) {
            (v < 25 ? a : b).visit("198.51.100." + v, "agent-" + v, "/e");
        }
        await(() -> a.tracker.settled() && b.tracker.settled(), a, b);
    }

    /** Every visitor of {@link #visitFiftyBetween} on the other instance, and 10 new ones. */
    private static void visitSixtyCrossed(Instance a, Instance b) throws InterruptedException {
        for (int v = 0; v < 60; v++) {
            (v < 25 ? b : a).visit("198.51.100." + v, "agent-" + v, "/e");
        }
        await(() -> a.tracker.settled() && b.tracker.settled(), a, b);
    }

    @Test
    void aRedisThatLostTheDayGetsItBackAndNoVisitorIsCountedTwice() throws Exception {
        RedisServerProcess server = startServer();
        Instance a = instance(server.url());
        Instance b = instance(server.url());
        await(() -> a.redis.isUp() && b.redis.isUp());
        visitFiftyBetween(a, b);
        String salt = server.command("GET", todayKey("salt"));
        server.command("FLUSHALL");
        // Each instance notices its marker gone within a second and gives its visitors back.
        await(() -> {
            try {
                return server.command("SCARD", todayKey("visitors:browser")).trim().equals(":50");
            } catch (java.io.IOException e) {
                return false;
            }
        }, a, b);
        assertEquals(salt, server.command("GET", todayKey("salt")));
        // Every earlier visitor now reaches the other instance, and 10 new ones come.
        visitSixtyCrossed(a, b);
        assertEquals(60, a.total("headcount_unique_visitors") + b.total("headcount_unique_visitors"));
        assertEquals(60, a.total("headcount_unique_visitors_by_endpoint") + b.total("headcount_unique_visitors_by_endpoint"));
        assertEquals(0, a.total("headcount_visitors_inexact") + b.total("headcount_visitors_inexact"));
        assertEquals(60, a.gauge("headcount_unique_visitors_today", "client", "browser"));
    }

    /**
     * An attacker's probe of 2026-12-07: a Redis that lost the day and then took no writes (a
     * primary demoted to a replica, whose data the new primary's replaced) refused each instance's
     * marker, so the next check found it gone and the instance gave the day back again, every
     * second (the whole visitor set each time, a warning each time). Here Redis takes no writes
     * while it has no replica ({@code min-replicas-to-write}), as a read-only replica would not.
     */
    @Test
    void aRedisThatLostTheDayAndTakesNoWritesIsGivenItBackOnceAndAgainWhenItTakesThem() throws Exception {
        RedisServerProcess server = startServer();
        Instance a = instance(server.url());
        Instance b = instance(server.url());
        await(() -> a.redis.isUp() && b.redis.isUp());
        visitFiftyBetween(a, b);
        // Everything but the salt gone, as when a replica takes the data of a primary that holds the day's salt.
        server.command("EVAL", "for _, k in ipairs(redis.call('KEYS', '*')) do"
                + " if not string.find(k, ':salt$') then redis.call('DEL', k) end end return 0", "0");
        assertEquals("+OK", server.command("CONFIG", "SET", "min-replicas-to-write", "1").trim());
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            // Past the first 5 s of settling, then every visitor on the other instance and 10 new
            // ones, while Redis still refuses writes.
            pollBoth(a, b, 6);
            for (int v = 0; v < 60; v++) {
                (v < 25 ? b : a).visit("198.51.100." + v, "agent-" + v, "/e");
            }
            pollBoth(a, b, 2);
        } finally {
            System.setErr(stderr);
        }
        // One give-back each, refused; before, one each every second.
        assertEquals(2, captured.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.contains("Redis lost the visitors of")).count());
        assertEquals(":0", server.command("SCARD", todayKey("visitors:browser")).trim());
        assertEquals(50, a.total("headcount_unique_visitors") + b.total("headcount_unique_visitors"));

        // Each gives the day back again, and only then are the waiting sightings counted: 10 new
        // visitors, not the 50 each instance had not seen itself (110 in all before this was mended).
        assertEquals("+OK", server.command("CONFIG", "SET", "min-replicas-to-write", "0").trim());
        await(() -> a.tracker.settled() && b.tracker.settled()
                && reply(server, "SCARD", todayKey("visitors:browser")).trim().equals(":60"), a, b);
        assertEquals(60, a.total("headcount_unique_visitors") + b.total("headcount_unique_visitors"));
        assertEquals(0, a.total("headcount_visitors_inexact") + b.total("headcount_visitors_inexact"));
        assertEquals(60, a.gauge("headcount_unique_visitors_today", "client", "browser"));
    }

    private static void pollBoth(Instance a, Instance b, int seconds) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < until) {
            a.tracker.poll();
            b.tracker.poll();
            Thread.sleep(5);
        }
    }

    @Test
    void theDaySaltIsSharedAndExpiresAfterTheNextDay() throws Exception {
        RedisServerProcess server = startServer();
        Instance a = instance(server.url());
        await(a.redis::isUp);
        a.visit("203.0.113.1", "ua", "/");
        await(a.tracker::settled, a);
        String saltKey = todayKey("salt");
        long ttl = Long.parseLong(server.command("TTL", saltKey).trim().substring(1));
        assertTrue(ttl > 25 * 3600 && ttl <= 49 * 3600, "ttl " + ttl);
        long visitorsTtl = Long.parseLong(server.command("TTL", todayKey("visitors:browser")).trim().substring(1));
        assertTrue(visitorsTtl > 25 * 3600 && visitorsTtl <= 49 * 3600, "ttl " + visitorsTtl);
    }

    /** A reply read inside a condition, which may not throw. */
    private static String reply(RedisServerProcess server, String... command) {
        try {
            return server.command(command);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static String todayKey(String name) {
        return "headcount-test:" + java.time.LocalDate.now(NOON) + ":" + name;
    }

    private static long info(RedisServerProcess server, String section, String field) throws Exception {
        for (String line : server.command("INFO", section).split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).trim());
            }
        }
        return 0;
    }

    /** Commands other than INFO and MEMORY, which this test itself sends, and the once-a-second marker check (EXISTS). */
    private static long visitorCommands(RedisServerProcess server) throws Exception {
        long calls = 0;
        for (String line : server.command("INFO", "commandstats").split("\r\n")) {
            if (line.startsWith("cmdstat_") && !line.startsWith("cmdstat_info:") && !line.startsWith("cmdstat_memory:")
                    && !line.startsWith("cmdstat_exists:")) {
                calls += Long.parseLong(line.substring(line.indexOf("calls=") + 6, line.indexOf(',')));
            }
        }
        return calls;
    }

    /** Prints the figures the operator needs: Redis commands per visit, and Redis memory per visitor. */
    @Test
    void returningVisitorsCostNoRedisCommandAndAVisitorCostsFewerThanEightyBytesInItsSet() throws Exception {
        RedisServerProcess server = startServer();
        Instance a = instance(server.url());
        // The visit depth's counts go out every 10 s; measured apart below.
        a.tracker.depthFlushEvery(Long.MAX_VALUE);
        await(a.redis::isUp);
        a.visit("192.0.2.1", "warm-up", "/warm");
        await(a.tracker::settled, a);
        int visitors = 20_000;
        long memoryBefore = info(server, "memory", "used_memory");
        long commandsBefore = visitorCommands(server);
        for (int v = 0; v < visitors; v++) {
            a.tracker.visit(IpAddress.parse("10." + (v >> 16) + "." + ((v >> 8) & 255) + "." + (v & 255)), "ua", 0, "/one", "browser");
            if (v % 256 == 0) {
                a.tracker.poll();
            }
        }
        await(a.tracker::settled, a);
        long firstCommands = visitorCommands(server) - commandsBefore;
        long memoryAfter = info(server, "memory", "used_memory");
        for (int v = 0; v < visitors; v++) {
            a.tracker.visit(IpAddress.parse("10." + (v >> 16) + "." + ((v >> 8) & 255) + "." + (v & 255)), "ua", 0, "/one", "browser");
        }
        a.tracker.poll();
        await(a.tracker::settled, a);
        long repeatCommands = visitorCommands(server) - commandsBefore - firstCommands;
        String visitorsKey = todayKey("visitors:browser");
        long setBytes = Long.parseLong(server.command("MEMORY", "USAGE", visitorsKey).trim().substring(1));
        System.out.printf("redis: %d first sightings took %d commands (%.2f per visit, one SADD per key plus one"
                        + " EXPIREAT and index entry per key); %d returning visits took %d commands; used_memory grew %d bytes"
                        + " (%.1f per visitor, total and one endpoint set); MEMORY USAGE of the total set %d bytes"
                        + " (%.1f per visitor)%n", visitors, firstCommands, firstCommands / (double) visitors, visitors,
                repeatCommands, memoryAfter - memoryBefore, (memoryAfter - memoryBefore) / (double) visitors,
                setBytes, setBytes / (double) visitors);
        // Visit depth: one HINCRBY per visitor active since the last flush, whatever its requests.
        long depthMemoryBefore = info(server, "memory", "used_memory");
        long depthCommandsBefore = visitorCommands(server);
        a.tracker.depthFlushEvery(0);
        a.tracker.poll();
        await(a.tracker::settled, a);
        a.tracker.depthFlushEvery(Long.MAX_VALUE);
        long depthCommands = visitorCommands(server) - depthCommandsBefore;
        long depthMemory = info(server, "memory", "used_memory") - depthMemoryBefore;
        String depthKey = todayKey("depth:browser");
        long hashBytes = Long.parseLong(server.command("MEMORY", "USAGE", depthKey).trim().substring(1));
        System.out.printf("redis: visit depth of %d visitors (2 requests each) took %d commands; used_memory grew %d bytes"
                        + " (%.1f per visitor); MEMORY USAGE of the hash %d bytes (%.1f per visitor)%n", visitors + 1,
                depthCommands, depthMemory, depthMemory / (double) (visitors + 1), hashBytes,
                hashBytes / (double) (visitors + 1));
        assertEquals(":" + (visitors + 1), server.command("HLEN", depthKey).trim());
        // A HINCRBY per visitor, and the hash's EXPIREAT, index SADD and index EXPIREAT.
        assertEquals(visitors + 1 + 3, depthCommands);
        assertEquals(0, repeatCommands);
        // A SADD per set per visitor, and for the new endpoint's set its EXPIREAT, index SADD and index EXPIREAT.
        assertEquals(2L * visitors + 3, firstCommands);
        assertEquals(visitors + 1, a.total("headcount_unique_visitors"));
        // Redis's set encoding decides the exact figure (docs/redis.md: 59.7 bytes with Redis 7.0);
        // the member alone is 8 bytes.
        assertTrue(setBytes > 8L * visitors && setBytes < 80L * visitors, setBytes + " bytes");
    }
}
