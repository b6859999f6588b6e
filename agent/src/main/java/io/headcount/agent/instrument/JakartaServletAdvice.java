package io.headcount.agent.instrument;

import io.headcount.agent.bootstrap.HeadcountSink;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code jakarta.servlet.http.HttpServlet.service}. Only the outermost call of a request
 * counts: a request attribute marks it, so forwards, includes and error dispatches add nothing.
 * The code here runs on the request thread: it reads a few fields and hands them to the sink.
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
            long duration = System.nanoTime() - start;
            HttpServletRequest http = (HttpServletRequest) request;
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
