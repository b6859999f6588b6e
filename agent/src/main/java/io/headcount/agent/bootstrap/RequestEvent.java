package io.headcount.agent.bootstrap;

/**
 * What the request thread saw of one finished request: raw strings as the container gave them,
 * cut to a bounded length so that a queue full of events has a bounded size.
 *
 * <p>Raw values live only in this object, between the request thread and the worker; the worker
 * turns them into coarse labels and a keyed hash and drops the event.
 */
public final class RequestEvent {
    /** Longest header or path value kept; longer ones are cut (the cut is deterministic). */
    public static final int MAX_VALUE_LENGTH = 1024;

    public final String method;
    public final String requestUri;
    public final String contextPath;
    /** The framework's route template, or {@code null} when none was exposed. */
    public final String route;
    public final String userAgent;
    public final String referer;
    public final String host;
    public final String remoteAddr;
    public final String forwarded;
    public final String xForwardedFor;
    public final int status;
    public final long durationNanos;
    /**
     * Whether the container answered the request itself, with its default servlet or its error
     * handling, rather than a servlet or filter of the app. Read only for answers where it can
     * change the endpoint label; false otherwise.
     */
    public final boolean containerAnswered;

    public RequestEvent(String method, String requestUri, String contextPath, String route,
                        String userAgent, String referer, String host, String remoteAddr,
                        String forwarded, String xForwardedFor, int status, long durationNanos,
                        boolean containerAnswered) {
        this.method = bounded(method);
        this.requestUri = bounded(requestUri);
        this.contextPath = bounded(contextPath);
        this.route = bounded(route);
        this.userAgent = bounded(userAgent);
        this.referer = bounded(referer);
        this.host = bounded(host);
        this.remoteAddr = bounded(remoteAddr);
        this.forwarded = rightmostEntries(forwarded);
        this.xForwardedFor = rightmostEntries(xForwardedFor);
        this.status = status;
        this.durationNanos = durationNanos;
        this.containerAnswered = containerAnswered;
    }

    private static String bounded(String value) {
        return value == null || value.length() <= MAX_VALUE_LENGTH ? value : value.substring(0, MAX_VALUE_LENGTH);
    }

    /**
     * A proxy chain cut to its last whole entries: proxies append on the right, so the left end is
     * what the client wrote, and keeping it would let a long header push the proxies' entries out.
     */
    private static String rightmostEntries(String chain) {
        if (chain == null || chain.length() <= MAX_VALUE_LENGTH) {
            return chain;
        }
        int start = chain.length() - MAX_VALUE_LENGTH;
        int comma = chain.indexOf(',', start);
        return comma < 0 ? "" : chain.substring(comma + 1);
    }
}
