package io.headcount.agent.metrics;

import java.util.function.LongSupplier;

/**
 * The share of one core that rendering scrapes may take, as a budget of render time that refills
 * with the clock. A request of forty bytes costs a render of the whole registry (about 20 ms for a
 * scrape of 3 MB, twice that gzipped), so without a bound a client that asks in a loop turns the
 * metrics port into a lever on the host's CPU: an attacker's probe of 2026-12-07 kept 1.6 of two
 * cores busy and cost the app 40-50% of its throughput. The budget starts full, so scrapers never
 * wait; only a client that renders more than the share for longer than the burst does. Render time
 * is counted as wall time (without the wait for the worker to catch up), which a busy host only
 * makes longer, so the bound errs on the host's side; and the debt is at most one burst, so that a
 * render stretched by a long collection makes the next scrapes wait at most ten seconds, not go
 * dark for as long as it took.
 */
final class RenderBudget {
    /** Renders may take one tenth of one core over time. */
    static final int SHARE_DIVISOR = 10;
    /** Render time that may be spent at once before the share applies. */
    static final long BURST_NANOS = 1_000_000_000L;

    private final long burstNanos;
    private final LongSupplier clock;
    /** Render time left; negative after a render that overdrew it. Guarded by this. */
    private long balance;
    private long refilledAt;

    RenderBudget(long burstNanos, LongSupplier clock) {
        this.burstNanos = burstNanos;
        this.clock = clock;
        this.balance = burstNanos;
        this.refilledAt = clock.getAsLong();
    }

    /** How long the next render must wait for the budget: 0 while any is left. */
    synchronized long waitNanos() {
        refill();
        return balance >= 0 ? 0 : -balance * SHARE_DIVISOR;
    }

    /** Takes a finished render's time from the budget. */
    synchronized void spent(long nanos) {
        refill();
        balance = Math.max(balance - nanos, -burstNanos);
    }

    private void refill() {
        long now = clock.getAsLong();
        long earned = (now - refilledAt) / SHARE_DIVISOR;
        if (earned > 0) {
            balance = Math.min(burstNanos, balance + earned);
            refilledAt += earned * SHARE_DIVISOR;
        }
    }
}
