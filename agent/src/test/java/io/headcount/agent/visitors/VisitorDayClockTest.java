package io.headcount.agent.visitors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class VisitorDayClockTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private final AtomicReference<Instant> now = new AtomicReference<>();
    private final VisitorDayClock clock = new VisitorDayClock(new Clock() {
        @Override public ZoneId getZone() { return BERLIN; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now.get(); }
    });

    private LocalDate at(String instant) {
        now.set(Instant.parse(instant));
        return clock.today();
    }

    @Test
    void daysTurnAtMidnightInTheZoneAcrossADaylightSavingChange() {
        // 2026-03-29 in Berlin has 23 hours: it starts at 23:00Z on the 28th and ends at 22:00Z.
        assertEquals(LocalDate.of(2026, 3, 28), at("2026-03-28T22:59:59.999Z"));
        assertEquals(LocalDate.of(2026, 3, 29), at("2026-03-28T23:00:00Z"));
        assertEquals(LocalDate.of(2026, 3, 29), at("2026-03-29T21:59:59.999Z"));
        assertEquals(LocalDate.of(2026, 3, 30), at("2026-03-29T22:00:00Z"));
    }

    @Test
    void aClockSetBackGivesTheEarlierDay() {
        assertEquals(LocalDate.of(2026, 11, 25), at("2026-11-25T12:00:00Z"));
        assertEquals(LocalDate.of(2026, 11, 24), at("2026-11-24T12:00:00Z"));
        assertEquals(LocalDate.of(2026, 11, 25), at("2026-11-25T00:00:00Z"));
    }
}
