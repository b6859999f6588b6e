package io.headcount.agent.bootstrap;

import java.lang.reflect.Proxy;
import java.util.Enumeration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The one door between advice inlined into application classes and the agent.
 *
 * <p>This class lives on the bootstrap class loader and uses JDK types only, so advice inlined
 * into a class of any web-app class loader can call it. It is the only place with static mutable
 * state in the agent: the queue is installed once by the agent and read by every request thread.
 */
public final class HeadcountSink {
    /**
     * Request attribute that marks a request that ended in an error or went asynchronous as counted,
     * so that the error page or async dispatch the container runs after the call adds nothing.
     */
    public static final String COUNTED_ATTRIBUTE = "io.headcount.counted";
    /** The start of a call that is not counted ({@code System.nanoTime()} can be any other value). */
    public static final long NOT_COUNTED = Long.MIN_VALUE;
    /**
     * Advised calls under way on each thread. Kept per thread rather than passed from enter to exit
     * advice, so that the advice needs no local variable in the method it is woven into.
     */
    private static final ThreadLocal<ThreadCalls> calls = new ThreadLocal<>();
    /**
     * Each thread's {@link #calls}, also at the slot of its id: every advised call looks its thread's
     * calls up twice, once on enter and once on exit, and a request passes through a call for each
     * filter; an array slot whose owner is checked costs a few loads, a thread-local's map a hash
     * probe and a reference check. Pools number their threads one after the other, so their ids
     * rarely share a slot; one that finds another thread's calls there, or none, goes to the
     * thread-local, which stays the source of truth, and takes the slot. The owner is the thread
     * itself, held weakly, not its id, which a subclass of {@code Thread} may override: so a slot
     * keeps no dead thread alive, and no two threads can share calls whatever their ids.
     */
    static final int CALL_SLOTS = 4096;
    private static final ThreadCalls[] callSlots = new ThreadCalls[CALL_SLOTS];

    private static volatile EventQueue queue;
    // Set by configure before install writes the volatile queue, which every advice reads first:
    // so advice that finds the agent active sees them without a volatile read of its own.
    private static boolean respectGpc = true;
    private static boolean respectDnt = true;
    private static String authCookie;
    /** Whether {@code forwarded-header} is RFC 7239's {@code Forwarded}, not {@code X-Forwarded-For}. */
    private static boolean believesForwarded;
    /** False only for diagnostic.headers=user-agent; written before {@link #queue}, which publishes it. */
    private static boolean everyHeader = true;
    /** Makes a {@link HeaderReader} for a request class, or null for none; null when the agent sets none. */
    private static Function<Class<?>, HeaderReader> readerFactory;
    /** The reader for each request class the advice met, or null where it reads through the servlet API. */
    private static final ClassValue<HeaderReader> readers = new ClassValue<HeaderReader>() {
        @Override
        protected HeaderReader computeValue(Class<?> requestType) {
            Function<Class<?>, HeaderReader> factory = readerFactory;
            try {
                return factory == null ? null : factory.apply(requestType);
            } catch (Throwable t) {
                failed(t);
                return null;
            }
        }
    };
    /** Resolves a request URI too long to keep whole ({@link RequestEvent#bound}); null until the agent sets it. */
    private static UnaryOperator<String> longPaths;
    private static final AtomicLong dropped = new AtomicLong();
    private static final AtomicLong adviceErrors = new AtomicLong();
    private static volatile String lastFailure;

    private HeadcountSink() {
    }

    /** Called once by the agent before any advice can run. */
    public static void install(EventQueue eventQueue) {
        install(eventQueue, true);
    }

    /** @param readEveryHeader false only for diagnostic.headers=user-agent */
    public static void install(EventQueue eventQueue, boolean readEveryHeader) {
        everyHeader = readEveryHeader;
        queue = eventQueue;
    }

    /**
     * Called once by the agent before {@link #install}: which consent headers the advice reads, and
     * the session cookie whose presence marks a signed-in request (null for none).
     */
    public static void configure(boolean respectGpcHeader, boolean respectDntHeader, String authCookieName) {
        configure(respectGpcHeader, respectDntHeader, authCookieName, false);
    }

    /**
     * As {@link #configure(boolean, boolean, String)}, with the one forwarding header whose chain the
     * advice reads: {@code Forwarded} when {@code rfc7239}, else {@code X-Forwarded-For}. The other
     * is never read, so a request without a proxy in front pays one missing-header scan for
     * forwarding, not two.
     */
    public static void configure(boolean respectGpcHeader, boolean respectDntHeader, String authCookieName,
                                 boolean rfc7239) {
        respectGpc = respectGpcHeader;
        respectDnt = respectDntHeader;
        authCookie = authCookieName;
        believesForwarded = rfc7239;
    }

    /**
     * Called once by the agent before {@link #install}: what makes a container's own
     * {@link HeaderReader} for a request class (null for none, so every header is read through the
     * servlet API: diagnostic.headers=servlet-api).
     */
    public static void readHeadersWith(Function<Class<?>, HeaderReader> factory) {
        readerFactory = factory;
    }

    /**
     * Called once by the agent before {@link #install}: how a request URI longer than
     * {@link RequestEvent#MAX_VALUE_LENGTH} is resolved, as the container resolved it, before it is
     * cut (the agent's {@code RequestPaths.resolve}: the resolved path, or null for one the
     * containers refuse).
     */
    public static void resolveLongPathsWith(UnaryOperator<String> resolver) {
        longPaths = resolver;
    }

    /** The resolved path of a URI too long to keep whole; null when it is refused or no resolver is set. */
    static String resolveLongPath(String requestUri) {
        UnaryOperator<String> resolver = longPaths;
        return resolver == null ? null : resolver.apply(requestUri);
    }

    /**
     * Called from advice: reads every header the event needs with the reader made for the request's
     * class, in one pass over the container's own header store. Never throws; a reader that fails
     * once is not used again.
     *
     * @return false when the advice must read the headers through the servlet API: no reader for
     *     this class, a failed one, a request it cannot read, or diagnostic.headers=user-agent
     */
    public static boolean readHeaders(Object request, RequestEvent event) {
        try {
            if (readerFactory == null || !everyHeader) {
                return false;
            }
            HeaderReader reader = readers.get(request.getClass());
            if (reader == null || reader.broken) {
                return false;
            }
            try {
                return reader.read(request, event);
            } catch (Throwable t) {
                reader.broken = true;
                failed(t);
                return false;
            }
        } catch (Throwable t) {
            failed(t);
            return false;
        }
    }

    /** The name of the one forwarding header the advice reads ({@code forwarded-header}). */
    public static String forwardingHeader() {
        return believesForwarded ? "Forwarded" : "X-Forwarded-For";
    }

    /**
     * Puts the forwarding chain the advice read into the event's field for its header. Never throws.
     *
     * @param chain every line of {@link #forwardingHeader()}, joined, or null
     */
    public static void forwardingChain(RequestEvent event, String chain) {
        if (believesForwarded) {
            event.forwarded = chain;
        } else {
            event.xForwardedFor = chain;
        }
    }

    /** Whether advice reads {@code Sec-GPC} ({@code respect-gpc}). */
    public static boolean respectsGpc() {
        return respectGpc;
    }

    /** Whether advice reads {@code DNT} ({@code respect-dnt}). */
    public static boolean respectsDnt() {
        return respectDnt;
    }

    /** Whether a session cookie is configured ({@code auth.cookie}), so that advice reads the Cookie header. */
    public static boolean readsAuthCookie() {
        return authCookie != null;
    }

    /**
     * Whether a {@code Cookie} header holds the configured session cookie with a value: a scan for
     * {@code name=} at the start of a pair, on the request thread, so that no cookie is parsed into
     * objects and no cookie value leaves the request. An empty value (a cookie cleared at sign-out)
     * is no session. Never throws.
     */
    public static boolean hasAuthCookie(String cookieHeader) {
        try {
            String name = authCookie;
            if (name == null || cookieHeader == null) {
                return false;
            }
            int length = cookieHeader.length();
            for (int at = cookieHeader.indexOf(name); at >= 0; at = cookieHeader.indexOf(name, at + 1)) {
                int equals = at + name.length();
                if (equals < length && cookieHeader.charAt(equals) == '=' && startsPair(cookieHeader, at)) {
                    return equals + 1 < length && cookieHeader.charAt(equals + 1) != ';'
                            && cookieHeader.charAt(equals + 1) != ' ';
                }
            }
            return false;
        } catch (Throwable t) {
            failed(t);
            return false;
        }
    }

    /** Whether {@code at} begins a cookie pair: the header's start, or after "; " (spaces optional). */
    private static boolean startsPair(String cookieHeader, int at) {
        int before = at - 1;
        while (before >= 0 && (cookieHeader.charAt(before) == ' ' || cookieHeader.charAt(before) == '\t')) {
            before--;
        }
        return before < 0 || cookieHeader.charAt(before) == ';';
    }

    /**
     * Whether the advice reads every header the worker uses; only User-Agent when not (setting
     * diagnostic.headers=user-agent, which measures what the other reads cost).
     */
    public static boolean readsEveryHeader() {
        return everyHeader;
    }

    /** Whether the agent is on: advice does no work at all when it is not. */
    public static boolean active() {
        return queue != null;
    }

    /**
     * Called from enter advice: one more advised call on this thread, to be matched by one
     * {@link #exitCall}. A thread-local, not a request attribute: cheaper on every container than
     * an attribute, whose setting copies the app's listener list on Tomcat.
     *
     * @return this thread's calls, {@link ThreadCalls#depth} already counting this one (1 for the
     *     outermost); the advice sets the outermost's start and request
     */
    public static ThreadCalls enterCall() {
        ThreadCalls call = threadCalls(true);
        call.depth++;
        return call;
    }

    /** This thread's calls; null when it has none and {@code create} is false. */
    private static ThreadCalls threadCalls(boolean create) {
        Thread thread = Thread.currentThread();
        int slot = (int) thread.getId() & (CALL_SLOTS - 1);
        ThreadCalls call = callSlots[slot];
        if (call != null && call.owner.get() == thread) {
            return call;
        }
        call = calls.get();
        if (call == null) {
            if (!create) {
                return null;
            }
            call = new ThreadCalls(thread);
            calls.set(call);
        }
        callSlots[slot] = call;
        return call;
    }

    /**
     * Called from enter advice when a request dispatch arrives with another request object of the
     * container's class below it than the outermost call's: the exits of an earlier request on
     * this thread were lost (a stack overflow through advised methods can throw in the advice
     * itself), and without this the thread would never count again. This call becomes the
     * outermost. Not counted as an error: the request whose exits were lost may have been counted.
     */
    public static void restartCalls(ThreadCalls call) {
        call.depth = 1;
        call.start = NOT_COUNTED;
    }

    /**
     * Called from exit advice for every call that {@link #enterCall} may have entered.
     *
     * @return the start of the outermost call when this is its end and it counts, else {@link #NOT_COUNTED}
     */
    public static long exitCall() {
        ThreadCalls call = threadCalls(false);
        if (call == null || call.depth <= 0 || --call.depth > 0) {
            return NOT_COUNTED;
        }
        long start = call.start;
        call.start = NOT_COUNTED;
        call.request = null;
        return start;
    }

    /**
     * Every line of a header, joined with ", " as RFC 9110 allows; null when there is none. A proxy
     * such as HAProxy adds its own {@code X-Forwarded-For} line below the client's, and
     * {@code getHeader} would return only the client's first line. Never throws.
     */
    public static String headerLines(Enumeration<?> lines) {
        try {
            if (lines == null || !lines.hasMoreElements()) {
                return null;
            }
            Object first = lines.nextElement();
            if (!lines.hasMoreElements()) {
                return first == null ? null : first.toString();
            }
            StringBuilder joined = new StringBuilder().append(first);
            while (lines.hasMoreElements()) {
                joined.append(", ").append(lines.nextElement());
            }
            return joined.toString();
        } catch (Throwable t) {
            failed(t);
            return null;
        }
    }

    /** Called from advice on the request thread when the outermost call ends. Never throws. */
    public static void record(RequestEvent event) {
        try {
            EventQueue q = queue;
            if (q == null) {
                return;
            }
            boolean heavy = event.bound() > RequestEvent.LIGHT_CHARS;
            if (!(heavy ? q.offerHeavy(event) : q.offer(event))) {
                dropped.incrementAndGet();
            }
        } catch (Throwable t) {
            failed(t);
        }
    }

    /**
     * Called from advice on the request thread when the outermost call returns with the request
     * gone asynchronous: the request is counted when it completes, with its final status and routes.
     *
     * @param event what the request thread saw, status, duration and routes still to come
     * @param listenerType the app's {@code AsyncListener} interface, which names the servlet API
     */
    public static void recordWhenComplete(RequestEvent event, Object request, Object response, Class<?> listenerType,
                                          long startNanos) {
        try {
            if (queue == null) {
                return;
            }
            AsyncCompletion completion = new AsyncCompletion(event, request, response, listenerType, startNanos);
            completion.attach(Proxy.newProxyInstance(listenerType.getClassLoader(),
                    new Class<?>[] {listenerType}, completion));
        } catch (Throwable t) {
            failed(t);
        }
    }

    /**
     * Whether the container's own servlet answered: its default servlet (named {@code default} by
     * Tomcat, Jetty's deployers and Undertow) or the 404 servlet that Jetty's servlet handler adds
     * when nothing else maps {@code /}. Called from advice only for answers where it matters.
     *
     * @param request the request, to ask Jetty 9.4 (Servlet 3.1, no servlet mapping API) by name
     * @param servletName the name from {@code getHttpServletMapping()}, or null or "" when the
     *     container did not say
     */
    public static boolean isContainerServlet(Object request, String servletName) {
        try {
            String name = servletName == null || servletName.isEmpty() ? ServletNames.of(request) : servletName;
            return name != null && (name.equals("default") || name.contains("Default404Servlet"));
        } catch (Throwable t) {
            failed(t);
            return false;
        }
    }

    /**
     * Called from advice when the advice itself failed; the app never sees it. Kept for the worker's
     * log line (the type and place, never the message).
     */
    public static void adviceFailed(Throwable failure) {
        failed(failure);
    }

    private static void failed(Throwable failure) {
        adviceErrors.incrementAndGet();
        try {
            // Its type and place as text: the throwable itself would keep the app's classes, and so
            // an undeployed app's class loader, alive through its stack trace.
            StackTraceElement[] trace = failure.getStackTrace();
            lastFailure = failure.getClass().getName()
                    + (trace.length == 0 ? "" : " at " + trace[0].getClassName() + "." + trace[0].getMethodName());
        } catch (Throwable t) {
            // Counted; the log line goes without the place.
        }
    }

    /**
     * The last failure of the advice, as its type and the method it was thrown in, or null: for the
     * worker's log line (never its message, which could quote a request).
     */
    public static String lastAdviceFailure() {
        return lastFailure;
    }

    public static long droppedEvents() {
        return dropped.get();
    }

    public static long adviceErrors() {
        return adviceErrors.get();
    }
}
