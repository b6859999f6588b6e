package io.headcount.agent.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UtcTimestampTest {
    @Test
    void writesWhatInstantWritesWithTheFractionInGroupsOfThree() {
        assertEquals("1970-01-01T00:00:00Z", UtcTimestamp.of(Instant.EPOCH));
        assertEquals("2026-12-04T17:12:40.466232608Z", UtcTimestamp.of(Instant.parse("2026-12-04T17:12:40.466232608Z")));
        assertEquals("2026-12-04T17:12:40.466232Z", UtcTimestamp.of(Instant.parse("2026-12-04T17:12:40.466232Z")));
        assertEquals("2026-12-04T17:12:40.466Z", UtcTimestamp.of(Instant.parse("2026-12-04T17:12:40.466Z")));
        assertEquals("2026-12-04T17:12:40.000000001Z", UtcTimestamp.of(Instant.parse("2026-12-04T17:12:40.000000001Z")));
        assertEquals("2028-02-29T23:59:59.999Z", UtcTimestamp.of(Instant.parse("2028-02-29T23:59:59.999Z")));
        assertEquals("2100-03-01T00:00:00Z", UtcTimestamp.of(Instant.parse("2100-03-01T00:00:00Z")));
        assertEquals("9999-12-31T23:59:59.999999999Z", UtcTimestamp.of(Instant.parse("9999-12-31T23:59:59.999999999Z")));
    }

    @Test
    void agreesWithInstantOnAMillionRandomInstantsFrom1970To9999() {
        SplittableRandom random = new SplittableRandom(20261204);
        long last = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 1_000_000; i++) {
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(random.nextLong(last + 1), nano);
            assertEquals(instant.toString(), UtcTimestamp.of(instant));
        }
    }
}
