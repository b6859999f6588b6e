package io.headcount.agent.instrument;

import io.headcount.agent.bootstrap.HeadcountSink;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into the {@code service} and {@code doFilter} methods of every jakarta servlet and filter.
 * Only the outermost call of a request counts: a request attribute marks it, so filters, forwards,
 * includes and error dispatches add nothing. A request that went asynchronous is counted when it
 * completes. The code runs on the request thread: it reads a few fields and hands them to the sink.
 */
public final class JakartaServletAdvice {
    private JakartaServletAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static long enter(@Advice.Argument(0) ServletRequest request) {
        try {
            if (!HeadcountSink.active() || !(request instanceof HttpServletRequest)
                    || request.getAttribute(HeadcountSink.COUNTED_ATTRIBUTE) != null) {
                return HeadcountSink.NOT_COUNTED;
            }
            request.setAttribute(HeadcountSink.COUNTED_ATTRIBUTE, Boolean.TRUE);
            return System.nanoTime();
        } catch (Throwable t) {
            HeadcountSink.adviceFailed();
            return HeadcountSink.NOT_COUNTED;
        }
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter long start,
                            @Advice.Argument(0) ServletRequest request,
                            @Advice.Argument(1) ServletResponse response,
                            @Advice.Thrown Throwable thrown) {
        if (start == HeadcountSink.NOT_COUNTED) {
            return;
        }
        try {
            HttpServletRequest http = (HttpServletRequest) request;
            // Inlined code can call no helper of this class, which the app cannot load: hence inline.
            boolean async = false;
            if (thrown == null && response instanceof HttpServletResponse) {
                try {
                    async = request.isAsyncStarted();
                } catch (Throwable servlet25HasNoAsync) {
                    async = false;
                }
            }
            if (async) {
                HeadcountSink.recordWhenComplete(request, response, ServletRequest.class, HttpServletResponse.class,
                        AsyncListener.class, http.getMethod(), http.getRequestURI(), http.getContextPath(),
                        http.getHeader("User-Agent"), http.getHeader("Referer"), http.getHeader("Host"),
                        http.getRemoteAddr(), http.getHeader("Forwarded"), http.getHeader("X-Forwarded-For"), start);
                return;
            }
            long duration = System.nanoTime() - start;
            int status = thrown != null ? 500
                    : response instanceof HttpServletResponse ? ((HttpServletResponse) response).getStatus() : 200;
            Object route = request.getAttribute(HeadcountSink.SPRING_ROUTE_ATTRIBUTE);
            HeadcountSink.record(http.getMethod(), http.getRequestURI(), http.getContextPath(),
                    route instanceof String ? (String) route : null,
                    http.getHeader("User-Agent"), http.getHeader("Referer"), http.getHeader("Host"),
                    http.getRemoteAddr(), http.getHeader("Forwarded"), http.getHeader("X-Forwarded-For"),
                    status, duration);
        } catch (Throwable t) {
            HeadcountSink.adviceFailed();
        }
    }
}
