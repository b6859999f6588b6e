package io.headcount.agent.bootstrap;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts a request that went asynchronous when it really ends. It stands behind a
 * {@link java.lang.reflect.Proxy} of the app's own {@code AsyncListener} type, so the agent needs no
 * class of its own in the app's class loader; it reaches the servlet objects only through their
 * public API types, by reflection, looked up once per servlet API. One-shot: some containers report
 * an end twice, or an error without a completion.
 */
final class AsyncCompletion implements InvocationHandler {
    /** The reflective lookups, per {@code AsyncListener} type: one per servlet API in the JVM. */
    private static final ClassValue<ServletApi> APIS = new ClassValue<ServletApi>() {
        @Override
        protected ServletApi computeValue(Class<?> listenerType) {
            return ServletApi.of(listenerType);
        }
    };

    private final RequestEvent event;
    private final Object request;
    private final Object response;
    private final ServletApi api;
    private final long startNanos;
    private final AtomicBoolean recorded = new AtomicBoolean();
    private volatile boolean failed;
    private volatile Object proxy;

    AsyncCompletion(RequestEvent event, Object request, Object response, Class<?> listenerType, long startNanos) {
        this.event = event;
        this.request = request;
        this.response = response;
        this.api = APIS.get(listenerType);
        this.startNanos = startNanos;
    }

    void attach(Object listenerProxy) throws ReflectiveOperationException {
        proxy = listenerProxy;
        api.addListener.invoke(api.getAsyncContext.invoke(request), listenerProxy);
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
                    // The app may answer its own timeout (a long poll's 204); if it does not, the
                    // container or framework sets its error status before the request completes.
                    return null;
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
            HeadcountSink.adviceFailed(t);
            return null;
        }
    }

    /** Only an app's servlet goes asynchronous: the container did not answer by itself. */
    private void finish() throws ReflectiveOperationException {
        if (!recorded.compareAndSet(false, true)) {
            return;
        }
        // An error (an I/O failure, a client gone) is a 5xx unless the answer already is an error.
        int status = (Integer) api.getStatus.invoke(response);
        event.status = failed && status < 400 ? 500 : status;
        event.routes(api.getAttribute.invoke(request, RouteTemplates.ATTRIBUTE),
                api.getAttribute.invoke(request, RouteTemplates.SPRING_ATTRIBUTE));
        event.durationNanos = System.nanoTime() - startNanos;
        event.containerAnswered = false;
        HeadcountSink.record(event);
    }

    /** The public API methods the completion calls, found from the listener type's package. */
    private static final class ServletApi {
        final Method getStatus;
        final Method getAttribute;
        final Method getAsyncContext;
        final Method addListener;

        private ServletApi(Method getStatus, Method getAttribute, Method getAsyncContext, Method addListener) {
            this.getStatus = getStatus;
            this.getAttribute = getAttribute;
            this.getAsyncContext = getAsyncContext;
            this.addListener = addListener;
        }

        /** @param listenerType {@code jakarta.servlet.AsyncListener} or {@code javax.servlet.AsyncListener} */
        static ServletApi of(Class<?> listenerType) {
            try {
                String api = listenerType.getPackage().getName() + ".";
                ClassLoader loader = listenerType.getClassLoader();
                Class<?> requestType = Class.forName(api + "ServletRequest", false, loader);
                Class<?> responseType = Class.forName(api + "http.HttpServletResponse", false, loader);
                Method getAsyncContext = requestType.getMethod("getAsyncContext");
                return new ServletApi(responseType.getMethod("getStatus"),
                        requestType.getMethod("getAttribute", String.class), getAsyncContext,
                        getAsyncContext.getReturnType().getMethod("addListener", listenerType));
            } catch (ReflectiveOperationException e) {
                // Surfaces as the advice error of the request that asked.
                throw new IllegalStateException(e);
            }
        }
    }
}
