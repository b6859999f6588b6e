package io.headcount.agent.visitors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.headcount.agent.metrics.HeadcountMetrics;
import io.headcount.agent.net.IpAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class InMemoryVisitorTrackerTest {
    private final HeadcountMetrics metrics = new HeadcountMetrics();
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-25T10:00:00Z"));
    private final VisitorDayClock clock = new VisitorDayClock(new Clock() {
        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now.get(); }
    });

    private InMemoryVisitorTracker tracker(int max) {
        return new InMemoryVisitorTracker(metrics, clock, max, new SecureRandom());
    }

    private double value(String metric, String... labels) {
        return Scrapes.counter(metrics, metric, labels);
    }

    @Test
    void aVisitorIsCountedOncePerDayAndOncePerEndpoint() {
        InMemoryVisitorTracker tracker = tracker(1000);
        tracker.visit(IpAddress.parse("203.0.113.1"), "ua-1", 0, "/a", "browser");
        tracker.visit(IpAddress.parse("203.0.113.1"), "ua-1", 0, "/a", "browser");
        tracker.visit(IpAddress.parse("203.0.113.1"), "ua-1", 0, "/b", "browser");
        tracker.visit(IpAddress.parse("203.0.113.1"), "ua-2", 0, "/a", "browser");
        tracker.visit(IpAddress.parse("203.0.113.2"), "ua-1", 0, "/a", "script");
        assertEquals(2, value("headcount_unique_visitors", "client", "browser"));
        assertEquals(1, value("headcount_unique_visitors", "client", "script"));
        assertEquals(2, value("headcount_unique_visitors_by_endpoint", "client", "browser", "endpoint", "/a"));
        assertEquals(1, value("headcount_unique_visitors_by_endpoint", "client", "browser", "endpoint", "/b"));
        assertEquals(1, value("headcount_unique_visitors_by_endpoint", "client", "script", "endpoint", "/a"));
    }

    @Test
    void anIpv6VisitorIsItsSlash64AndAMappedAddressIsItsIpv4() {
        InMemoryVisitorTracker tracker = tracker(1000);
        for (int round = 0; round < 2; round++) {
            tracker.visit(IpAddress.parse("2001:db8:1:2::7"), "ua", 5, "/a", "browser");
            tracker.visit(IpAddress.parse("2001:db8:1:2:ffff::8"), "ua", 5, "/a", "browser");
            tracker.visit(IpAddress.parse("2001:db8:1:3::7"), "ua", 5, "/a", "browser");
            tracker.visit(IpAddress.parse("203.0.113.9"), "ua", 5, "/a", "browser");
            tracker.visit(IpAddress.parse("::ffff:203.0.113.9"), "ua", 5, "/a", "browser");
            tracker.visit(IpAddress.parse("0:0:cb00:7109::"), "ua", 5, "/a", "browser");
        }
        // 2001:db8:1:2::/64, 2001:db8:1:3::/64, 203.0.113.9, and the /64 whose bits are 203.0.113.9's.
        assertEquals(4, value("headcount_unique_visitors", "client", "browser"));
        assertEquals(4, value("headcount_unique_visitors_by_endpoint", "client", "browser", "endpoint", "/a"));
    }

    @Test
    void todaysFiguresAreThisInstancesAndStartAgainAtMidnight() {
        InMemoryVisitorTracker tracker = tracker(1000);
        tracker.visit(IpAddress.parse("203.0.113.1"), "ua-1", 0, "/a", "browser");
        tracker.visit(IpAddress.parse("203.0.113.1"), "ua-1", 0, "/b", "browser");
        tracker.visit(IpAddress.parse("203.0.113.2"), "ua-1", 0, "/a", "browser");
        tracker.visit(IpAddress.parse("203.0.113.3"), "ua-1", 0, "/a", "script");
        assertEquals(java.util.Map.of("browser", 2L, "script", 1L), tracker.today().visitors());
        assertEquals(java.util.Map.of("/a", java.util.Map.of("browser", 2L, "script", 1L), "/b", java.util.Map.of("browser", 1L)),
                tracker.today().endpointVisitors());
        now.set(Instant.parse("2026-11-26T00:00:00Z"));
        assertEquals(java.util.Map.of(), tracker.today().visitors());
    }

    @Test
    void aNewDayCountsTheSameVisitorAgain() {
        InMemoryVisitorTracker tracker = tracker(1000);
        tracker.visit(IpAddress.parse("203.0.113.1"), "ua", 0, "/a", "browser");
        now.set(Instant.parse("2026-11-25T23:59:59Z"));
        tracker.visit(IpAddress.parse("203.0.113.1"), "ua", 0, "/a", "browser");
        now.set(Instant.parse("2026-11-26T00:00:00Z"));
        tracker.visit(IpAddress.parse("203.0.113.1"), "ua", 0, "/a", "browser");
        assertEquals(2, value("headcount_unique_visitors", "client", "browser"));
        assertEquals(2, value("headcount_unique_visitors_by_endpoint", "client", "browser", "endpoint", "/a"));
    }

    @Test
    void pastTheBoundNewVisitorsAreUntrackedNotMiscounted() {
        InMemoryVisitorTracker tracker = tracker(2);
        tracker.visit(IpAddress.parse("203.0.113.1"), "ua", 0, "/a", "browser");
        tracker.visit(IpAddress.parse("203.0.113.2"), "ua", 0, "/a", "browser");
        tracker.visit(IpAddress.parse("203.0.113.3"), "ua", 0, "/a", "browser");
        tracker.visit(IpAddress.parse("203.0.113.3"), "ua", 0, "/a", "browser");
        tracker.visit(IpAddress.parse("203.0.113.1"), "ua", 0, "/a", "browser");
        assertEquals(2, value("headcount_unique_visitors", "client", "browser"));
        assertEquals(2, tracker.untracked());
    }

    @Test
    void theTablesAtTheDefaultVisitorsMaxTakeFortySixMebibytes() {
        // 1,000,000 visitors need 2^21 slots at most 3/4 full: 12 bytes a slot in the visitor-endpoint
        // set, 11 in the visit counts (fingerprint, count, client; no sent count in memory mode),
        // which are the day's visitor set too.
        assertEquals(2_097_152, FingerprintSet.slotsFor(1_000_000));
        assertEquals(1024, FingerprintSet.slotsFor(768));
        assertEquals(2048, FingerprintSet.slotsFor(769));
        assertEquals(2_097_152L * 12 + 2_097_152L * 11, InMemoryVisitorTracker.tableBytesAt(1_000_000));
        assertEquals(46L * 1024 * 1024, InMemoryVisitorTracker.tableBytesAt(1_000_000));
        assertEquals(2_097_152L * 13, VisitCounts.bytesAt(1_000_000, true));
    }
}
