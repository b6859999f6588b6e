package io.headcount.agent.bootstrap;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts a request that went asynchronous when it really ends. It stands behind a
 * {@link java.lang.reflect.Proxy} of the app's own {@code AsyncListener} type, so the agent needs no
 * class of its own in the app's class loader; it reaches the servlet objects only through their
 * public API types, by reflection. One-shot: some containers report an end twice, or an error
 * without a completion.
 */
final class AsyncCompletion implements InvocationHandler {
    private final Object request;
    private final Object response;
    private final Method getStatus;
    private final Method getAttribute;
    private final Method getAsyncContext;
    private final Method addListener;
    private final String method;
    private final String requestUri;
    private final String contextPath;
    private final String userAgent;
    private final String referer;
    private final String host;
    private final String remoteAddr;
    private final String forwarded;
    private final String xForwardedFor;
    private final long startNanos;
    private final AtomicBoolean recorded = new AtomicBoolean();
    private volatile boolean failed;
    private volatile Object proxy;

    AsyncCompletion(Object request, Object response, Class<?> requestType, Class<?> responseType,
                    Class<?> listenerType, String method, String requestUri, String contextPath, String userAgent,
                    String referer, String host, String remoteAddr, String forwarded, String xForwardedFor,
                    long startNanos) throws NoSuchMethodException {
        this.request = request;
        this.getStatus = responseType.getMethod("getStatus");
        this.getAttribute = requestType.getMethod("getAttribute", String.class);
        this.getAsyncContext = requestType.getMethod("getAsyncContext");
        this.addListener = getAsyncContext.getReturnType().getMethod("addListener", listenerType);
        this.method = method;
        this.requestUri = requestUri;
        this.contextPath = contextPath;
        this.userAgent = userAgent;
        this.referer = referer;
        this.host = host;
        this.remoteAddr = remoteAddr;
        this.forwarded = forwarded;
        this.xForwardedFor = xForwardedFor;
        this.startNanos = startNanos;
        this.response = response;
    }

    void attach(Object listenerProxy) throws ReflectiveOperationException {
        proxy = listenerProxy;
        addListener.invoke(getAsyncContext.invoke(request), listenerProxy);
    }

    @Override
    public Object invoke(Object self, Method called, Object[] arguments) {
        String name = called.getName();
        try {
            switch (name) {
                case "onComplete":
                    finish();
                    return null;
                case "onTimeout":
                case "onError":
                    failed = true;
                    return null;
                case "onStartAsync":
                    // A new async cycle drops its listeners: come along into it.
                    attach(proxy);
                    return null;
                case "hashCode":
                    return System.identityHashCode(self);
                case "equals":
                    return self == arguments[0];
                case "toString":
                    return "headcount async listener";
                default:
                    return null;
            }
        } catch (Throwable t) {
            HeadcountSink.adviceFailed();
            return null;
        }
    }

    /** Only an app's servlet goes asynchronous: the container did not answer by itself. */
    private void finish() throws ReflectiveOperationException {
        if (!recorded.compareAndSet(false, true)) {
            return;
        }
        // A timeout or error counts as 5xx whatever the app answered in its own listener.
        int status = failed ? 500 : (Integer) getStatus.invoke(response);
        String route = RouteTemplates.choose(getAttribute.invoke(request, RouteTemplates.ATTRIBUTE),
                getAttribute.invoke(request, HeadcountSink.SPRING_ROUTE_ATTRIBUTE), contextPath);
        HeadcountSink.record(method, requestUri, contextPath, route, userAgent, referer, host, remoteAddr, forwarded,
                xForwardedFor, status, System.nanoTime() - startNanos, false);
    }
}
