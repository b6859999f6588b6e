package io.headcount.agent.visitors;

import java.util.ArrayDeque;

/**
 * Visits that wait, raw, while the day's shared salt is on its way (an instance's start, or a new
 * day while Redis is away), so that they are counted exactly once it arrives instead of alone.
 * Bounded twice: at most {@code maxVisits} visits, and for at most {@code maxMillis} from the
 * first visit held; past the time bound the hold gives up until it is {@link #reset()} (the salt
 * arrived), and every visit it refuses is counted alone. Not thread-safe: the worker owns it.
 *
 * @param <T> a visit
 */
final class VisitHold<T> {
    private final int maxVisits;
    private final long maxMillis;
    private final ArrayDeque<T> held = new ArrayDeque<>();
    private long since;
    private boolean givenUp;

    VisitHold(int maxVisits, long maxMillis) {
        this.maxVisits = maxVisits;
        this.maxMillis = maxMillis;
    }

    /** @return false when the visit cannot wait and must be counted alone */
    boolean offer(T visit, long nowMillis) {
        if (givenUp || held.size() >= maxVisits) {
            return false;
        }
        if (held.isEmpty()) {
            since = nowMillis;
        }
        held.add(visit);
        return true;
    }

    /**
     * Whether the held visits have waited past the time bound; from then on the hold refuses
     * visits until {@link #reset()}. The caller counts the held ones alone ({@link #poll()}).
     */
    boolean overdue(long nowMillis) {
        if (!held.isEmpty() && nowMillis - since >= maxMillis) {
            givenUp = true;
        }
        return givenUp && !held.isEmpty();
    }

    /** The next held visit, oldest first, or null. */
    T poll() {
        return held.poll();
    }

    /** The salt arrived: hold again the next time it is missing. */
    void reset() {
        givenUp = false;
    }

    int size() {
        return held.size();
    }

    boolean givenUp() {
        return givenUp;
    }
}
