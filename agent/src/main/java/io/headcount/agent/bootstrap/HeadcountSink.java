package io.headcount.agent.bootstrap;

import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one door between advice inlined into application classes and the agent.
 *
 * <p>This class lives on the bootstrap class loader and uses JDK types only, so advice inlined
 * into a class of any web-app class loader can call it. It is the only place with static mutable
 * state in the agent: the queue is installed once by the agent and read by every request thread.
 */
public final class HeadcountSink {
    /** Request attribute that marks a request as already being counted by an outer call. */
    public static final String COUNTED_ATTRIBUTE = "io.headcount.counted";
    /** Spring MVC's best-matching pattern: the route template of the handler that served the request. */
    public static final String SPRING_ROUTE_ATTRIBUTE = "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";
    /** What enter advice returns for a call that is not counted ({@code System.nanoTime()} can be any other value). */
    public static final long NOT_COUNTED = Long.MIN_VALUE;

    private static volatile EventQueue queue;
    private static final AtomicLong dropped = new AtomicLong();
    private static final AtomicLong adviceErrors = new AtomicLong();

    private HeadcountSink() {
    }

    /** Called once by the agent before any advice can run. */
    public static void install(EventQueue eventQueue) {
        queue = eventQueue;
    }

    /** Whether the agent is on: advice does no work at all when it is not. */
    public static boolean active() {
        return queue != null;
    }

    /** Called from advice on the request thread when the outermost call ends. Never throws. */
    public static void record(String method, String requestUri, String contextPath, String route,
                              String userAgent, String referer, String host, String remoteAddr,
                              String forwarded, String xForwardedFor, int status, long durationNanos) {
        try {
            EventQueue q = queue;
            if (q == null) {
                return;
            }
            RequestEvent event = new RequestEvent(method, requestUri, contextPath, route, userAgent, referer,
                    host, remoteAddr, forwarded, xForwardedFor, status, durationNanos);
            if (!q.offer(event)) {
                dropped.incrementAndGet();
            }
        } catch (Throwable t) {
            adviceErrors.incrementAndGet();
        }
    }

    /**
     * Called from advice on the request thread when the outermost call returns with the request
     * gone asynchronous: the request is counted when it completes, with its final status.
     *
     * @param requestType the app's {@code ServletRequest} interface (public, so reflection works on any implementation)
     * @param responseType the app's {@code HttpServletResponse} interface
     * @param listenerType the app's {@code AsyncListener} interface
     */
    public static void recordWhenComplete(Object request, Object response, Class<?> requestType,
                                          Class<?> responseType, Class<?> listenerType,
                                          String method, String requestUri, String contextPath,
                                          String userAgent, String referer, String host, String remoteAddr,
                                          String forwarded, String xForwardedFor, long startNanos) {
        try {
            if (queue == null) {
                return;
            }
            AsyncCompletion completion = new AsyncCompletion(request, response, requestType, responseType,
                    listenerType, method, requestUri, contextPath, userAgent, referer, host, remoteAddr, forwarded,
                    xForwardedFor, startNanos);
            completion.attach(Proxy.newProxyInstance(listenerType.getClassLoader(),
                    new Class<?>[] {listenerType}, completion));
        } catch (Throwable t) {
            adviceErrors.incrementAndGet();
        }
    }

    /** Called from advice when the advice itself failed; the app never sees it. */
    public static void adviceFailed() {
        adviceErrors.incrementAndGet();
    }

    public static long droppedEvents() {
        return dropped.get();
    }

    public static long adviceErrors() {
        return adviceErrors.get();
    }
}
