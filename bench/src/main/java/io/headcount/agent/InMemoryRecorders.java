package io.headcount.agent;

import io.headcount.agent.bootstrap.RequestEvent;
import io.headcount.agent.config.Settings;
import io.headcount.agent.config.SettingsLoader;
import io.headcount.agent.metrics.HeadcountMetrics;
import io.headcount.agent.visitors.WorkerClock;
import io.headcount.bench.TrafficMix;
import java.util.Map;

/**
 * Builds the worker's {@link RequestRecorder} with {@code AgentRuntime}'s own wiring, in in-memory
 * mode, from the default settings. It sits in the agent's package because the recorder is
 * package-private; on the class path that is the same runtime package.
 */
public final class InMemoryRecorders {
    /** Events between two reads of the system clock: {@code EventWorker}'s burst under steady load. */
    public static final int BURST = EventWorker.EVENTS_PER_BURST;

    private InMemoryRecorders() {
    }

    /** A recorder with its metrics, as the agent builds them with no settings given. */
    public static final class Wired {
        public final HeadcountMetrics metrics;
        public final Settings settings;
        final RequestRecorder recorder;
        /** The trackers' time, ticked as {@code EventWorker} ticks it. */
        final WorkerClock clock;
        private int sinceTick;

        Wired(HeadcountMetrics metrics, Settings settings, RequestRecorder recorder, WorkerClock clock) {
            this.metrics = metrics;
            this.settings = settings;
            this.recorder = recorder;
            this.clock = clock;
        }

        /** What the worker does with one event, with its clock read once per burst as at full load. */
        public void record(RequestEvent event) {
            if (++sinceTick >= BURST) {
                sinceTick = 0;
                clock.tick();
            }
            recorder.record(event);
        }
    }

    public static Wired withDefaultSettings() {
        return withArguments(null);
    }

    /** As {@link #withDefaultSettings()}, with these agent arguments ({@code key=value,...}) over the defaults. */
    public static Wired withArguments(String arguments) {
        try {
            Settings settings = SettingsLoader.load(arguments, Map.of(), Map.of());
            HeadcountMetrics metrics = new HeadcountMetrics();
            WorkerClock clock = AgentRuntime.workerClock(settings);
            RequestRecorder recorder = AgentRuntime.recorder(settings, metrics,
                    AgentRuntime.visitorTracker(settings, metrics, clock), new IgnoredForwarding("X-Forwarded-For"));
            return new Wired(metrics, settings, recorder, clock);
        } catch (Exception e) {
            throw new IllegalStateException("cannot wire the recorder from the settings " + arguments, e);
        }
    }

    /** The event the advice would have built from these raw values. */
    public static RequestEvent event(TrafficMix.Request r) {
        RequestEvent event = new RequestEvent();
        event.method = r.method;
        event.requestUri = r.requestUri;
        event.contextPath = r.contextPath;
        event.springRoute = r.route;
        event.userAgent = r.userAgent;
        event.referer = r.referer;
        event.host = r.host;
        event.remoteAddr = r.remoteAddr;
        event.forwarded = r.forwarded;
        event.xForwardedFor = r.xForwardedFor;
        event.status = r.status;
        event.durationNanos = r.durationNanos;
        return event;
    }
}
