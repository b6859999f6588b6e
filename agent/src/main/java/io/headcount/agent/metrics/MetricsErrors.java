package io.headcount.agent.metrics;

import io.headcount.agent.log.AgentLog;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Failed exchanges of the metrics endpoint (a client that went away before its answer, a read
 * timeout, a TLS handshake that failed, a connection closed to make room): counted for
 * {@code headcount_metrics_errors_total}, and logged as one line at most once a minute, never with
 * a stack trace and never with the client's address.
 */
public final class MetricsErrors {
    private static final String LOG_KEY = "metrics-endpoint";

    private final AtomicLong count = new AtomicLong();
    private final AtomicLong unexpected = new AtomicLong();

    public long count() {
        return count.get();
    }

    /** Failures that were the endpoint's own fault (an exception other than I/O): 0 unless there is a bug. */
    long unexpected() {
        return unexpected.get();
    }

    void record(String what, Throwable cause) {
        if (cause != null && !(cause instanceof IOException)) {
            unexpected.incrementAndGet();
        }
        long total = count.incrementAndGet();
        AgentLog.errorAtMostOncePerMinute(LOG_KEY, "a request to the metrics endpoint failed (" + what + "; "
                + total + " so far, counted in headcount_metrics_errors_total, logged at most once a minute)", cause);
    }
}
