package io.headcount.agent.visitors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.agent.metrics.HeadcountMetrics;
import io.headcount.agent.net.IpAddress;
import io.headcount.testsupport.RedisServerProcess;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Redis mode across the end of a visitor day: trackers stand for app instances sharing a real Redis
 * and one clock that the test moves across midnight in Asia/Kolkata (+05:30), where the visit depth
 * of the ended day is published, and in Europe/Berlin across both daylight-saving changes. Dates are
 * in 2027 so that the keys' EXPIREAT, taken from that clock, lies ahead of the real one.
 */
class RedisDayEndTest {
    private static final ZoneId KOLKATA = ZoneId.of("Asia/Kolkata");
    /** 2027-01-15 in Kolkata ends at 2027-01-15T18:30:00Z. */
    private static final LocalDate DAY = LocalDate.of(2027, 1, 15);
    private static final String PREFIX = "headcount-test";

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2027-01-15T12:00:00Z"));
    private ZoneId zone = KOLKATA;

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private final class Instance implements AutoCloseable {
        final HeadcountMetrics metrics = new HeadcountMetrics();
        final RedisConnector redis;
        final RedisVisitorTracker tracker;

        Instance(String url) {
            redis = new RedisConnector(url, false, Duration.ofMillis(5000));
            VisitorDayClock clock = new VisitorDayClock(new Clock() {
                @Override public ZoneId getZone() { return zone; }
                @Override public Clock withZone(ZoneId zone) { return this; }
                @Override public Instant instant() { return now.get(); }
            });
            tracker = new RedisVisitorTracker(metrics, redis, clock, PREFIX, 100_000, 50_000, 30_000, 100_000,
                    new SecureRandom());
            redis.start();
            closing.add(this);
        }

        void visit(String address, String client) {
            tracker.visit(IpAddress.parse(address), "ua", 0, "/", client);
            tracker.poll();
        }

        double uniqueVisitors() {
            return Scrapes.sum(metrics, "headcount_unique_visitors");
        }

        /** This instance's request-count counter, "client band" to value. */
        Map<String, Double> bands() {
            return Scrapes.bands(metrics);
        }

        private boolean closed;

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                tracker.close();
            }
        }
    }

    private static void await(BooleanSupplier condition, Instance... instances) throws InterruptedException {
        RedisVisitorTrackerTest.awaitPolling(condition, Duration.ofSeconds(15),
                java.util.Arrays.stream(instances).map(instance -> instance.tracker).toArray(VisitorTracker[]::new));
    }

    /** How often the instances send the current day's request counts. */
    private enum Flush { EVERY_TEN_SECONDS, FIRST_AT_ONCE, ALL_AT_ONCE }

    /** {@code count} instances on the server, once all are connected. */
    private Instance[] instances(RedisServerProcess server, int count, Flush flush) throws InterruptedException {
        Instance[] instances = new Instance[count];
        for (int i = 0; i < count; i++) {
            instances[i] = new Instance(server.url());
            if (flush == Flush.ALL_AT_ONCE || (flush == Flush.FIRST_AT_ONCE && i == 0)) {
                instances[i].tracker.depthFlushEvery(0);
            }
        }
        await(() -> {
            for (Instance instance : instances) {
                if (!instance.redis.isUp()) {
                    return false;
                }
            }
            return true;
        });
        return instances;
    }

    private static void settle(Instance... instances) throws InterruptedException {
        await(() -> {
            for (Instance instance : instances) {
                if (!instance.tracker.settled()) {
                    return false;
                }
            }
            return true;
        }, instances);
    }

    /** The counters summed over the instances: what sum() over them in Prometheus shows. */
    private static Map<String, Double> sum(Instance... instances) {
        Map<String, Double> sum = new TreeMap<>();
        for (Instance instance : instances) {
            instance.bands().forEach((series, value) -> sum.merge(series, value, Double::sum));
        }
        return sum;
    }

    private static int publishers(Instance... instances) {
        int publishers = 0;
        for (Instance instance : instances) {
            publishers += instance.bands().isEmpty() ? 0 : 1;
        }
        return publishers;
    }

    /**
     * Visitor i makes the i-th count of requests, round robin over the instances, so that every band
     * is met and its edges are crossed only by the sum over instances.
     */
    private static final int[] REQUESTS = {1, 2, 5, 6, 10, 11, 20, 21, 50, 51, 100, 101, 500, 501, 999, 1000, 1500};
    private static final Map<String, Double> EXPECTED = new TreeMap<>(Map.of(
            "browser 1", 1.0, "browser 2-5", 2.0, "browser 6-10", 2.0, "browser 11-20", 2.0, "browser 21-50", 2.0,
            "browser 51-100", 2.0, "browser 101-500", 2.0, "browser 501-999", 2.0, "browser 1000+", 2.0,
            "script 2-5", 1.0));

    private static void visitTheDay(Instance... instances) {
        int next = 0;
        for (int v = 0; v < REQUESTS.length; v++) {
            for (int r = 0; r < REQUESTS[v]; r++) {
                instances[next++ % instances.length].visit("198.51.100." + v, "browser");
            }
        }
        for (int r = 0; r < 3; r++) {
            instances[r % instances.length].visit("203.0.113.9", "script");
        }
    }

    private void at(String instant) {
        now.set(Instant.parse(instant));
    }

    /**
     * First sightings sent just before midnight have their marker check sent after it: checked
     * against the new day's marker, not written yet, they were taken for a lost day and never
     * counted (found in review of the check of 59ad3be).
     */
    @Test
    void firstSightingsSentJustBeforeMidnightCountInTheirDay() throws Exception {
        RedisServerProcess server = RedisServerProcess.start();
        closing.add(server);
        Instance a = instances(server, 1, Flush.EVERY_TEN_SECONDS)[0];
        at("2027-01-15T18:29:59Z");
        a.visit("198.51.100.1", "browser");
        settle(a);
        for (int v = 0; v < 5; v++) {
            a.tracker.visit(IpAddress.parse("192.0.2." + v), "ua", 0, "/", "browser");
        }
        at("2027-01-15T18:30:00Z");
        settle(a);
        assertEquals(6, a.uniqueVisitors());
        assertEquals(":6", server.command("SCARD", PREFIX + ":" + DAY + ":visitors:browser").trim());
    }

    @Test
    void threeInstancesPublishTheEndedDayOnceAndTheirSumIsExact() throws Exception {
        // a sends the day's counts at every poll, b and c every 10 s as in production: both paths meet.
        RedisServerProcess server = RedisServerProcess.start();
        closing.add(server);
        Instance[] instances = instances(server, 3, Flush.FIRST_AT_ONCE);
        Instance a = instances[0];
        Instance b = instances[1];
        Instance c = instances[2];
        at("2027-01-15T18:29:00Z");
        visitTheDay(a, b, c);
        settle(a, b, c);
        assertEquals(Map.of(), sum(a, b, c), "nothing while the day runs");

        at("2027-01-15T18:30:00Z");
        // After midnight: the same visitor counts in the new day, not in the ended one.
        a.visit("198.51.100.0", "browser");
        settle(a, b, c);
        assertEquals(Map.of(), sum(a, b, c), "not before every instance has had its grace to send its counts");
        String hash = PREFIX + ":" + DAY + ":depth:browser";
        assertEquals(":" + REQUESTS.length, server.command("HLEN", hash).trim());
        assertEquals(sortedRequests(), hashValues(server, hash), "each visitor's requests summed over the instances");

        at("2027-01-15T18:31:00.001Z");
        await(() -> !sum(a, b, c).isEmpty(), a, b, c);
        settle(a, b, c);
        assertEquals(EXPECTED, sum(a, b, c));
        assertEquals(1, publishers(a, b, c));
        assertEquals("$4\r\ndone", server.command("GET", PREFIX + ":" + DAY + ":depth-published").trim());

        // The others look again later, find the day done, and add nothing.
        for (int minute = 1; minute <= 3; minute++) {
            at("2027-01-15T18:3" + (1 + minute) + ":00Z");
            settle(a, b, c);
        }
        assertEquals(EXPECTED, sum(a, b, c));
        assertEquals(1, publishers(a, b, c));

        // The new day's hash and the ended one's expire together with their day's sets: 25 h after their day.
        long dayEnd = Instant.parse("2027-01-15T18:30:00Z").getEpochSecond();
        assertEquals(dayEnd + 25 * 3600, expireAt(server, hash));
        assertEquals(dayEnd + 25 * 3600, expireAt(server, PREFIX + ":" + DAY + ":visitors:browser"));
        assertEquals(dayEnd + 25 * 3600, expireAt(server, PREFIX + ":" + DAY + ":depth-clients"));
        assertEquals(dayEnd + 25 * 3600, expireAt(server, PREFIX + ":" + DAY + ":depth-published"));
        assertEquals(dayEnd + 24 * 3600 + 25 * 3600, expireAt(server, PREFIX + ":" + DAY.plusDays(1) + ":depth:browser"));
        assertEquals(":0", server.command("EXISTS", PREFIX + ":" + DAY.plusDays(1) + ":depth-published").trim());
    }

    @Test
    void aWinnerThatDiedLeavesALeaseThatExpiresAndAnotherInstancePublishesOnce() throws Exception {
        RedisServerProcess server = RedisServerProcess.start();
        closing.add(server);
        Instance[] instances = instances(server, 2, Flush.EVERY_TEN_SECONDS);
        Instance a = instances[0];
        Instance b = instances[1];
        at("2027-01-15T18:00:00Z");
        visitTheDay(a, b);
        // Counted exactly before the day ends: visits held for a salt still on its way when the day
        // ends are counted alone, never in Redis, and the day would be published without them.
        settle(a, b);
        at("2027-01-15T18:30:00Z");
        settle(a, b);
        // An instance won the day and died before completing it: its lease lasts 2 more seconds.
        server.command("SET", PREFIX + ":" + DAY + ":depth-published", "dead-instance", "PX", "2000");
        at("2027-01-15T18:31:00.001Z");
        settle(a, b);
        assertEquals(Map.of(), sum(a, b));
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (sum(a, b).isEmpty() && System.nanoTime() < deadline) {
            // Each look again comes DepthPublication.RETRY_MILLIS later on the instances' clock.
            now.set(now.get().plusMillis(DepthPublication.RETRY_MILLIS));
            settle(a, b);
            Thread.sleep(200);
        }
        settle(a, b);
        assertEquals(EXPECTED, sum(a, b));
        assertEquals(1, publishers(a, b));
    }

    @Test
    void anInstanceStartedAfterTheDayEndedPublishesWhatTheStoppedOnesSent() throws Exception {
        RedisServerProcess server = RedisServerProcess.start();
        closing.add(server);
        Instance[] instances = instances(server, 2, Flush.ALL_AT_ONCE);
        Instance a = instances[0];
        Instance b = instances[1];
        at("2027-01-15T12:00:00Z");
        visitTheDay(a, b);
        settle(a, b);
        // Both stop during the day (a rolling restart that took until after midnight).
        a.close();
        b.close();
        at("2027-01-15T20:00:00Z");
        Instance c = new Instance(server.url());
        await(() -> !c.bands().isEmpty(), c);
        settle(c);
        assertEquals(EXPECTED, c.bands());
    }

    @Test
    void aRedisThatLostTheDayGetsEachInstancesShareBackAndTheDayIsWhole() throws Exception {
        RedisServerProcess server = RedisServerProcess.start();
        closing.add(server);
        Instance[] instances = instances(server, 2, Flush.ALL_AT_ONCE);
        Instance a = instances[0];
        Instance b = instances[1];
        at("2027-01-15T17:00:00Z");
        visitTheDay(a, b);
        settle(a, b);
        String hash = PREFIX + ":" + DAY + ":depth:browser";
        server.command("FLUSHALL");
        // Each notices the loss within a second and sends its whole share again: the sums are whole.
        await(() -> {
            try {
                return hashValues(server, hash).equals(sortedRequests());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, a, b);
        settle(a, b);
        at("2027-01-15T18:30:00Z");
        settle(a, b);
        at("2027-01-15T18:31:00.001Z");
        await(() -> !sum(a, b).isEmpty(), a, b);
        settle(a, b);
        assertEquals(EXPECTED, sum(a, b));
    }

    @Test
    void theTwentyFiveHourDayKeepsItsVisitorsAllDayAndTheDayBeforeKeepsItsKeysUntilItEnds() throws Exception {
        // 2027-10-31 in Berlin: 00:00 CEST (22:00Z on the 30th) to 00:00 CET (23:00Z on the 31st).
        acrossADaylightSavingChange(LocalDate.of(2027, 10, 31), Instant.parse("2027-10-30T22:00:00Z"),
                Instant.parse("2027-10-31T23:00:00Z"));
    }

    @Test
    void theTwentyThreeHourDayEndsAnHourEarlyAndStartsTheNextDayAtMidnight() throws Exception {
        // 2027-03-28 in Berlin: 00:00 CET (23:00Z on the 27th) to 00:00 CEST (22:00Z on the 28th).
        acrossADaylightSavingChange(LocalDate.of(2027, 3, 28), Instant.parse("2027-03-27T23:00:00Z"),
                Instant.parse("2027-03-28T22:00:00Z"));
    }

    /**
     * Two instances; visitor X on the day before, at the day's first and last minute, and after it;
     * visitor Y within the day. Each day counts its own visitors once, the gauges start each day at
     * nothing, each day has its own salt, the day before keeps its keys for all of the day (so that
     * its depth can be published during it), and each day's depth is published once.
     */
    private void acrossADaylightSavingChange(LocalDate day, Instant start, Instant end) throws Exception {
        zone = ZoneId.of("Europe/Berlin");
        now.set(start.minusSeconds(60));
        RedisServerProcess server = RedisServerProcess.start();
        closing.add(server);
        Instance[] instances = instances(server, 2, Flush.ALL_AT_ONCE);
        Instance a = instances[0];
        Instance b = instances[1];
        now.set(start.minusSeconds(60));
        a.visit("192.0.2.10", "browser");
        settle(a, b);
        assertEquals(Map.of("browser", 1L), a.tracker.today().visitors());

        now.set(start);
        assertEquals(Map.of(), a.tracker.today().visitors(), "the gauge starts the day at nothing");
        assertEquals(Map.of(), b.tracker.today().visitors());
        b.visit("192.0.2.10", "browser");
        a.visit("192.0.2.11", "browser");
        settle(a, b);
        assertEquals(3, a.uniqueVisitors() + b.uniqueVisitors(), "X counts again in the new day");
        // A scrape reuses figures read less than a second ago (the empty ones above).
        await(() -> b.tracker.today().visitors().equals(Map.of("browser", 2L)), a, b);

        now.set(end.minusSeconds(60));
        a.visit("192.0.2.10", "browser");
        b.visit("192.0.2.11", "browser");
        settle(a, b);
        assertEquals(3, a.uniqueVisitors() + b.uniqueVisitors(), "the same day, " + Duration.between(start, end));
        await(() -> a.tracker.today().visitors().equals(Map.of("browser", 2L)), a, b);
        assertEquals(Map.of("browser 1", 1.0), sum(a, b), "the day before, published during this one");

        String before = PREFIX + ":" + day.minusDays(1) + ":";
        String during = PREFIX + ":" + day + ":";
        String saltBefore = server.command("GET", before + "salt");
        assertTrue(saltBefore.startsWith("$32\r\n"), saltBefore);
        assertTrue(!saltBefore.equals(server.command("GET", during + "salt")), "each day its own salt");
        assertEquals(":1", server.command("SCARD", before + "visitors:browser").trim());
        assertEquals(":2", server.command("SCARD", during + "visitors:browser").trim());
        // The day before keeps its keys 25 h after its end: through all of this day, even of 25 hours.
        long keptUntil = start.getEpochSecond() + 25 * 3600;
        assertTrue(keptUntil >= end.getEpochSecond());
        for (String key : List.of("salt", "visitors:browser", "depth:browser", "sets", "depth-clients")) {
            assertEquals(keptUntil, expireAt(server, before + key), key);
            assertEquals(end.getEpochSecond() + 25 * 3600, expireAt(server, during + key), key);
        }

        now.set(end);
        a.visit("192.0.2.10", "browser");
        settle(a, b);
        assertEquals(4, a.uniqueVisitors() + b.uniqueVisitors());
        assertEquals(Map.of("browser", 1L), a.tracker.today().visitors());
        now.set(end.plusMillis(DepthPublication.GRACE_MILLIS));
        await(() -> sum(a, b).size() == 2, a, b);
        settle(a, b);
        assertEquals(Map.of("browser 1", 1.0, "browser 2-5", 2.0), sum(a, b));
    }

    private static List<Long> sortedRequests() {
        List<Long> requests = new ArrayList<>();
        for (int r : REQUESTS) {
            requests.add((long) r);
        }
        requests.sort(null);
        return requests;
    }

    /** The hash's values (the fields are fingerprints), sorted. */
    private static List<Long> hashValues(RedisServerProcess server, String key) throws Exception {
        List<Long> values = new ArrayList<>();
        for (String line : server.command("HVALS", key).split("\r\n")) {
            if (!line.isEmpty() && Character.isDigit(line.charAt(0))) {
                values.add(Long.parseLong(line));
            }
        }
        values.sort(null);
        return values;
    }

    private static long expireAt(RedisServerProcess server, String key) throws Exception {
        String ttl = server.command("TTL", key).trim();
        assertTrue(ttl.startsWith(":") && Long.parseLong(ttl.substring(1)) > 0, key + " ttl " + ttl);
        // TTL counts from the real clock; round to the minute the expiry was set on.
        long at = System.currentTimeMillis() / 1000 + Long.parseLong(ttl.substring(1));
        return Math.round(at / 60.0) * 60;
    }
}
