package io.headcount.agent;

import io.headcount.agent.bootstrap.RequestEvent;
import io.headcount.agent.classify.ClientClassifier;
import io.headcount.agent.classify.ClientHintsCache;
import io.headcount.agent.classify.ClientIpResolver;
import io.headcount.agent.classify.ClientVersions;
import io.headcount.agent.classify.EndpointNormalizer;
import io.headcount.agent.classify.FrameworkRoutes;
import io.headcount.agent.classify.LabelCap;
import io.headcount.agent.classify.LastOwnHost;
import io.headcount.agent.classify.PathLabels;
import io.headcount.agent.classify.ReferrerClassifier;
import io.headcount.agent.classify.RequestLabels;
import io.headcount.agent.classify.RequestExclusions;
import io.headcount.agent.classify.RequestPaths;
import io.headcount.agent.classify.RouteLabels;
import io.headcount.agent.classify.UserAgentCache;
import io.headcount.agent.classify.UserAgentInfo;
import io.headcount.agent.metrics.HeadcountMetrics;
import io.headcount.agent.visitors.VisitorTracker;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Turns request events into counts: classify, count, and hand the visitor to the tracker.
 * Runs on the worker thread only, which owns the caches and caps.
 */
final class RequestRecorder {
    /**
     * 3,000 User-Agents fit in 8-way sets of 8,192 with 3 left over; in 4,096, 145 would not. On a
     * heap under 256 MiB, fewer (see {@link #userAgentCacheSize}).
     */
    private static final int USER_AGENT_CACHE_SIZE = userAgentCacheSize(Runtime.getRuntime().maxMemory());
    private static final int MAX_USER_AGENT_CACHE_SIZE = 8192;
    private static final int MIN_USER_AGENT_CACHE_SIZE = 256;
    private static final double NANOS_PER_SECOND = 1e9;

    private final HeadcountMetrics metrics;
    private final VisitorTracker visitors;
    private final RequestExclusions exclusions;
    private final ClientIpResolver clientIps;
    private final IgnoredForwarding ignoredForwarding;
    private final UserAgentCache userAgentCache;
    private final ClientVersions versions = new ClientVersions();
    private final LabelCap endpoints;
    private final PathLabels pathLabels;
    private final LabelCap referrers;
    private final LastOwnHost ownHost = new LastOwnHost();
    private final RouteLabels routeLabels = new RouteLabels();
    private final ClientHintsCache clientHints = new ClientHintsCache();

    /** Events recorded together at most: {@link EventWorker} takes them off the queue this many at a time. */
    static final int BATCH = 32;
    // The steps of record, in order; the client's address is a step only with exclude.ips.
    private static final int PATH = 0;
    private static final int USER_AGENT = 1;
    private static final int CLIENT_ADDRESS = 2;
    private static final int ENDPOINT = 3;
    private static final int REFERRER = 4;
    private static final int METRICS = 5;
    private static final int VISITOR = 6;
    private static final int STEPS = VISITOR + 1;
    // What each event of the batch being recorded has come to, for the steps after: its slot is
    // cleared when the batch is done.
    private final RequestEvent[] single = new RequestEvent[1];
    /** Excluded, or failed: the steps after leave it alone. */
    private final boolean[] finished = new boolean[BATCH];
    private final String[] contexts = new String[BATCH];
    private final String[] paths = new String[BATCH];
    private final UserAgentCache.Entry[] known = new UserAgentCache.Entry[BATCH];
    private final byte[][] clients = new byte[BATCH][];
    private final UserAgentInfo[] agents = new UserAgentInfo[BATCH];
    private final String[] endpointLabels = new String[BATCH];
    private final String[] referrerLabels = new String[BATCH];

    RequestRecorder(HeadcountMetrics metrics, VisitorTracker visitors, RequestExclusions exclusions,
                    ClientClassifier userAgents, ClientIpResolver clientIps, IgnoredForwarding ignoredForwarding,
                    int endpointMax, int referrerMax) {
        this.metrics = metrics;
        this.visitors = visitors;
        this.exclusions = exclusions;
        this.userAgentCache = new UserAgentCache(USER_AGENT_CACHE_SIZE, userAgents);
        this.clientIps = clientIps;
        this.ignoredForwarding = ignoredForwarding;
        this.endpoints = new LabelCap(endpointMax, EndpointNormalizer.NOT_FOUND);
        this.pathLabels = new PathLabels(endpoints);
        this.referrers = new LabelCap(referrerMax, "direct", "internal");
    }

    /** One event, alone; what fails is thrown. */
    void record(RequestEvent event) {
        single[0] = event;
        try {
            record(single, 1, RequestRecorder::rethrow);
        } finally {
            single[0] = null;
        }
    }

    /**
     * The first {@code count} events (at most {@value #BATCH}), in their order, one step at a time
     * over all of them: the path of each, then the User-Agent of each, and so on. Each step's code,
     * tables and branch history stay with the processor for the whole batch instead of being pushed
     * out by the other steps at every event: 9% less of the worker's time per event on the bench
     * mix ({@code bench/worker_ab.py --fresh}, 2026-12-07). Every cap and cache sees the events in
     * the order they came, so the labels are the ones an event-by-event recording gives. An event
     * whose step throws is given to {@code failed} and left out of the steps after it; the other
     * events go on.
     */
    void record(RequestEvent[] events, int count, Consumer<Throwable> failed) {
        if (count > BATCH) {
            throw new IllegalArgumentException(count + " events in one batch, more than " + BATCH);
        }
        try {
            for (int step = 0; step < STEPS; step++) {
                if (step == CLIENT_ADDRESS && !exclusions.hasAddresses()) {
                    continue;
                }
                for (int i = 0; i < count; i++) {
                    if (!finished[i]) {
                        try {
                            step(step, i, events[i]);
                        } catch (Throwable t) {
                            finished[i] = true;
                            failed.accept(t);
                        }
                    }
                }
            }
        } finally {
            // Nothing of a request outlives its counting here: its address least of all.
            Arrays.fill(finished, 0, count, false);
            Arrays.fill(contexts, 0, count, null);
            Arrays.fill(paths, 0, count, null);
            Arrays.fill(known, 0, count, null);
            Arrays.fill(clients, 0, count, null);
            Arrays.fill(agents, 0, count, null);
            Arrays.fill(endpointLabels, 0, count, null);
            Arrays.fill(referrerLabels, 0, count, null);
        }
    }

    private void step(int step, int i, RequestEvent event) {
        switch (step) {
            case PATH:
                resolvePath(i, event);
                break;
            case USER_AGENT:
                classifyUserAgent(i, event);
                break;
            case CLIENT_ADDRESS:
                excludeClientAddress(i, event);
                break;
            case ENDPOINT:
                labelEndpoint(i, event);
                break;
            case REFERRER:
                labelReferrer(i, event);
                break;
            case METRICS:
                count(i, event);
                break;
            default:
                trackVisitor(i, event);
                break;
        }
    }

    /** Resolved once, as the container did: exclusions and the endpoint see the same path. */
    private void resolvePath(int i, RequestEvent event) {
        String context = RequestPaths.context(event.contextPath);
        String path = event.pathResolved ? event.requestUri : RequestPaths.resolve(event.requestUri);
        contexts[i] = context;
        paths[i] = path;
        if (exclusions.excludesPath(context, path)) {
            metrics.excludedByPath();
            finished[i] = true;
        }
    }

    private void classifyUserAgent(int i, RequestEvent event) {
        UserAgentCache.Entry entry = userAgentCache.get(event.userAgent);
        known[i] = entry;
        if (entry.classified.excluded) {
            metrics.excludedByUserAgent();
            finished[i] = true;
        }
    }

    /** Only with {@code exclude.ips}; otherwise the address is resolved for visitors alone. */
    private void excludeClientAddress(int i, RequestEvent event) {
        byte[] client = clientIps.resolveAddress(event.remoteAddr, event.forwarded, event.xForwardedFor);
        clients[i] = client;
        if (exclusions.excludesClient(client)) {
            metrics.excludedByAddress();
            finished[i] = true;
        }
    }

    /** The cache holds the User-Agent's answer alone; the hints vary per request and go on top. */
    private void labelEndpoint(int i, RequestEvent event) {
        UserAgentInfo info = known[i].info;
        agents[i] = event.secChUa == null ? info
                : clientHints.apply(info, event.secChUa, event.secChUaMobile, event.secChUaPlatform);
        endpointLabels[i] = endpoint(event, contexts[i], paths[i]);
    }

    private void labelReferrer(int i, RequestEvent event) {
        referrerLabels[i] = referrers.admit(event.referer == null ? ReferrerClassifier.DIRECT
                : ReferrerClassifier.classifyAgainst(event.referer, ownHost.of(event.host)));
    }

    private void count(int i, RequestEvent event) {
        UserAgentCache.Entry entry = known[i];
        UserAgentInfo agent = agents[i];
        metrics.request(endpointLabels[i], RequestLabels.method(event.method), RequestLabels.statusClass(event.status),
                clientKinds(metrics, entry, agent), referrerLabels[i], event.durationNanos / NANOS_PER_SECOND);
        metrics.requestSignals(event.optedOut, event.authenticated);
        String version = entry.classified.version;
        if (version != null) {
            metrics.clientVersion(agent.client, versions.admit(agent.client, version));
        }
        byte[] untrustedForwarder = clientIps.untrustedPeerWithForwarding(event.remoteAddr, event.forwarded,
                event.xForwardedFor);
        if (untrustedForwarder != null) {
            ignoredForwarding.record(untrustedForwarder);
        }
    }

    /** An opted-out visitor is never hashed, kept or deduplicated: the tracker never hears of it. */
    private void trackVisitor(int i, RequestEvent event) {
        UserAgentCache.Entry entry = known[i];
        if (!entry.classified.visitor || event.optedOut) {
            return;
        }
        byte[] client = clients[i];
        if (client == null) {
            client = clientIps.resolveAddress(event.remoteAddr, event.forwarded, event.xForwardedFor);
        }
        if (client != null) {
            visitors.visit(client, event.userAgent == null ? "" : event.userAgent, entry.id, endpointLabels[i],
                    agents[i].client);
        }
    }

    private static void rethrow(Throwable t) {
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        throw new IllegalStateException(t);
    }

    /**
     * The event's endpoint label, capped: its route template's, else its path's or not_found.
     * Package-private for the bench's WorkerSteps.
     *
     * @param context the resolved context path
     * @param path the resolved request path, null when rejected
     */
    String endpoint(RequestEvent event, String context, String path) {
        String route = route(event);
        String template = routeLabels.labelOf(context, route);
        if (template != null) {
            return endpoints.admit(template);
        }
        return EndpointNormalizer.labelsPath(path, route, event.method, event.status, event.containerAnswered)
                ? pathLabels.admit(path) : endpoints.admit(EndpointNormalizer.NOT_FOUND);
    }

    /** The framework's route, cut as the request's other values are. Package-private for the bench's WorkerSteps. */
    static String route(RequestEvent event) {
        String route = FrameworkRoutes.choose(event.firstRoute, event.springRoute, event.contextPath);
        return route == null || route.length() <= RequestEvent.MAX_VALUE_LENGTH
                ? route : route.substring(0, RequestEvent.MAX_VALUE_LENGTH);
    }

    /**
     * The User-Agent cache's entries for a heap: at most a sixteenth of it, at 2 KiB an entry (a
     * User-Agent of the 1,024 characters an event keeps, as UTF-16, and its classes), so that a
     * flood of new long User-Agents cannot take a small heap. 8,192 from 256 MiB up, 256 at least.
     */
    static int userAgentCacheSize(long maxHeap) {
        return HeapSizedDefaults.halvedToFit(MAX_USER_AGENT_CACHE_SIZE, MIN_USER_AGENT_CACHE_SIZE, maxHeap / 16,
                size -> size * 2048L);
    }

    /** Between bursts: let the visitor tracker read replies and send what it queued. */
    void betweenBursts() {
        visitors.poll();
    }

    /** Whether a new endpoint has become {@code other} because {@code endpoint.max} was reached. Any thread. */
    boolean endpointCapReached() {
        return endpoints.reached();
    }

    /** Whether a new referrer has become {@code other} because {@code referrer.max} was reached. Any thread. */
    boolean referrerCapReached() {
        return referrers.reached();
    }

    /** Whether the visitor tracker waits on nothing. Any thread. */
    boolean settled() {
        return visitors.settled();
    }

    /**
     * The metrics' handle of the agent's four client labels: kept with the User-Agent's cache entry
     * when the request's client hints changed nothing, else looked up. One cache of User-Agents
     * serves one set of metrics. Package-private for the bench's WorkerSteps.
     */
    static HeadcountMetrics.ClientKinds clientKinds(HeadcountMetrics metrics, UserAgentCache.Entry known,
                                                    UserAgentInfo agent) {
        if (agent != known.info) {
            return metrics.clientKinds(agent.client, agent.browser, agent.os, agent.device);
        }
        Object kept = known.metricsKept;
        if (kept == null) {
            kept = metrics.clientKinds(agent.client, agent.browser, agent.os, agent.device);
            known.metricsKept = kept;
        }
        return (HeadcountMetrics.ClientKinds) kept;
    }
}
