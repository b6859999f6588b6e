package io.headcount.agent;

import io.headcount.agent.bootstrap.RequestEvent;
import io.headcount.agent.classify.ClassifiedUserAgent;
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

/**
 * Turns one request event into counts: classify, count, and hand the visitor to the tracker.
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

    void record(RequestEvent event) {
        // Resolved once, as the container did: exclusions and the endpoint see the same path.
        String context = RequestPaths.context(event.contextPath);
        String path = event.pathResolved ? event.requestUri : RequestPaths.resolve(event.requestUri);
        if (exclusions.excludesPath(context, path)) {
            metrics.excludedByPath();
            return;
        }
        UserAgentCache.Entry known = classify(event.userAgent);
        ClassifiedUserAgent classified = known.classified;
        if (classified.excluded) {
            metrics.excludedByUserAgent();
            return;
        }
        byte[] client = null;
        if (exclusions.hasAddresses()) {
            client = clientIps.resolveAddress(event.remoteAddr, event.forwarded, event.xForwardedFor);
            if (exclusions.excludesClient(client)) {
                metrics.excludedByAddress();
                return;
            }
        }
        // The cache holds the User-Agent's answer alone; the hints vary per request and go on top.
        UserAgentInfo agent = event.secChUa == null ? classified.info
                : clientHints.apply(classified.info, event.secChUa, event.secChUaMobile, event.secChUaPlatform);
        String endpoint = endpoint(event, context, path);
        String referrer = referrers.admit(event.referer == null ? ReferrerClassifier.DIRECT
                : ReferrerClassifier.classifyAgainst(event.referer, ownHost.of(event.host)));
        metrics.request(endpoint, RequestLabels.method(event.method), RequestLabels.statusClass(event.status),
                clientKinds(metrics, known, agent), referrer, event.durationNanos / NANOS_PER_SECOND);
        metrics.requestSignals(event.optedOut, event.authenticated);
        if (classified.version != null) {
            metrics.clientVersion(agent.client, versions.admit(agent.client, classified.version));
        }
        byte[] untrustedForwarder = clientIps.untrustedPeerWithForwarding(event.remoteAddr, event.forwarded,
                event.xForwardedFor);
        if (untrustedForwarder != null) {
            ignoredForwarding.record(untrustedForwarder);
        }
        // An opted-out visitor is never hashed, kept or deduplicated: the tracker never hears of it.
        if (!classified.visitor || event.optedOut) {
            return;
        }
        if (client == null) {
            client = clientIps.resolveAddress(event.remoteAddr, event.forwarded, event.xForwardedFor);
        }
        if (client != null) {
            visitors.visit(client, event.userAgent == null ? "" : event.userAgent,
                    known.id, endpoint, agent.client);
        }
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

    private UserAgentCache.Entry classify(String userAgent) {
        return userAgentCache.get(userAgent);
    }
}
