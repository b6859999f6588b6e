package io.headcount.agent.visitors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.headcount.agent.metrics.HeadcountMetrics;
import io.headcount.agent.net.IpAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * In-memory mode across the end of a visitor day in zones other than UTC, and across both
 * daylight-saving changes (Europe/Berlin 2026-03-29 has 23 hours, 2026-10-25 has 25): the salt,
 * the day's visitors and the {@code _today} gauges start again at the zone's midnight and not
 * before, and each visitor's requests of the ended day are published once, by band.
 */
class InMemoryDayBoundaryTest {
    private final HeadcountMetrics metrics = new HeadcountMetrics();
    private final AtomicReference<Instant> now = new AtomicReference<>();

    private InMemoryVisitorTracker tracker(String zone) {
        ZoneId id = ZoneId.of(zone);
        VisitorDayClock clock = new VisitorDayClock(new Clock() {
            @Override public ZoneId getZone() { return id; }
            @Override public Clock withZone(ZoneId other) { return this; }
            @Override public Instant instant() { return now.get(); }
        });
        return new InMemoryVisitorTracker(metrics, clock, 1000, new SecureRandom());
    }

    private void at(String instant) {
        now.set(Instant.parse(instant));
    }

    private double counter(String metric, String... labels) {
        return Scrapes.counter(metrics, metric, labels);
    }

    private Map<String, Double> bands() {
        return Scrapes.bands(metrics);
    }

    private static void visits(InMemoryVisitorTracker tracker, String address, int requests, String client) {
        for (int i = 0; i < requests; i++) {
            tracker.visit(IpAddress.parse(address), "ua", 0, "/p" + (i % 3), client);
        }
    }

    @Test
    void inKolkataTheDayEndsAtEighteenThirtyUtcAndItsVisitsArePublishedOnceByBand() {
        InMemoryVisitorTracker tracker = tracker("Asia/Kolkata");
        // 2026-11-25 in Kolkata (+05:30) runs from 2026-11-24T18:30Z to 2026-11-25T18:30Z.
        at("2026-11-24T18:30:00Z");
        visits(tracker, "203.0.113.1", 1, "browser");
        visits(tracker, "203.0.113.2", 5, "browser");
        visits(tracker, "203.0.113.3", 6, "browser");
        at("2026-11-25T18:29:59.999Z");
        visits(tracker, "203.0.113.2", 1, "browser");
        visits(tracker, "203.0.113.4", 1200, "script");
        tracker.poll();
        assertEquals(Map.of(), bands(), "nothing is published while the day runs");
        assertEquals(Map.of("browser", 3L, "script", 1L), tracker.today().visitors());
        assertEquals(3, counter("headcount_unique_visitors", "client", "browser"));

        at("2026-11-25T18:30:00Z");
        assertEquals(Map.of(), tracker.today().visitors(), "the gauge starts the new day at nothing");
        tracker.poll();
        assertEquals(Map.of("browser 1", 1.0, "browser 6-10", 2.0, "script 1000+", 1.0), bands());

        visits(tracker, "203.0.113.1", 2, "browser");
        assertEquals(4, counter("headcount_unique_visitors", "client", "browser"), "a new day counts the visitor again");
        assertEquals(Map.of("browser", 1L), tracker.today().visitors());
        tracker.poll();
        at("2026-11-26T18:29:59Z");
        tracker.poll();
        assertEquals(Map.of("browser 1", 1.0, "browser 6-10", 2.0, "script 1000+", 1.0), bands(), "published once");
        at("2026-11-26T18:30:00Z");
        tracker.poll();
        assertEquals(Map.of("browser 1", 1.0, "browser 2-5", 1.0, "browser 6-10", 2.0, "script 1000+", 1.0), bands());
    }

    @Test
    void aVisitBeforeAndAfterNewYorkMidnightCountsInEachDay() {
        InMemoryVisitorTracker tracker = tracker("America/New_York");
        // EST (-05:00): 2026-12-01 ends at 2026-12-02T05:00Z.
        at("2026-12-02T04:59:59Z");
        visits(tracker, "198.51.100.7", 3, "browser");
        at("2026-12-02T05:00:00Z");
        visits(tracker, "198.51.100.7", 4, "browser");
        assertEquals(2, counter("headcount_unique_visitors", "client", "browser"));
        assertEquals(2, counter("headcount_unique_visitors_by_endpoint", "client", "browser", "endpoint", "/p0"));
        assertEquals(Map.of("browser 2-5", 1.0), bands(), "the first day's 3 requests, not the 7 of both");
    }

    @Test
    void theTwentyThreeHourDayEndsAtTwentyTwoUtcAndKeepsAllItsVisits() {
        InMemoryVisitorTracker tracker = tracker("Europe/Berlin");
        // 2026-03-29: 00:00 CET (23:00Z on the 28th) to 00:00 CEST (22:00Z on the 29th).
        at("2026-03-28T22:59:59Z");
        visits(tracker, "192.0.2.1", 1, "browser");
        at("2026-03-28T23:00:00Z");
        visits(tracker, "192.0.2.1", 2, "browser");
        at("2026-03-29T00:59:59Z"); // 01:59:59 CET, just before the clocks jump
        visits(tracker, "192.0.2.1", 2, "browser");
        at("2026-03-29T01:00:00Z"); // 03:00 CEST
        visits(tracker, "192.0.2.1", 2, "browser");
        at("2026-03-29T21:59:59Z"); // 23:59:59 CEST
        visits(tracker, "192.0.2.1", 4, "browser");
        visits(tracker, "192.0.2.2", 1, "browser");
        assertEquals(3, counter("headcount_unique_visitors", "client", "browser"));
        assertEquals(Map.of("browser", 2L), tracker.today().visitors());
        assertEquals(Map.of("browser 1", 1.0), bands(), "only the 28th, ended at 23:00Z");
        at("2026-03-29T22:00:00Z");
        assertEquals(Map.of(), tracker.today().visitors());
        tracker.poll();
        assertEquals(Map.of("browser 1", 2.0, "browser 6-10", 1.0), bands());
    }

    @Test
    void theTwentyFiveHourDayKeepsItsVisitorForAllTwentyFiveHours() {
        InMemoryVisitorTracker tracker = tracker("Europe/Berlin");
        // 2026-10-25: 00:00 CEST (22:00Z on the 24th) to 00:00 CET (23:00Z on the 25th).
        at("2026-10-24T21:59:59Z");
        visits(tracker, "192.0.2.1", 1, "browser");
        at("2026-10-24T22:00:00Z");
        visits(tracker, "192.0.2.1", 1, "browser");
        at("2026-10-25T00:30:00Z"); // 02:30 CEST, the first of the two
        visits(tracker, "192.0.2.1", 1, "browser");
        at("2026-10-25T01:30:00Z"); // 02:30 CET, the second
        visits(tracker, "192.0.2.1", 1, "browser");
        at("2026-10-25T22:59:59Z"); // 23:59:59 CET, 24 h 59 min 59 s into the day
        visits(tracker, "192.0.2.1", 8, "browser");
        assertEquals(2, counter("headcount_unique_visitors", "client", "browser"));
        assertEquals(Map.of("browser", 1L), tracker.today().visitors());
        at("2026-10-25T23:00:00Z");
        visits(tracker, "192.0.2.1", 1, "browser");
        assertEquals(3, counter("headcount_unique_visitors", "client", "browser"));
        assertEquals(Map.of("browser 1", 1.0, "browser 11-20", 1.0), bands());
    }
}
