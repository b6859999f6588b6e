package io.headcount.agent.visitors;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;

/** Tells which visitor day it is: days start at midnight in the configured zone. */
public final class VisitorDayClock {
    private final Clock clock;

    public VisitorDayClock(ZoneId zone) {
        this(Clock.system(zone));
    }

    public VisitorDayClock(Clock clock) {
        this.clock = clock;
    }

    public LocalDate today() {
        return LocalDate.now(clock);
    }
}
