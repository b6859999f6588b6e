package io.headcount.agent;

import io.headcount.agent.bootstrap.EventQueue;
import io.headcount.agent.bootstrap.HeadcountSink;
import io.headcount.agent.classify.ClientClassifier;
import io.headcount.agent.classify.ClientIpResolver;
import io.headcount.agent.classify.ClientRules;
import io.headcount.agent.classify.PathExclusions;
import io.headcount.agent.classify.RequestExclusions;
import io.headcount.agent.classify.RequestPaths;
import io.headcount.agent.classify.UserAgentClassifier;
import io.headcount.agent.classify.UserAgentExclusions;
import io.headcount.agent.config.SettingDefinitions;
import io.headcount.agent.config.InvalidSettingsException;
import io.headcount.agent.config.MetricsAccess;
import io.headcount.agent.config.Settings;
import io.headcount.agent.instrument.ServletInstrumentation;
import io.headcount.agent.instrument.TomcatHeaderReaders;
import io.headcount.agent.log.AgentLog;
import io.headcount.agent.metrics.HeadcountMetrics;
import io.headcount.agent.metrics.MetricsErrors;
import io.headcount.agent.metrics.MetricsServer;
import io.headcount.agent.net.ForwardedHeader;
import io.headcount.agent.visitors.InMemoryVisitorTracker;
import io.headcount.agent.visitors.RedisConnector;
import io.headcount.agent.visitors.RedisVisitorTracker;
import io.headcount.agent.visitors.VisitorDayClock;
import io.headcount.agent.visitors.VisitorTracker;
import io.headcount.agent.visitors.WorkerClock;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The one place where the agent is wired together. Only the queue and the class-file hook are set
 * up on the start-up path. Metrics, the worker, the exporter and the Redis client start on a
 * background thread, and only once the app has served its first request, or has loaded no class
 * for a second with its main thread waiting or ended (it has finished starting), or after a
 * minute at the latest: on a busy or
 * single-core machine they would otherwise compete with the app's own start (in Redis mode,
 * lettuce, Netty and Reactor load over a thousand classes). Requests served before then wait in
 * the queue and are counted as soon as the worker runs. What the background start makes is owned,
 * and closed, by the {@link RunningAgent} that start returns.
 */
final class AgentRuntime {
    /** How long a scrape waits for the worker to count the requests that ended before it. */
    private static final long SCRAPE_CATCH_UP_MILLIS = 200;
    /** The background start waits for the app's first request, or this long without a class loaded. */
    private static final long QUIET_MILLIS = 1000;
    /** The longest the background start waits, for an app that never stops loading classes. */
    private static final long START_AFTER_MILLIS = 60_000;
    private static final long START_POLL_MILLIS = 20;

    private AgentRuntime() {
    }

    /** @return the running agent, which counts once the background start has run */
    static RunningAgent start(Settings settings, Instrumentation instrumentation, boolean attached, BuildInfo build) {
        EventQueue queue = new EventQueue(settings.get(SettingDefinitions.QUEUE_CAPACITY));
        HeadcountSink.configure(settings.get(SettingDefinitions.RESPECT_GPC), settings.get(SettingDefinitions.RESPECT_DNT),
                settings.get(SettingDefinitions.AUTH_COOKIE),
                settings.get(SettingDefinitions.FORWARDED_HEADER) == ForwardedHeader.FORWARDED);
        installSink(settings, queue);
        LongSupplier lastClassLoad = ServletInstrumentation.install(instrumentation, attached,
                "all".equals(settings.get(SettingDefinitions.DIAGNOSTIC_WEAVE)));
        RunningAgent running = new RunningAgent();
        // premain runs on the thread that then runs the app's main method; on attach the app is up.
        Thread launcher = attached ? null : Thread.currentThread();
        Thread starter = new Thread(() -> {
            awaitFirstRequest(queue, launcher, lastClassLoad);
            startCounting(settings, queue, running, build);
        }, "headcount-start");
        starter.setDaemon(true);
        starter.start();
        return running;
    }

    /**
     * Hands the queue to the sink, which turns the woven advice on; not for diagnostic.advice=noop,
     * where the advice then returns at once, reading nothing and offering nothing.
     */
    static void installSink(Settings settings, EventQueue queue) {
        if (!"noop".equals(settings.get(SettingDefinitions.DIAGNOSTIC_ADVICE))) {
            String headers = settings.get(SettingDefinitions.DIAGNOSTIC_HEADERS);
            HeadcountSink.readHeadersWith("all".equals(headers) ? new TomcatHeaderReaders() : null);
            HeadcountSink.resolveLongPathsWith(RequestPaths::resolve);
            HeadcountSink.install(queue, !"user-agent".equals(headers));
        }
    }

    /**
     * Returns at the app's first request; or once it has loaded no class for {@link #QUIET_MILLIS}
     * while its main thread is not running (waiting in its server, or ended): on a machine so busy
     * that the app is not scheduled for a second, its main thread is still runnable mid-start; or
     * at {@link #START_AFTER_MILLIS}.
     *
     * @param launcher the thread that runs the app's main method, or null when attached
     * @param lastClassLoad when the servlet transformer last saw a class load, from {@link System#nanoTime()}
     */
    private static void awaitFirstRequest(EventQueue queue, Thread launcher, LongSupplier lastClassLoad) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_AFTER_MILLIS);
        long quiet = TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS);
        try {
            while (queue.offered() == 0 && System.nanoTime() < deadline
                    && (System.nanoTime() - lastClassLoad.getAsLong() < quiet
                        || launcher != null && launcher.getState() == Thread.State.RUNNABLE)) {
                Thread.sleep(START_POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Makes the metrics, the visitor tracker, the worker and the metrics server, starts them, and
     * hands them to {@code running}. Never throws: the app runs on without counting.
     */
    static void startCounting(Settings settings, EventQueue queue, RunningAgent running, BuildInfo build) {
        try {
            HeadcountMetrics metrics = new HeadcountMetrics();
            WorkerClock clock = workerClock(settings);
            VisitorTracker visitors = visitorTracker(settings, metrics, clock);
            IgnoredForwarding ignoredForwarding = new IgnoredForwarding(
                    settings.get(SettingDefinitions.FORWARDED_HEADER).headerName());
            RequestRecorder recorder = recorder(settings, metrics, visitors, ignoredForwarding);
            EventWorker worker = new EventWorker(queue, recorder,
                    "discard".equals(settings.get(SettingDefinitions.DIAGNOSTIC_WORKER)), clock);
            registerHealth(metrics, worker, visitors, build);
            metrics.healthCounter("headcount_forwarded_ignored",
                    "Requests from a peer outside trusted-proxies that carried the forwarded-header;"
                            + " their visitors were counted by the peer's address.", ignoredForwarding::count);
            metrics.labelCapsReached(recorder::endpointCapReached, recorder::referrerCapReached);
            visitors.wakeWorkerWith(worker::wake);
            worker.start();
            running.own(worker, serve(settings, metrics, worker), visitors);
        } catch (Throwable t) {
            // Nothing drains the queue: the advice stops offering to it, so it holds no request's text.
            HeadcountSink.install(null);
            AgentLog.error("could not start counting; the app runs without it: " + MissingModule.describe(t));
        }
    }

    /** What the worker does with each event, wired from the settings; the benchmarks use it too. */
    static RequestRecorder recorder(Settings settings, HeadcountMetrics metrics, VisitorTracker visitors,
                                    IgnoredForwarding ignoredForwarding) {
        RequestExclusions exclusions = new RequestExclusions(
                new PathExclusions(settings.get(SettingDefinitions.EXCLUDE_PATHS)),
                settings.get(SettingDefinitions.EXCLUDE_IPS));
        ClientClassifier clients = new ClientClassifier(new UserAgentClassifier(), settings.get(SettingDefinitions.CLIENTS),
                new UserAgentExclusions(settings.get(SettingDefinitions.EXCLUDE_USER_AGENTS)),
                AgentRuntime::clientRuleGaveUp);
        return new RequestRecorder(metrics, visitors, exclusions, clients,
                new ClientIpResolver(settings.get(SettingDefinitions.TRUSTED_PROXIES), settings.get(SettingDefinitions.FORWARDED_HEADER)), ignoredForwarding,
                settings.get(SettingDefinitions.ENDPOINT_MAX), settings.get(SettingDefinitions.REFERRER_MAX));
    }

    /** A rule's name only: the User-Agent it gave up on is raw client text, never logged. */
    private static void clientRuleGaveUp(String rule) {
        AgentLog.errorAtMostOncePerMinute("clients:" + rule, "client rule '" + rule + "' read more than "
                + ClientRules.STEP_BUDGET + " characters of one User-Agent (a leading .* or nested quantifiers?)"
                + " and gave up on it; such User-Agents fall to the next rule", null);
    }

    /** The system clock in the zone of the visitor day, for the worker to tick. */
    static WorkerClock workerClock(Settings settings) {
        return new WorkerClock(Clock.system(settings.get(SettingDefinitions.DAY_ZONE)));
    }

    /** @param time the worker's clock, which only the worker reads the system clock into */
    static VisitorTracker visitorTracker(Settings settings, HeadcountMetrics metrics, WorkerClock time) {
        VisitorDayClock clock = new VisitorDayClock(time);
        if (settings.get(SettingDefinitions.REDIS_URL) == null) {
            return new InMemoryVisitorTracker(metrics, clock, settings.get(SettingDefinitions.VISITORS_MAX), new SecureRandom());
        }
        RedisConnector redis = new RedisConnector(settings.get(SettingDefinitions.REDIS_URL), settings.get(SettingDefinitions.REDIS_CLUSTER),
                Duration.ofMillis(settings.get(SettingDefinitions.REDIS_TIMEOUT_MS)), settings.get(SettingDefinitions.REDIS_TLS_CA_FILE));
        metrics.healthGauge("headcount_redis_up",
                "1 while Redis is connected and replies within redis.timeout-ms (visitors are counted exactly), else 0.", redis::isUp);
        metrics.healthCounter("headcount_redis_errors",
                "Failed Redis connects and commands, and replies later than redis.timeout-ms.", redis::errors);
        redis.start();
        RedisVisitorTracker tracker = new RedisVisitorTracker(metrics, redis, clock, settings.get(SettingDefinitions.REDIS_KEY_PREFIX), settings.get(SettingDefinitions.VISITORS_MAX),
                settings.get(SettingDefinitions.REDIS_HOLD_MAX_VISITS), settings.get(SettingDefinitions.REDIS_HOLD_MAX_MS),
                settings.get(SettingDefinitions.REDIS_BACKLOG_MAX), new SecureRandom(),
                "approximate".equals(settings.get(SettingDefinitions.VISITORS_MODE)));
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(tracker::stopping, "headcount-stopping"));
        } catch (IllegalStateException | SecurityException alreadyStopping) {
            // Started while the app stops: there is nothing to say at its end.
        }
        return tracker;
    }

    private static void registerHealth(HeadcountMetrics metrics, EventWorker worker, VisitorTracker visitors,
                                       BuildInfo build) {
        metrics.buildInfo(build.version(), build.revision());
        metrics.healthCounter("headcount_events_dropped",
                "Requests not counted because the agent's queue was full.", HeadcountSink::droppedEvents);
        metrics.healthCounter("headcount_agent_errors",
                "Failures inside the agent (advice or worker); the app never sees them.",
                () -> HeadcountSink.adviceErrors() + worker.failures());
        metrics.visitorsToday(visitors::today);
        metrics.stateGauge(HeadcountMetrics.VISITORS_PENDING,
                "Waiting to be counted: visits held for the day's salt, and first sightings (in total or on an endpoint)"
                        + " backlogged while Redis is away or awaiting its reply.",
                visitors::pending);
        metrics.healthCounter("headcount_visitors_untracked",
                "Visits not deduplicated because the day's visitor memory bound (visitors.max) was reached.",
                visitors::untracked);
    }

    /** @return the started server, or null when metrics cannot be served (said in one log line) */
    private static MetricsServer serve(Settings settings, HeadcountMetrics metrics, EventWorker worker) {
        MetricsErrors errors = new MetricsErrors();
        metrics.healthCounter("headcount_metrics_errors",
                "Failed requests to the metrics endpoint (client gone, timeout, TLS failure, connection closed to make room).",
                errors::count);
        String scheme = "http";
        try {
            MetricsServer.Builder server = MetricsServer.builder(metrics.registry(),
                    () -> worker.awaitCaughtUp(SCRAPE_CATCH_UP_MILLIS))
                    .address(settings.get(SettingDefinitions.HOST), settings.get(SettingDefinitions.PORT))
                    .errors(errors);
            MetricsAccess access = MetricsAccess.read(settings);
            if (access.username() != null) {
                byte[] password = access.password();
                server.basicAuth(access.username(), password);
                Arrays.fill(password, (byte) 0);
            }
            if (access.tls() != null) {
                server.tls(access.tls());
                scheme = "https";
            }
            MetricsServer started = server.start();
            int port = started.port();
            AgentLog.info("counting requests; metrics at " + scheme + "://" + hostAndPort(settings.get(SettingDefinitions.HOST), port) + "/metrics"
                    + (access.username() != null ? " (basic authentication)" : ""));
            return started;
        } catch (InvalidSettingsException e) {
            AgentLog.error(e.getMessage() + "; requests are still counted but not served");
        } catch (IOException e) {
            AgentLog.error("cannot serve metrics on " + hostAndPort(settings.get(SettingDefinitions.HOST), settings.get(SettingDefinitions.PORT))
                    + " (" + e.getMessage() + "); requests are still counted but not served; " + whereToChange(settings, e));
        }
        return null;
    }

    /** As a URL writes it: an IPv6 address in brackets. */
    static String hostAndPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * Points at the setting to change: the host when it is no address of this machine (the
     * system's "Cannot assign requested address"), else the port.
     */
    static String whereToChange(Settings settings, IOException e) {
        if (String.valueOf(e.getMessage()).contains("assign requested address")) {
            String source = settings.source(SettingDefinitions.HOST);
            return "the host " + settings.get(SettingDefinitions.HOST) + " is no address of this machine; "
                    + (source.equals(Settings.DEFAULT_SOURCE) ? "choose another with the agent argument host="
                    : "it comes from the " + source + ": choose another there");
        }
        return whereToChangePort(settings);
    }

    /** Points at the place the port came from, so that the operator changes the right one. */
    static String whereToChangePort(Settings settings) {
        String source = settings.source(SettingDefinitions.PORT);
        if (source.equals(Settings.DEFAULT_SOURCE)) {
            return "the port is the default " + settings.get(SettingDefinitions.PORT) + ": choose another with the agent argument port=, "
                    + "the system property " + SettingDefinitions.PORT.systemProperty() + " or the environment variable "
                    + SettingDefinitions.PORT.environmentVariable();
        }
        return "the port comes from the " + source + ": choose another there";
    }
}
