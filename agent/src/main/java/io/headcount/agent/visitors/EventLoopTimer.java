package io.headcount.agent.visitors;

import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.TimerTask;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Lettuce's timer, run by the agent's one I/O thread's own scheduler instead of a thread of its
 * own. Lettuce times only a few things with it for the agent's client (the handshake's deadline,
 * the delay before each reconnect, a cluster's topology queries), since the agent's commands have
 * no lettuce timeout; Netty's {@code HashedWheelTimer}, lettuce's default, keeps a thread awake
 * ten times a second to turn its wheel for them, and its stack and allocation buffer resident.
 * A task that throws is logged as the wheel timer logs it, through Netty's logger.
 */
final class EventLoopTimer implements Timer {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(EventLoopTimer.class);

    private final EventExecutorGroup executor;
    private volatile boolean stopped;

    EventLoopTimer(EventExecutorGroup executor) {
        this.executor = executor;
    }

    @Override
    public Timeout newTimeout(TimerTask task, long delay, TimeUnit unit) {
        if (task == null || unit == null) {
            throw new NullPointerException(task == null ? "task" : "unit");
        }
        if (stopped) {
            throw new IllegalStateException("the agent's Redis timer is stopped");
        }
        ScheduledTimeout timeout = new ScheduledTimeout(task);
        timeout.future = executor.schedule(timeout, delay, unit);
        return timeout;
    }

    /**
     * Takes no new timeouts; those pending run or are dropped as the event loop stops, which the
     * resources do next, so none is returned.
     */
    @Override
    public Set<Timeout> stop() {
        stopped = true;
        return Collections.emptySet();
    }

    private final class ScheduledTimeout implements Timeout, Runnable {
        private final TimerTask task;
        private volatile ScheduledFuture<?> future;
        private volatile boolean expired;
        private volatile boolean cancelled;

        ScheduledTimeout(TimerTask task) {
            this.task = task;
        }

        @Override
        public void run() {
            if (cancelled) {
                return;
            }
            expired = true;
            try {
                task.run(this);
            } catch (Throwable t) {
                logger.warn("An exception was thrown by " + TimerTask.class.getSimpleName() + '.', t);
            }
        }

        @Override
        public Timer timer() {
            return EventLoopTimer.this;
        }

        @Override
        public TimerTask task() {
            return task;
        }

        @Override
        public boolean isExpired() {
            return expired;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean cancel() {
            if (expired || cancelled) {
                return false;
            }
            cancelled = true;
            ScheduledFuture<?> scheduled = future;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
            return true;
        }
    }
}
