package io.headcount.agent.visitors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The worker's clock gives the time of its last tick, in its source's zone, until the next tick. */
class WorkerClockTest {
    private static final ZoneId KOLKATA = ZoneId.of("Asia/Kolkata");
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-06T18:29:59.998Z"));
    private final Clock source = new Clock() {
        @Override public ZoneId getZone() { return KOLKATA; }
        @Override public Clock withZone(ZoneId zone) { throw new UnsupportedOperationException(); }
        @Override public Instant instant() { return now.get(); }
    };

    @Test
    void givesTheTimeOfItsCreationUntilTheFirstTick() {
        WorkerClock clock = new WorkerClock(source);
        now.set(Instant.parse("2026-12-06T18:30:00.001Z"));
        assertEquals(Instant.parse("2026-12-06T18:29:59.998Z").toEpochMilli(), clock.millis());
        assertEquals(Instant.parse("2026-12-06T18:29:59.998Z"), clock.instant());
    }

    @Test
    void aTickReadsTheSourceOnce() {
        WorkerClock clock = new WorkerClock(source);
        now.set(Instant.parse("2026-12-06T18:30:00.001Z"));
        clock.tick();
        now.set(Instant.parse("2026-12-07T00:00:00Z"));
        assertEquals(Instant.parse("2026-12-06T18:30:00.001Z").toEpochMilli(), clock.millis());
        assertEquals(Instant.parse("2026-12-06T18:30:00.001Z"), clock.instant());
    }

    @Test
    void theVisitorDayChangesAtTheTickAfterTheZonesMidnight() {
        WorkerClock clock = new WorkerClock(source);
        VisitorDayClock days = new VisitorDayClock(clock);
        assertEquals("2026-12-06", days.today().toString());
        now.set(Instant.parse("2026-12-06T18:30:00Z")); // midnight in Kolkata (+05:30)
        assertEquals("2026-12-06", days.today().toString());
        clock.tick();
        assertEquals("2026-12-07", days.today().toString());
    }

    @Test
    void keepsItsSourcesZoneAndNoOther() {
        WorkerClock clock = new WorkerClock(source);
        assertEquals(KOLKATA, clock.getZone());
        assertSame(clock, clock.withZone(ZoneId.of("Asia/Kolkata")));
        UnsupportedOperationException refused = assertThrows(UnsupportedOperationException.class,
                () -> clock.withZone(ZoneId.of("UTC")));
        assertEquals("the worker's clock keeps the zone Asia/Kolkata", refused.getMessage());
    }
}
