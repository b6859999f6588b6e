package io.headcount.agent;

import io.headcount.agent.bootstrap.EventQueue;
import io.headcount.agent.bootstrap.HeadcountSink;
import io.headcount.agent.classify.ClientIpResolver;
import io.headcount.agent.classify.PathExclusions;
import io.headcount.agent.config.SettingDefinitions;
import io.headcount.agent.config.Settings;
import io.headcount.agent.instrument.ServletInstrumentation;
import io.headcount.agent.metrics.HeadcountMetrics;
import io.headcount.agent.metrics.MetricsServer;
import io.headcount.agent.visitors.InMemoryVisitorTracker;
import io.headcount.agent.visitors.RedisConnector;
import io.headcount.agent.visitors.RedisVisitorTracker;
import io.headcount.agent.visitors.VisitorDayClock;
import io.headcount.agent.visitors.VisitorTracker;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The one place where the agent is wired together. Only the queue and the class-file hook are set
 * up on the start-up path. Metrics, the worker, the exporter and the Redis client start on a
 * background thread, and only once the app has served its first request (or after a few seconds):
 * on a busy or single-core machine they would otherwise compete with the app's own start.
 * Requests served before then wait in the queue and are counted as soon as the worker runs.
 */
final class AgentRuntime {
    /** How long a scrape waits for the worker to count the requests that ended before it. */
    private static final long SCRAPE_CATCH_UP_MILLIS = 200;
    /** The longest the background start waits for the app's first request. */
    private static final long START_AFTER_MILLIS = 3000;
    private static final long START_POLL_MILLIS = 20;

    private AgentRuntime() {
    }

    static void start(Settings settings, Instrumentation instrumentation, boolean attached) {
        EventQueue queue = new EventQueue(settings.queueCapacity());
        HeadcountSink.install(queue);
        ServletInstrumentation.install(instrumentation, attached);
        Thread starter = new Thread(() -> {
            awaitFirstRequest(queue);
            startBackground(settings, queue);
        }, "headcount-start");
        starter.setDaemon(true);
        starter.start();
    }

    private static void awaitFirstRequest(EventQueue queue) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_AFTER_MILLIS);
        try {
            while (queue.offered() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(START_POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void startBackground(Settings settings, EventQueue queue) {
        try {
            HeadcountMetrics metrics = new HeadcountMetrics();
            VisitorTracker visitors = visitorTracker(settings, metrics);
            RequestRecorder recorder = new RequestRecorder(metrics, visitors,
                    new PathExclusions(settings.excludePaths()), new ClientIpResolver(settings.trustedProxies()),
                    settings.endpointMax(), settings.referrerMax());
            EventWorker worker = new EventWorker(queue, recorder);
            registerHealth(metrics, worker, visitors);
            worker.start();
            serve(settings, metrics, worker);
        } catch (Throwable t) {
            AgentLog.error("could not start counting; the app runs without it", t);
        }
    }

    private static VisitorTracker visitorTracker(Settings settings, HeadcountMetrics metrics) {
        VisitorDayClock clock = new VisitorDayClock(settings.dayZone());
        if (settings.redisUrl() == null) {
            return new InMemoryVisitorTracker(metrics, clock, settings.visitorsMax(), new SecureRandom());
        }
        RedisConnector redis = new RedisConnector(settings.redisUrl(), settings.redisCluster(),
                Duration.ofMillis(settings.redisTimeoutMillis()));
        metrics.healthGauge("headcount_redis_up",
                "1 while Redis is connected and replies within redis.timeout-ms (visitors are counted exactly), else 0.", redis::isUp);
        metrics.healthCounter("headcount_redis_errors",
                "Failed Redis connects and commands, and replies later than redis.timeout-ms.", redis::errors);
        redis.start();
        return new RedisVisitorTracker(metrics, redis, clock, settings.redisKeyPrefix(), settings.visitorsMax(),
                settings.get(SettingDefinitions.REDIS_HOLD_MAX_VISITS), settings.get(SettingDefinitions.REDIS_HOLD_MAX_MS),
                settings.get(SettingDefinitions.REDIS_BACKLOG_MAX), new SecureRandom());
    }

    private static void registerHealth(HeadcountMetrics metrics, EventWorker worker, VisitorTracker visitors) {
        metrics.healthCounter("headcount_events_dropped",
                "Requests not counted because the agent's queue was full.", HeadcountSink::droppedEvents);
        metrics.healthCounter("headcount_agent_errors",
                "Failures inside the agent (advice or worker); the app never sees them.",
                () -> HeadcountSink.adviceErrors() + worker.failures());
        metrics.visitorsToday(visitors::today);
        metrics.stateGauge("headcount_visitors_pending",
                "Waiting to be counted: visits held for the day's salt, and first sightings (in total or on an endpoint)"
                        + " backlogged while Redis is away or awaiting its reply.",
                visitors::pending);
        metrics.healthCounter("headcount_visitors_untracked",
                "Visits not deduplicated because the day's visitor memory bound (visitors.max) was reached.",
                visitors::untracked);
    }

    private static void serve(Settings settings, HeadcountMetrics metrics, EventWorker worker) {
        try {
            MetricsServer server = MetricsServer.start(settings.host(), settings.port(), metrics.registry(),
                    () -> worker.awaitCaughtUp(SCRAPE_CATCH_UP_MILLIS));
            AgentLog.info("counting requests; metrics at http://" + settings.host() + ":" + server.port() + "/metrics");
        } catch (IOException e) {
            AgentLog.error("cannot serve metrics on " + settings.host() + ":" + settings.port() + " (" + e.getMessage()
                    + "); requests are still counted but not served; choose another port with headcount.port");
        }
    }
}
