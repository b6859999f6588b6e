package io.headcount.agent.visitors;

import java.time.LocalDate;

/**
 * One visitor day: its date in {@code day.zone}, where it starts and ends, and until when Redis
 * keeps its keys. Immutable, so that a racing reader sees a whole one or the one before.
 */
public final class VisitorDay {
    /** Redis keeps a day's keys until this long after the day ends, then forgets them. */
    static final long KEEP_AFTER_DAY_END_SECONDS = 25 * 3600L;

    private final LocalDate date;
    private final long startMillis;
    private final long endMillis;

    VisitorDay(LocalDate date, long startMillis, long endMillis) {
        this.date = date;
        this.startMillis = startMillis;
        this.endMillis = endMillis;
    }

    public LocalDate date() {
        return date;
    }

    /** The epoch millisecond at which the next day starts. */
    long endMillis() {
        return endMillis;
    }

    boolean contains(long epochMillis) {
        return epochMillis >= startMillis && epochMillis < endMillis;
    }

    /** The epoch second at which Redis forgets the day's keys. */
    long expiryEpochSecond() {
        return Math.floorDiv(endMillis, 1000L) + KEEP_AFTER_DAY_END_SECONDS;
    }

    @Override
    public String toString() {
        return date.toString();
    }
}
