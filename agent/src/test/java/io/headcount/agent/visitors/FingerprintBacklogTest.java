package io.headcount.agent.visitors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class FingerprintBacklogTest {
    private static DayKeys day(String date) {
        return new DayKeys("hc", new VisitorDay(LocalDate.parse(date), 0, 1));
    }

    @Test
    void keepsUpToItsBoundOldestFirst() {
        DayKeys today = day("2026-12-03");
        FingerprintBacklog backlog = new FingerprintBacklog(2);
        Sighting first = new Sighting(today.visitors("browser"), 1, 1);
        Sighting second = new Sighting(today.endpoint("/a", "browser"), 1, 99);
        assertTrue(backlog.add(first));
        assertTrue(backlog.add(second));
        assertFalse(backlog.add(new Sighting(today.visitors("browser"), 2, 2)));
        assertEquals(2, backlog.size());
        assertSame(first, backlog.poll());
        assertSame(second, backlog.poll());
        assertNull(backlog.poll());
        assertTrue(backlog.isEmpty());
    }

    @Test
    void takesOutOneDaysSightingsAndKeepsTheOthers() {
        DayKeys yesterday = day("2026-12-02");
        DayKeys today = day("2026-12-03");
        FingerprintBacklog backlog = new FingerprintBacklog(10);
        backlog.add(new Sighting(yesterday.visitors("browser"), 1, 1));
        backlog.add(new Sighting(today.visitors("browser"), 2, 2));
        backlog.add(new Sighting(today.visitors("script"), 3, 3));
        assertEquals(2, backlog.removeDay(today).size());
        assertEquals(1, backlog.size());
        assertEquals(1, backlog.poll().fingerprint);
    }

    @Test
    void aSightingIsStoredAsTheFingerprintsEightBytes() {
        Sighting sighting = new Sighting(day("2026-12-03").visitors("browser"), 0x0102030405060708L, 0);
        assertEquals("[1, 2, 3, 4, 5, 6, 7, 8]", java.util.Arrays.toString(sighting.member()));
    }
}
