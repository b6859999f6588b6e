package io.headcount.agent.bootstrap;

/**
 * What the request thread saw of one finished request: raw values as the container gave them, the
 * one object that crosses from the advice to the worker. The advice fills it in and hands it to
 * {@link HeadcountSink#record}, which cuts its strings to a bounded length, so that a queue full of
 * events has a bounded size, and offers it; nothing writes to it after that.
 *
 * <p>Raw values live only in this object, between the request thread and the worker; the worker
 * turns them into coarse labels and a keyed hash and drops the event.
 */
public final class RequestEvent {
    /** Longest header or path value kept; longer ones are cut (the cut is deterministic). */
    public static final int MAX_VALUE_LENGTH = 1024;
    /**
     * Longest method kept: the longest one the method label names has 7 characters
     * ({@code OPTIONS}), and a longer one is {@code OTHER} whatever follows.
     */
    static final int MAX_METHOD_LENGTH = 32;
    /** Longest {@code Host} kept: a DNS name (253) and a port. A longer one names no host of the app. */
    static final int MAX_HOST_LENGTH = 260;
    /** Longest client hint kept: Chromium's {@code Sec-CH-UA} lists three or four brands in about 70. */
    static final int MAX_HINT_LENGTH = 256;
    /**
     * An event whose long values (path, User-Agent, Referer, forwarding headers) hold more
     * characters than this is heavy: a request with more text than a browser sends, which the queue
     * keeps only while it is less than an eighth full ({@link EventQueue#offerHeavy}).
     */
    public static final int LIGHT_CHARS = 1024;

    public String method;
    /**
     * The raw request URI as the container gave it; after {@link #bound}, when that was longer than
     * {@link #MAX_VALUE_LENGTH}, the resolved path instead (see {@link #pathResolved}).
     */
    public String requestUri;
    /**
     * Whether {@link #requestUri} is already the path the container resolved (or null for a path
     * the containers refuse), rather than the raw URI: set by {@link #bound} for a URI too long to
     * keep whole.
     */
    public boolean pathResolved;
    public String contextPath;
    /**
     * The value of {@link RouteTemplates#ATTRIBUTE} when the request ended, or null; the worker
     * chooses the route from it and {@link #springRoute}. Not cut: routes come from the app's code,
     * not from the client, and the string is the request's own, not a copy.
     */
    public String firstRoute;
    /** The value of {@link RouteTemplates#SPRING_ATTRIBUTE} when the request ended, or null. Not cut either. */
    public String springRoute;
    public String userAgent;
    public String referer;
    public String host;
    public String remoteAddr;
    /** Every line of the header, joined ({@link HeadcountSink#headerLines}). */
    public String forwarded;
    /** Every line of the header, joined ({@link HeadcountSink#headerLines}). */
    public String xForwardedFor;
    public int status;
    public long durationNanos;
    /**
     * Whether the container answered the request itself, with its default servlet or its error
     * handling, rather than a servlet or filter of the app. Read only for answers where it can
     * change the endpoint label; false otherwise.
     */
    public boolean containerAnswered;
    /** The client asked not to be tracked ({@code Sec-GPC: 1}, or {@code DNT: 1}, as the settings respect them). */
    public boolean optedOut;
    /** The container reports a user principal, or an {@code Authorization} header or the configured session cookie is present. */
    public boolean authenticated;
    /** {@code Sec-CH-UA}, read only from Chromium browsers (see the advice); null otherwise. */
    public String secChUa;
    /** {@code Sec-CH-UA-Mobile}, read only when {@link #secChUa} was present. */
    public String secChUaMobile;
    /** {@code Sec-CH-UA-Platform}, read only when {@link #secChUa} was present. */
    public String secChUaPlatform;

    /** Called from advice: the two route attributes as the request holds them at its end. */
    public void routes(Object first, Object spring) {
        firstRoute = first instanceof String ? (String) first : null;
        springRoute = spring instanceof String ? (String) spring : null;
    }

    /**
     * Cuts the values the client controls; the sink calls it on the request thread before offering.
     *
     * @return how many characters the values a client can make long hold now, to tell a heavy
     *     event (the method, {@code Host} and hints are short once cut, the context path the app's)
     */
    int bound() {
        method = bounded(method, MAX_METHOD_LENGTH);
        if (requestUri != null && requestUri.length() > MAX_VALUE_LENGTH) {
            resolveLongPath();
        }
        contextPath = bounded(contextPath, MAX_VALUE_LENGTH);
        userAgent = bounded(userAgent, MAX_VALUE_LENGTH);
        referer = bounded(referer, MAX_VALUE_LENGTH);
        host = bounded(host, MAX_HOST_LENGTH);
        remoteAddr = bounded(remoteAddr, MAX_VALUE_LENGTH);
        forwarded = rightmostEntries(forwarded);
        xForwardedFor = rightmostEntries(xForwardedFor);
        if (secChUa != null) {
            secChUa = bounded(secChUa, MAX_HINT_LENGTH);
            secChUaMobile = bounded(secChUaMobile, MAX_HINT_LENGTH);
            secChUaPlatform = bounded(secChUaPlatform, MAX_HINT_LENGTH);
        }
        return length(requestUri) + length(userAgent) + length(referer) + length(forwarded) + length(xForwardedFor);
    }

    /**
     * Cut first and resolved after, the path could name another endpoint than the one the container
     * served (dot segments past the cut take away segments before it), or an excluded one. So a URI
     * this long is resolved whole, here: one pass, which only such requests pay; the resolved path
     * is what is cut.
     */
    private void resolveLongPath() {
        requestUri = boundedText(HeadcountSink.resolveLongPath(requestUri));
        pathResolved = true;
    }

    private static int length(String value) {
        return value == null ? 0 : value.length();
    }

    private static String bounded(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    /** Cut to {@link #MAX_VALUE_LENGTH} without splitting a surrogate pair: a resolved path is decoded text. */
    private static String boundedText(String value) {
        if (value == null || value.length() <= MAX_VALUE_LENGTH) {
            return value;
        }
        int end = Character.isHighSurrogate(value.charAt(MAX_VALUE_LENGTH - 1)) ? MAX_VALUE_LENGTH - 1 : MAX_VALUE_LENGTH;
        return value.substring(0, end);
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
