package io.headcount.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.headcount.agent.bootstrap.EventQueue;
import io.headcount.agent.bootstrap.HeadcountSink;
import io.headcount.agent.bootstrap.RequestEvent;
import io.headcount.agent.metrics.HeadcountMetrics;
import io.headcount.agent.visitors.InMemoryVisitorTracker;
import io.headcount.agent.visitors.TodayFigures;
import io.headcount.agent.visitors.VisitorDayClock;
import io.headcount.agent.visitors.VisitorTracker;
import io.headcount.agent.visitors.WorkerClock;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The worker thread with a recorder that fails: it counts the failure and goes on with the next
 * event. And the clock it reads for the visitor trackers once per burst.
 */
class EventWorkerTest {
    private static final String BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"
            + " (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
    private static final String BOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

    private final HeadcountMetrics metrics = new HeadcountMetrics();
    private final EventQueue queue = new EventQueue(64);
    private final EventWorker worker = new EventWorker(queue,
            TestRecorders.recorder(metrics, new FailingTracker(), List.of(), 100, 100));

    @AfterEach
    void stop() {
        worker.stop();
    }

    @Test
    void aFailingRecordIsCountedAndTheNextEventsAreStillRecorded() {
        worker.start();
        for (int i = 0; i < 3; i++) {
            queue.offer(event(BROWSER)); // reaches the tracker, which throws
        }
        queue.offer(event(BOT)); // bots are no visitors: recorded without the tracker
        worker.awaitCaughtUp(60_000);
        assertEquals(3, worker.failures());
        assertEquals(4.0, requests());
    }

    @Test
    void theAdvicesFailuresAreSaidWithTheirTypeAndPlaceNeverTheirMessage() {
        HeadcountSink.adviceFailed(failWith("Mozilla/5.0 (a visitor's own text)"));
        String failure = HeadcountSink.lastAdviceFailure();
        assertEquals("the advice failed 2 times on request threads since the start (the last:"
                        + " java.lang.IllegalArgumentException at io.headcount.agent.EventWorkerTest.failWith); the app"
                        + " never saw it, and those requests may be uncounted (headcount_agent_errors_total)",
                EventWorker.adviceFailuresLine(2, true, failure));
        assertEquals("the advice failed 1 time on request threads since the last such line; the app never saw it,"
                        + " and those requests may be uncounted (headcount_agent_errors_total)",
                EventWorker.adviceFailuresLine(1, false, null));
    }

    private static IllegalArgumentException failWith(String message) {
        return new IllegalArgumentException(message);
    }

    @Test
    void eventsOfferedBeforeTheWorkerStartsAreCountedOnceItRuns() {
        queue.offer(event(BOT));
        queue.offer(event(BOT));
        worker.start();
        worker.awaitCaughtUp(60_000);
        assertEquals(0, worker.failures());
        assertEquals(2.0, requests());
    }

    @Test
    void diagnosticWorkerDiscardTakesEventsOffTheQueueAndRecordsNothing() {
        EventWorker discarding = new EventWorker(queue,
                TestRecorders.recorder(metrics, new FailingTracker(), List.of(), 100, 100), true, null);
        discarding.start();
        try {
            queue.offer(event(BROWSER));
            queue.offer(event(BOT));
            discarding.awaitCaughtUp(60_000);
            assertEquals(null, queue.poll());
            assertEquals(0, discarding.failures());
            assertEquals(0.0, requests());
        } finally {
            discarding.stop();
        }
    }

    private static RequestEvent event(String userAgent) {
        RequestEvent event = new RequestEvent();
        event.method = "GET";
        event.requestUri = "/api/users/7";
        event.contextPath = "";
        event.userAgent = userAgent;
        event.remoteAddr = "203.0.113.9";
        event.status = 200;
        return event;
    }

    @Test
    void theWorkerReadsTheVisitorsClockAfterEachSleepSoANewDayCountsTheVisitorAgain() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-06T23:59:59.990Z"));
        WorkerClock clock = new WorkerClock(new Clock() {
            @Override public ZoneId getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(ZoneId zone) { throw new UnsupportedOperationException(); }
            @Override public Instant instant() { return now.get(); }
        });
        InMemoryVisitorTracker tracker = new InMemoryVisitorTracker(metrics, new VisitorDayClock(clock), 1000,
                new SecureRandom());
        EventWorker ticking = new EventWorker(queue, TestRecorders.recorder(metrics, tracker, List.of(), 100, 100),
                false, clock);
        ticking.start();
        try {
            queue.offer(event(BROWSER));
            queue.offer(event(BROWSER));
            ticking.awaitCaughtUp(60_000);
            assertEquals(1.0, uniqueVisitors());
            assertEquals(Map.of("browser", 1L), tracker.today().visitors());

            now.set(Instant.parse("2026-12-07T00:00:00.002Z"));
            queue.offer(event(BROWSER));
            ticking.awaitCaughtUp(60_000);
            assertEquals(2.0, uniqueVisitors(), "the same visitor, counted again on its new day");
            assertEquals(Instant.parse("2026-12-07T00:00:00.002Z").toEpochMilli(), clock.millis());
            assertEquals(Map.of("browser", 1L), tracker.today().visitors(), "today's figures are the new day's");
            assertEquals(0, ticking.failures());
        } finally {
            ticking.stop();
        }
    }

    private double uniqueVisitors() {
        return total("headcount_unique_visitors");
    }

    private double requests() {
        return total("headcount_requests");
    }

    private double total(String name) {
        double total = 0;
        for (MetricSnapshot snapshot : metrics.registry().scrape()) {
            if (snapshot.getMetadata().getPrometheusName().equals(name)) {
                for (CounterSnapshot.CounterDataPointSnapshot point : ((CounterSnapshot) snapshot).getDataPoints()) {
                    total += point.getValue();
                }
            }
        }
        return total;
    }

    private static final class FailingTracker implements VisitorTracker {
        @Override
        public void visit(byte[] clientAddress, String userAgent, long userAgentId, String endpoint, String client) {
            throw new IllegalStateException("the tracker failed on purpose");
        }

        @Override
        public long untracked() {
            return 0;
        }

        @Override
        public TodayFigures today() {
            throw new UnsupportedOperationException();
        }
    }
}
