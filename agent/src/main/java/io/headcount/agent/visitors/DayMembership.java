package io.headcount.agent.visitors;

/**
 * This instance's part in one day's shared count, read from its marker key in Redis: written when
 * it joins the day, so that finding it gone later means Redis lost the day (restarted without
 * persistence, flushed, failed over to an empty replica). After a loss every instance gives back
 * the visitors it knows; new sightings wait {@code settleMillis} first, so that a visitor another
 * instance has not given back yet is not counted again. Not thread-safe: the worker owns it.
 */
final class DayMembership {
    /** What the marker's presence means. */
    enum Finding {
        /** Not joined yet: write the marker. */
        JOIN,
        /** Joined and the marker is there: Redis kept the day. */
        PRESENT,
        /** Joined and the marker is gone: Redis lost the day. */
        LOST
    }

    private final long settleMillis;
    private boolean joined;
    private long settledAt = Long.MIN_VALUE;

    DayMembership(long settleMillis) {
        this.settleMillis = settleMillis;
    }

    Finding markerFound(boolean present, long nowMillis) {
        if (!joined) {
            joined = true;
            return Finding.JOIN;
        }
        if (present) {
            return Finding.PRESENT;
        }
        settledAt = nowMillis + settleMillis;
        return Finding.LOST;
    }

    /** Another server process took over (failover, restart): wait as after a loss, for the others' give-back. */
    void serverChanged(long nowMillis) {
        settledAt = nowMillis + settleMillis;
    }

    /** Whether new sightings must still wait after a loss. */
    boolean settling(long nowMillis) {
        return nowMillis < settledAt;
    }

    boolean joined() {
        return joined;
    }
}
