package io.headcount.agent.visitors;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Tells which visitor day it is: days start at midnight in the configured zone. Asked once per
 * visit, so it keeps the current day with its bounds and compares milliseconds, instead of
 * working out a date from the zone's rules every time.
 */
public final class VisitorDayClock {
    private final Clock clock;
    /** Immutable, so that a racing reader sees a whole one or the one before. */
    private Day current = new Day(LocalDate.MIN, Long.MAX_VALUE, Long.MIN_VALUE);

    public VisitorDayClock(ZoneId zone) {
        this(Clock.system(zone));
    }

    public VisitorDayClock(Clock clock) {
        this.clock = clock;
    }

    public LocalDate today() {
        long now = clock.millis();
        Day day = current;
        if (now >= day.startMillis && now < day.endMillis) {
            return day.date;
        }
        ZoneId zone = clock.getZone();
        LocalDate date = Instant.ofEpochMilli(now).atZone(zone).toLocalDate();
        day = new Day(date, date.atStartOfDay(zone).toInstant().toEpochMilli(),
                date.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli());
        current = day;
        return date;
    }

    private static final class Day {
        final LocalDate date;
        final long startMillis;
        final long endMillis;

        Day(LocalDate date, long startMillis, long endMillis) {
            this.date = date;
            this.startMillis = startMillis;
            this.endMillis = endMillis;
        }
    }
}
