package io.headcount.agent.visitors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class VisitCountsTest {
    private static Map<Long, String> all(VisitCounts counts) {
        Map<Long, String> seen = new TreeMap<>();
        counts.forEach((fingerprint, client, count) -> seen.put(fingerprint, client + "=" + count));
        return seen;
    }

    private static List<String> drain(VisitCounts counts, int max) {
        List<String> parts = new ArrayList<>();
        counts.drainUnsent(max, (fingerprint, client, part) -> parts.add(fingerprint + ":" + client + "+" + part));
        parts.sort(null);
        return parts;
    }

    @Test
    void countsEachVisitorsRequestsUpToTheCapUnderTheClientOfItsFirstRequest() {
        VisitCounts counts = new VisitCounts(10, false);
        for (int i = 0; i < 1500; i++) {
            counts.count(7L, i == 0 ? "script" : "browser");
        }
        counts.count(0L, "browser");
        counts.count(0L, "browser");
        assertEquals(Map.of(0L, "browser=2", 7L, "script=1000"), all(counts));
    }

    @Test
    void pastTheBoundANewVisitorIsNotCountedButAKnownOneIs() {
        VisitCounts counts = new VisitCounts(2, false);
        assertEquals(FingerprintSet.Result.ADDED, counts.count(1L, "browser"));
        assertEquals(FingerprintSet.Result.ADDED, counts.count(2L, "browser"));
        assertEquals(FingerprintSet.Result.FULL, counts.count(3L, "browser"));
        assertEquals(FingerprintSet.Result.PRESENT, counts.count(2L, "browser"));
        assertEquals(Map.of(1L, "browser=1", 2L, "browser=2"), all(counts));
    }

    @Test
    void growsPastItsFirstTableWithoutLosingACount() {
        VisitCounts counts = new VisitCounts(100_000, true);
        for (long v = 1; v <= 5000; v++) {
            counts.count(v * 0x9E3779B97F4A7C15L, "browser");
            counts.count(v * 0x9E3779B97F4A7C15L, "browser");
        }
        long[] sum = new long[2];
        counts.forEach((fingerprint, client, count) -> {
            sum[0] += count;
            sum[1]++;
        });
        assertEquals(10_000, sum[0]);
        assertEquals(5000, sum[1]);
        assertEquals(5000, drain(counts, Integer.MAX_VALUE).size());
    }

    @Test
    void sendsOnlyWhatWasNotSentAndAgainWhatFailed() {
        VisitCounts counts = new VisitCounts(10, true);
        counts.count(1L, "browser");
        counts.count(1L, "browser");
        counts.count(2L, "script");
        assertEquals(List.of("1:browser+2", "2:script+1"), drain(counts, 10));
        assertFalse(counts.hasUnsent());
        assertEquals(List.of(), drain(counts, 10));
        counts.count(1L, "browser");
        assertEquals(List.of("1:browser+1"), drain(counts, 10));
        counts.unsend(1L, 1);
        counts.count(1L, "browser");
        assertEquals(List.of("1:browser+2"), drain(counts, 10));
        counts.unsendAll();
        assertEquals(List.of("1:browser+4", "2:script+1"), drain(counts, 10));
    }

    @Test
    void aDrainTakesAtMostItsLimitAndLeavesTheRestForTheNext() {
        VisitCounts counts = new VisitCounts(10, true);
        counts.count(1L, "browser");
        counts.count(2L, "browser");
        counts.count(3L, "browser");
        assertEquals(2, drain(counts, 2).size());
        assertTrue(counts.hasUnsent());
        assertEquals(1, drain(counts, 2).size());
        assertFalse(counts.hasUnsent());
    }

    @Test
    void aCappedVisitorHasNothingMoreToSend() {
        VisitCounts counts = new VisitCounts(10, true);
        for (int i = 0; i < 1000; i++) {
            counts.count(5L, "browser");
        }
        assertEquals(List.of("5:browser+1000"), drain(counts, 10));
        counts.count(5L, "browser");
        assertFalse(counts.hasUnsent());
    }
}
