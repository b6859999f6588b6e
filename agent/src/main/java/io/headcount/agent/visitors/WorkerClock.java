package io.headcount.agent.visitors;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

/**
 * The system clock as the worker thread last read it. The visitor trackers ask for the time on
 * every visit (which day it is, how long a visit has been held); a read of the system clock costs
 * 20-30 ns on a virtual machine, 5-7% of the worker's whole cost per event. The worker reads it
 * instead at the start of each burst of events, after each sleep and every few hundred events
 * ({@code EventWorker}), so the time it gives is at most one burst old, milliseconds at worst.
 * Another thread reading it (a scrape asking for today's figures) may see the time of the worker's
 * last burst: up to its idle sleep, a tenth of a second, old.
 */
public final class WorkerClock extends Clock {
    private final Clock source;
    private volatile long millis;

    public WorkerClock(Clock source) {
        this.source = source;
        this.millis = source.millis();
    }

    /** Reads the source clock; the worker thread calls it before each burst of events. */
    public void tick() {
        millis = source.millis();
    }

    @Override
    public long millis() {
        return millis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneId getZone() {
        return source.getZone();
    }

    /** Only its own zone: a copy in another would never be ticked, and would stop. */
    @Override
    public Clock withZone(ZoneId zone) {
        if (zone.equals(getZone())) {
            return this;
        }
        throw new UnsupportedOperationException("the worker's clock keeps the zone " + getZone());
    }
}
