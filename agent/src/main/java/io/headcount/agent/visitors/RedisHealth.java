package io.headcount.agent.visitors;

/**
 * Whether Redis is up: connected, and answering. A connection can stay open while Redis answers
 * nothing (a stopped or stuck process, a full event loop), so a reply overdue past
 * {@code redis.timeout-ms} makes it down too, and the next reply makes it up again. Each method
 * says whether that changed {@link #up()}, so the caller logs one line per change. Thread-safe.
 */
final class RedisHealth {
    enum Change { NONE, UP, DOWN }

    private boolean connected;
    private boolean answering = true;
    private volatile boolean up;
    /** How many times a connection was made; a change tells the tracker to agree the day again. */
    private volatile long connections;

    synchronized Change connected() {
        if (!connected) {
            connections++;
        }
        connected = true;
        answering = true;
        return update();
    }

    synchronized Change disconnected() {
        connected = false;
        return update();
    }

    /** A reply is later than the timeout. */
    synchronized Change overdue() {
        answering = false;
        return update();
    }

    /** A reply arrived. */
    synchronized Change replied() {
        answering = true;
        return update();
    }

    boolean up() {
        return up;
    }

    boolean answering() {
        return answering;
    }

    long connections() {
        return connections;
    }

    private Change update() {
        boolean now = connected && answering;
        if (now == up) {
            return Change.NONE;
        }
        up = now;
        return now ? Change.UP : Change.DOWN;
    }
}
