package io.headcount.agent;

import io.headcount.agent.bootstrap.RequestEvent;
import io.headcount.agent.classify.ClassifiedUserAgent;
import io.headcount.agent.classify.ClientClassifier;
import io.headcount.agent.classify.ClientIpResolver;
import io.headcount.agent.classify.ClientRules;
import io.headcount.agent.classify.ClientVersions;
import io.headcount.agent.classify.LabelCap;
import io.headcount.agent.classify.LastOwnHost;
import io.headcount.agent.classify.PathExclusions;
import io.headcount.agent.classify.ReferrerClassifier;
import io.headcount.agent.classify.RequestExclusions;
import io.headcount.agent.classify.RequestLabels;
import io.headcount.agent.classify.RequestPaths;
import io.headcount.agent.classify.UserAgentCache;
import io.headcount.agent.classify.UserAgentClassifier;
import io.headcount.agent.classify.UserAgentExclusions;
import io.headcount.agent.classify.UserAgentInfo;
import io.headcount.agent.config.SettingDefinitions;
import io.headcount.agent.config.Settings;
import io.headcount.agent.config.SettingsLoader;
import io.headcount.agent.metrics.HeadcountMetrics;
import io.headcount.agent.visitors.VisitorTracker;
import io.headcount.agent.visitors.WorkerClock;
import io.headcount.bench.TrafficMix;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Where the worker's time per event goes, step by step, without a profiler. CPU profiles of the
 * worker blame code that never runs in the steady state (async-profiler's method tracing counted
 * no call of the metric registry's {@code labelValues} after the warm-up, while its CPU samples put
 * 29% there): the recorder is one compiled blob whose stalls land on whatever inlined frame is
 * nearest. So each step of {@code RequestRecorder.record} runs here alone over the events of
 * {@link WorkerCpuTime} (the same {@link TrafficMix}), its inputs computed beforehand by the steps
 * before it, and is timed in CPU time of this thread; the steps and the whole recorder take turns
 * round by round. The steps' sum may differ from the whole: alone, a step finds more of its data
 * in the caches, and the whole overlaps one step's stalls with the next one's work.
 *
 * <p>Arguments: [rounds] [events per round] [warm-up events per step] [distinct events, a power of
 * two: 65,536 as {@link WorkerCpuTime}; 1,024 keeps their data in the processor's caches].
 */
public final class WorkerSteps {
    private WorkerSteps() {
    }

    private static final class Step {
        final String name;
        final IntConsumer body;
        final double[] nanos;

        Step(String name, IntConsumer body, int rounds) {
            this.name = name;
            this.body = body;
            this.nanos = new double[rounds];
        }
    }

    /**
     * Counts the steps' results so that the compiler keeps them: a plain field, since a volatile
     * one would add a fence to every step's figure and none to the whole recorder's.
     */
    static long sum;

    private static void keep(Object result) {
        sum += result == null ? 0 : 1;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int warmUp = args.length > 2 ? Integer.parseInt(args[2]) : 5_000_000;
        int distinct = args.length > 3 ? Integer.parseInt(args[3]) : 1 << 16;
        int mask = distinct - 1;
        if (Integer.bitCount(distinct) != 1) {
            throw new IllegalArgumentException("distinct events must be a power of two: " + distinct);
        }
        TrafficMix.Request[] requests = new TrafficMix(3000, 20_000, 7).next(distinct);
        RequestEvent[] events = new RequestEvent[distinct];
        for (int i = 0; i < distinct; i++) {
            events[i] = InMemoryRecorders.event(requests[i]);
        }
        Settings settings = SettingsLoader.load(null, Map.of(), Map.of());
        InMemoryRecorders.Wired whole = InMemoryRecorders.withDefaultSettings();

        // The recorder's parts, wired as AgentRuntime wires them.
        HeadcountMetrics metrics = new HeadcountMetrics();
        WorkerClock clock = AgentRuntime.workerClock(settings);
        VisitorTracker visitors = AgentRuntime.visitorTracker(settings, metrics, clock);
        RequestExclusions exclusions = new RequestExclusions(
                new PathExclusions(settings.get(SettingDefinitions.EXCLUDE_PATHS)),
                settings.get(SettingDefinitions.EXCLUDE_IPS));
        ClientRules rules = settings.get(SettingDefinitions.CLIENTS);
        UserAgentCache userAgents = new UserAgentCache(8192, new ClientClassifier(new UserAgentClassifier(), rules,
                new UserAgentExclusions(settings.get(SettingDefinitions.EXCLUDE_USER_AGENTS)), rule -> { }));
        ClientIpResolver clientIps = new ClientIpResolver(settings.get(SettingDefinitions.TRUSTED_PROXIES),
                settings.get(SettingDefinitions.FORWARDED_HEADER));
        // The endpoint step is the recorder's own method, on a recorder of its own.
        RequestRecorder labels = InMemoryRecorders.withDefaultSettings().recorder;
        LabelCap referrers = new LabelCap(settings.get(SettingDefinitions.REFERRER_MAX), "direct", "internal");
        ClientVersions versions = new ClientVersions();
        LastOwnHost ownHost = new LastOwnHost();

        // Each step's inputs, from the steps before it.
        String[] contexts = new String[distinct];
        String[] paths = new String[distinct];
        boolean[] kept = new boolean[distinct];
        UserAgentCache.Entry[] known = new UserAgentCache.Entry[distinct];
        byte[][] clients = new byte[distinct][];
        String[] endpointLabels = new String[distinct];
        String[] referrerLabels = new String[distinct];
        for (int i = 0; i < distinct; i++) {
            RequestEvent e = events[i];
            contexts[i] = RequestPaths.context(e.contextPath);
            paths[i] = RequestPaths.resolve(e.requestUri);
            known[i] = userAgents.get(e.userAgent);
            kept[i] = !exclusions.excludesPath(contexts[i], paths[i]) && !known[i].classified.excluded;
            clients[i] = clientIps.resolveAddress(e.remoteAddr, e.forwarded, e.xForwardedFor);
            endpointLabels[i] = labels.endpoint(e, contexts[i], paths[i]);
            referrerLabels[i] = referrers.admit(ReferrerClassifier.classify(e.referer, e.host));
        }

        List<Step> steps = new ArrayList<>();
        steps.add(new Step("whole recorder", i -> whole.record(events[i]), rounds));
        steps.add(new Step("path: context, resolve, exclusions", i -> {
            RequestEvent e = events[i];
            String context = RequestPaths.context(e.contextPath);
            String path = RequestPaths.resolve(e.requestUri);
            sum += exclusions.excludesPath(context, path) ? 1 : 0;
        }, rounds));
        steps.add(new Step("User-Agent cache", i -> keep(userAgents.get(events[i].userAgent)), rounds));
        steps.add(new Step("client address", i -> {
            RequestEvent e = events[i];
            keep(clientIps.resolveAddress(e.remoteAddr, e.forwarded, e.xForwardedFor));
        }, rounds));
        steps.add(new Step("untrusted forwarder check", i -> {
            RequestEvent e = events[i];
            keep(clientIps.untrustedPeerWithForwarding(e.remoteAddr, e.forwarded, e.xForwardedFor));
        }, rounds));
        steps.add(new Step("endpoint: route, label, cap", i -> keep(labels.endpoint(events[i], contexts[i], paths[i])),
                rounds));
        steps.add(new Step("referrer: classify, cap", i -> {
            RequestEvent e = events[i];
            keep(referrers.admit(e.referer == null ? ReferrerClassifier.DIRECT
                    : ReferrerClassifier.classifyAgainst(e.referer, ownHost.of(e.host))));
        }, rounds));
        steps.add(new Step("request metrics", i -> {
            if (!kept[i]) {
                return;
            }
            RequestEvent e = events[i];
            ClassifiedUserAgent classified = known[i].classified;
            UserAgentInfo agent = classified.info;
            metrics.request(endpointLabels[i], RequestLabels.method(e.method), RequestLabels.statusClass(e.status),
                    RequestRecorder.clientKinds(metrics, known[i], agent), referrerLabels[i], e.durationNanos / 1e9);
            metrics.requestSignals(e.optedOut, e.authenticated);
            if (classified.version != null) {
                metrics.clientVersion(agent.client, versions.admit(agent.client, classified.version));
            }
        }, rounds));
        steps.add(new Step("visitor tracking", i -> {
            // Every 256th event, visitor or not, as the worker does.
            if (i % InMemoryRecorders.BURST == 0) {
                clock.tick();
            }
            ClassifiedUserAgent classified = known[i].classified;
            if (!kept[i] || !classified.visitor || clients[i] == null) {
                return;
            }
            RequestEvent e = events[i];
            visitors.visit(clients[i], e.userAgent == null ? "" : e.userAgent, known[i].id, endpointLabels[i],
                    classified.info.client);
        }, rounds));

        // The steps one after the other on each event: near the whole when the gap between the
        // whole and the sum is the steps' interference, near the sum when it is the whole's own work.
        List<Step> parts = new ArrayList<>(steps.subList(1, steps.size()));
        steps.add(new Step("the steps in sequence", i -> {
            for (Step part : parts) {
                part.body.accept(i);
            }
        }, rounds));

        for (Step step : steps) {
            for (int i = 0; i < warmUp; i++) {
                step.body.accept(i & mask);
            }
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int next = 0;
        for (int r = 0; r < rounds; r++) {
            for (Step step : steps) {
                long start = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < perRound; i++) {
                    step.body.accept(next++ & mask);
                }
                step.nanos[r] = (threads.getCurrentThreadCpuTime() - start) / (double) perRound;
            }
            System.out.printf("round %d of %d done%n", r + 1, rounds);
        }
        double sumOfParts = 0;
        System.out.printf("%-40s %9s %19s%n", "step", "ns/event", "range");
        for (Step step : steps) {
            Arrays.sort(step.nanos);
            double median = step.nanos[rounds / 2];
            if (step != steps.get(0) && step != steps.get(steps.size() - 1)) {
                sumOfParts += median;
            }
            System.out.printf("%-40s %9.1f %9.1f-%-9.1f%n", step.name, median, step.nanos[0], step.nanos[rounds - 1]);
        }
        System.out.printf("%-40s %9.1f%n", "sum of the steps", sumOfParts);
        System.out.printf("(results kept: %d)%n", sum);
    }
}
