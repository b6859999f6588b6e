package io.headcount.it.harness;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** The agent's {@code /metrics} endpoint on {@code 127.0.0.1:<port>}. */
public final class MetricsEndpoint {
    private static final Duration LIMIT = Duration.ofSeconds(10);

    private final Http http = new Http();
    private final int port;

    public MetricsEndpoint(int port) {
        this.port = port;
    }

    public String url() {
        return "http://127.0.0.1:" + port + "/metrics";
    }

    /** One scrape; fails if the endpoint does not answer 200. */
    public PrometheusText scrape() {
        HttpResponse<String> response = http.get(url()).send();
        if (response.statusCode() != 200) {
            throw new AssertionError(url() + " answered " + response.statusCode() + ": " + response.body());
        }
        return PrometheusText.parse(response.body());
    }

    /**
     * Scrapes until {@code done} holds, for at most 10 seconds, and returns the last scrape (or fails
     * when no scrape succeeded). The agent counts on its own worker thread, so the
     * last requests sent may show a moment later; the caller then asserts exact values on what it
     * gets, whether or not {@code done} was reached.
     */
    public PrometheusText scrapeUntil(Predicate<PrometheusText> done) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        PrometheusText last = null;
        Throwable lastFailure = null;
        while (true) {
            try {
                last = scrape();
                if (done.test(last)) {
                    return last;
                }
            } catch (RuntimeException | AssertionError e) {
                lastFailure = e;
            }
            if (System.nanoTime() > deadline) {
                if (last != null) {
                    return last;
                }
                throw new AssertionError("no metrics at " + url() + " within " + LIMIT.toSeconds() + " s", lastFailure);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
