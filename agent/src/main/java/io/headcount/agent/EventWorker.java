package io.headcount.agent;

import io.headcount.agent.bootstrap.EventQueue;
import io.headcount.agent.bootstrap.HeadcountSink;
import io.headcount.agent.bootstrap.RequestEvent;
import io.headcount.agent.log.AgentLog;
import io.headcount.agent.visitors.WorkerClock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The one thread that does the agent's work, so that request threads never do more than offer an
 * event. It drains the queue in bursts and sleeps when it is empty instead of being woken per
 * event: a wake-up per request would cost the app more than the counting itself. A sleep costs
 * the worker tens of microseconds of CPU on a virtual machine, as much as a hundred events, so it
 * sleeps long; the queue wakes it sooner each time a quarter of its capacity has been offered.
 */
final class EventWorker implements Runnable {
    /** Scrapes wake the worker themselves ({@link #awaitCaughtUp}); the day's end and Redis's checks can wait this long. */
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** While replies from outside (Redis) are due, look for them sooner. */
    private static final long AWAITING_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Under steady load the queue never runs dry: still give the tracker a turn this often. */
    static final int EVENTS_PER_BURST = 256;

    private final EventQueue queue;
    private final RequestRecorder recorder;
    /** diagnostic.worker=discard: events are taken off the queue and dropped unprocessed. */
    private final boolean discard;
    /** The visitor trackers' time, read here once per burst instead of once per visit; null when they keep their own. */
    private final WorkerClock clock;
    private volatile Thread thread;
    private volatile boolean stopped;
    /** Events recorded so far (failed ones included); written by the worker only. */
    private volatile long processed;
    private volatile long failures;
    /** The advice's failures said in a log line so far, and when the last line was; worker only. */
    private long adviceFailuresLogged;
    private long adviceLineNanos;

    EventWorker(EventQueue queue, RequestRecorder recorder) {
        this(queue, recorder, false, null);
    }

    EventWorker(EventQueue queue, RequestRecorder recorder, boolean discard, WorkerClock clock) {
        this.queue = queue;
        this.recorder = recorder;
        this.discard = discard;
        this.clock = clock;
    }

    void start() {
        Thread worker = new Thread(this, "headcount-worker");
        worker.setDaemon(true);
        thread = worker;
        worker.start();
    }

    @Override
    public void run() {
        int sinceBurstEnd = 0;
        while (!stopped) {
            RequestEvent event = queue.poll();
            if (event == null || ++sinceBurstEnd >= EVENTS_PER_BURST) {
                sinceBurstEnd = 0;
                betweenBursts();
            }
            if (event == null) {
                queue.sleep(this, recorder.settled() ? IDLE_PARK_NANOS : AWAITING_PARK_NANOS);
                tick();
                continue;
            }
            try {
                if (!discard) {
                    recorder.record(event);
                }
            } catch (Throwable t) {
                failures++;
                AgentLog.errorAtMostOncePerMinute("worker", "could not count a request", t);
            }
            processed++;
        }
    }

    private void betweenBursts() {
        tick();
        logAdviceFailures();
        try {
            recorder.betweenBursts();
        } catch (Throwable t) {
            failures++;
            AgentLog.errorAtMostOncePerMinute("worker", "could not read visitor replies", t);
        }
    }

    /**
     * The advice runs on request threads, where it only counts its failures: the worker says them
     * in one line at most once a minute, with the last one's type and place, never its message,
     * which could quote a request.
     */
    private void logAdviceFailures() {
        long failed = HeadcountSink.adviceErrors();
        if (failed == adviceFailuresLogged) {
            return;
        }
        long now = System.nanoTime();
        if (adviceFailuresLogged > 0 && now - adviceLineNanos < TimeUnit.MINUTES.toNanos(1)) {
            return;
        }
        AgentLog.error(adviceFailuresLine(failed - adviceFailuresLogged, adviceFailuresLogged == 0,
                HeadcountSink.lastAdviceFailure()));
        adviceFailuresLogged = failed;
        adviceLineNanos = now;
    }

    static String adviceFailuresLine(long failures, boolean first, String last) {
        String what = last == null ? "" : " (the last: " + last + ")";
        return "the advice failed " + failures + (failures == 1 ? " time" : " times") + " on request threads since "
                + (first ? "the start" : "the last such line") + what
                + "; the app never saw it, and those requests may be uncounted (headcount_agent_errors_total)";
    }

    private void tick() {
        if (clock != null) {
            clock.tick();
        }
    }

    /**
     * Waits until every event offered before this call has been counted, or until the timeout,
     * so that a scrape reflects the requests that ended before it.
     */
    void awaitCaughtUp(long timeoutMillis) {
        long target = queue.offered();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        Thread worker = thread;
        while ((processed < target || !recorder.settled())
                && System.nanoTime() < deadline && worker != null && worker.isAlive()) {
            LockSupport.unpark(worker);
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
        }
    }

    long failures() {
        return failures;
    }

    /** Ends the worker's sleep, if it sleeps, so that it polls its tracker now. Any thread. */
    void wake() {
        Thread worker = thread;
        if (worker != null) {
            LockSupport.unpark(worker);
        }
    }

    void stop() {
        stopped = true;
        wake();
    }
}
