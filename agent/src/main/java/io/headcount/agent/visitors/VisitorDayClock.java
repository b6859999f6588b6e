package io.headcount.agent.visitors;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Tells which visitor day it is: days start at midnight in the configured zone. Asked once per
 * visit, so it keeps the current {@link VisitorDay} and compares milliseconds, instead of working
 * out a date from the zone's rules every time.
 */
public final class VisitorDayClock {
    private final Clock clock;
    private volatile VisitorDay current = new VisitorDay(LocalDate.MIN, Long.MAX_VALUE, Long.MIN_VALUE);

    public VisitorDayClock(ZoneId zone) {
        this(Clock.system(zone));
    }

    public VisitorDayClock(Clock clock) {
        this.clock = clock;
    }

    public LocalDate today() {
        return day().date();
    }

    /** The visitor day now. */
    public VisitorDay day() {
        long now = clock.millis();
        VisitorDay day = current;
        if (day.contains(now)) {
            return day;
        }
        day = dayOf(Instant.ofEpochMilli(now).atZone(clock.getZone()).toLocalDate());
        current = day;
        return day;
    }

    /** Any visitor day of the zone: from its midnight (or first moment, where a change skips midnight) to the next. */
    public VisitorDay dayOf(LocalDate date) {
        ZoneId zone = clock.getZone();
        return new VisitorDay(date, date.atStartOfDay(zone).toInstant().toEpochMilli(),
                date.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli());
    }

    /** The clock's time in epoch milliseconds: how long a visit has been held is measured with it. */
    public long millis() {
        return clock.millis();
    }
}
