package io.headcount.agent.visitors;

/**
 * Decides whether a visit is a visitor's first of the day, in total and on an endpoint, and counts
 * it if so. Called by the worker thread only; an implementation must never block it.
 */
public interface VisitorTracker extends AutoCloseable {
    /**
     * @param clientAddress the client's 4 or 16 address bytes, never changed by the tracker; an
     *     IPv6 client is keyed by its /64
     * @param userAgent the raw User-Agent, "" when absent
     * @param userAgentId a number that stands for this User-Agent and no other for the life of the
     *     process (the worker's classification cache gives one), or 0
     * @param endpoint the endpoint label of the request
     * @param client the client label (never {@code bot}: bots are not visitors)
     */
    void visit(byte[] clientAddress, String userAgent, long userAgentId, String endpoint, String client);

    /** Visitors seen but not remembered because the day's memory bound was reached. */
    long untracked();

    /**
     * What waits to be counted: visits held for the day's salt, and first sightings (of a visitor in
     * total, or on an endpoint) backlogged or awaiting Redis's reply; any thread.
     */
    default long pending() {
        return 0;
    }

    /** The current visitor day's distinct visitors, for the {@code _today} gauges; any thread. */
    TodayFigures today();

    /** Called by the worker between bursts of events: read replies that arrived, send what is queued. */
    default void poll() {
    }

    /**
     * Gives the tracker what wakes the worker, for a change outside that the worker must act on
     * soon although it has no event to count (Redis mode: a connection made). Called once, before
     * the worker starts.
     */
    default void wakeWorkerWith(Runnable wake) {
    }

    /** Whether nothing is waiting on an outside answer; any thread may ask. */
    default boolean settled() {
        return true;
    }

    @Override
    default void close() {
    }
}
