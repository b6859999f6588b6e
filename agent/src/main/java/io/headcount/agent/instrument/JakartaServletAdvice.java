package io.headcount.agent.instrument;

import io.headcount.agent.bootstrap.HeadcountSink;
import io.headcount.agent.bootstrap.RequestEvent;
import io.headcount.agent.bootstrap.RouteTemplates;
import io.headcount.agent.bootstrap.ThreadCalls;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import net.bytebuddy.asm.Advice;

/**
 * Woven into the {@code service} and {@code doFilter} methods of every servlet and filter: as it is
 * for jakarta ones, and as {@link JavaxAdvice} derives it, the package names remapped, for javax ones.
 * Only the outermost call of a request counts: a call depth per thread finds it, so filters,
 * forwards and includes add nothing, and the app sees no attribute of ours on a plain request. The
 * depth mends itself: a request dispatch whose request object, under the app's wrappers, is another
 * of the outermost call's class begins a new count, for only exits lost at the stack's edge leave
 * one. A
 * request that ends in an error or goes asynchronous is marked with a request attribute, so that
 * the error page or async dispatch that the container runs after the call is not counted again.
 * When a forward, include or error dispatch begins, the route that the framework matched so far is
 * kept (see {@link RouteTemplates}), so that the request counts under what the client asked for. A
 * request that went asynchronous is counted when it completes. The code runs on the request
 * thread: it reads a few fields into one {@link RequestEvent} and hands it to the sink; choosing the
 * route from the attributes read is left to the worker. The two methods are copied into the
 * class they serve, or inlined there, so they can call no helper of this class, which the app
 * cannot load: hence the repetition, and JDK, servlet and bootstrap types only; and no string
 * concatenation, which would compile to an invokedynamic that old class files cannot hold.
 */
public final class JakartaServletAdvice {
    private JakartaServletAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(0) ServletRequest request) {
        try {
            if (!HeadcountSink.active() || !(request instanceof HttpServletRequest)) {
                return;
            }
            ThreadCalls call = HeadcountSink.enterCall();
            DispatcherType dispatch = DispatcherType.REQUEST;
            try {
                dispatch = request.getDispatcherType();
            } catch (Throwable servlet25HasNoDispatcherTypes) {
                // Every outermost call is then a request.
            }
            if (call.depth == 1 || dispatch == DispatcherType.REQUEST) {
                // The container's own request under the app's wrappers; at most 16, as a wrapper
                // could wrap itself.
                ServletRequest underlying = request;
                try {
                    for (int i = 0; i < 16 && underlying instanceof ServletRequestWrapper; i++) {
                        underlying = ((ServletRequestWrapper) underlying).getRequest();
                    }
                } catch (Throwable wrapperFailed) {
                    underlying = request;
                }
                // Filters and the servlet of one request see its own request, wrapped or not. Another
                // object of the container's own class here means that an earlier request's exits were
                // lost on this thread; one of another class is a filter's own request (a Proxy, say),
                // nested in this one.
                if (call.depth > 1 && underlying != call.request
                        && (call.request == null || underlying.getClass() == call.request.getClass())) {
                    HeadcountSink.restartCalls(call);
                }
                if (call.depth == 1) {
                    call.request = underlying;
                }
            }
            if (call.depth == 1) {
                boolean counts = dispatch == DispatcherType.REQUEST || dispatch == DispatcherType.ERROR
                        && request.getAttribute(HeadcountSink.COUNTED_ATTRIBUTE) == null;
                call.start = counts ? System.nanoTime() : HeadcountSink.NOT_COUNTED;
                if (counts) {
                    return;
                }
            }
            if (dispatch != DispatcherType.REQUEST && dispatch != DispatcherType.ASYNC
                    && request.getAttribute(RouteTemplates.ATTRIBUTE) == null) {
                Object spring = request.getAttribute(RouteTemplates.SPRING_ATTRIBUTE);
                request.setAttribute(RouteTemplates.ATTRIBUTE, spring instanceof String
                        ? ((HttpServletRequest) request).getContextPath().concat((String) spring) : "");
            }
        } catch (Throwable t) {
            try {
                HeadcountSink.adviceFailed(t);
            } catch (Throwable stackOverflow) {
                // Nothing more can be done here; the app never sees it.
            }
        }
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Argument(0) ServletRequest request,
                            @Advice.Argument(1) ServletResponse response,
                            @Advice.Thrown Throwable thrown) {
        if (!(request instanceof HttpServletRequest)) {
            return;
        }
        try {
            long start = HeadcountSink.exitCall();
            if (start == HeadcountSink.NOT_COUNTED) {
                return;
            }
            HttpServletRequest http = (HttpServletRequest) request;
            boolean async = false;
            boolean containerAnswered = false;
            // The error dispatch's original path, else null: the path is then read with the headers,
            // where Tomcat's reader makes its text without a charset decoder.
            String requestUri = null;
            try {
                if (thrown == null && response instanceof HttpServletResponse) {
                    async = request.isAsyncStarted();
                }
                // An error dispatch that is the first call of a request (the container matched no
                // servlet) shows the error page's path; the client asked for the original one.
                if (request.getDispatcherType() == DispatcherType.ERROR) {
                    containerAnswered = true;
                    Object original = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
                    if (original instanceof String) {
                        requestUri = (String) original;
                    }
                }
            } catch (Throwable servlet25HasNoAsync) {
                async = false;
            }
            long end = async ? 0 : System.nanoTime();
            RequestEvent event = new RequestEvent();
            event.method = http.getMethod();
            event.requestUri = requestUri;
            event.remoteAddr = http.getRemoteAddr();
            // On Tomcat one pass over its own header store, the context path with it; elsewhere
            // one getHeader per name.
            if (!HeadcountSink.readHeaders(request, event)) {
                event.contextPath = http.getContextPath();
                event.userAgent = http.getHeader("User-Agent");
                // Consent is read in every mode, diagnostic ones included: an opted-out visitor is never hashed.
                event.optedOut = HeadcountSink.respectsGpc() && "1".equals(http.getHeader("Sec-GPC"))
                        || HeadcountSink.respectsDnt() && "1".equals(http.getHeader("DNT"));
                if (HeadcountSink.readsEveryHeader()) {
                    // The Host header only tells an internal referrer from an external one.
                    event.referer = http.getHeader("Referer");
                    event.host = event.referer == null ? null : http.getHeader("Host");
                    // Only the forwarding header the agent believes (forwarded-header). getHeader first:
                    // most requests carry none, and getHeaders allocates an enumeration on Tomcat even
                    // when there is nothing to enumerate.
                    String forwarding = HeadcountSink.forwardingHeader();
                    if (http.getHeader(forwarding) != null) {
                        HeadcountSink.forwardingChain(event, HeadcountSink.headerLines(http.getHeaders(forwarding)));
                    }
                    // Sign-in leaves as a boolean: presence tests, no name, token or cookie value.
                    // Authorization before the principal: Jetty's deferred authentication would check the
                    // credentials of a header the principal call finds. Client hints only from User-Agents
                    // with a Chrome/ token, as only Chromium sends them.
                    event.authenticated = http.getHeader("Authorization") != null || http.getUserPrincipal() != null
                            || HeadcountSink.readsAuthCookie() && HeadcountSink.hasAuthCookie(http.getHeader("Cookie"));
                    if (event.userAgent != null && event.userAgent.indexOf("Chrome/") >= 0
                            && (event.secChUa = http.getHeader("Sec-CH-UA")) != null) {
                        event.secChUaMobile = http.getHeader("Sec-CH-UA-Mobile");
                        event.secChUaPlatform = http.getHeader("Sec-CH-UA-Platform");
                    }
                }
            }
            if (event.requestUri == null) {
                event.requestUri = http.getRequestURI();
            }
            if (async) {
                request.setAttribute(HeadcountSink.COUNTED_ATTRIBUTE, Boolean.TRUE);
                HeadcountSink.recordWhenComplete(event, request, response, AsyncListener.class, start);
                return;
            }
            event.durationNanos = end - start;
            int status = thrown != null ? 500
                    : response instanceof HttpServletResponse ? ((HttpServletResponse) response).getStatus() : 200;
            if (status >= 400) {
                request.setAttribute(HeadcountSink.COUNTED_ATTRIBUTE, Boolean.TRUE);
            }
            String method = event.method;
            // Which servlet answered is read only where the default servlet could make a label
            // that no file backs: a POST it refused, or another method but GET and HEAD (a 404 is
            // not_found anyway). GET and HEAD, most requests, pay nothing.
            if (!containerAnswered && status != 404 && !"GET".equals(method) && !"HEAD".equals(method)
                    && (status >= 400 || !"POST".equals(method))) {
                String servlet = null;
                try {
                    servlet = http.getHttpServletMapping().getServletName();
                } catch (Throwable servlet31HasNoMapping) {
                    // The sink asks the request itself.
                }
                containerAnswered = HeadcountSink.isContainerServlet(request, servlet);
            }
            event.status = status;
            event.containerAnswered = containerAnswered;
            event.routes(request.getAttribute(RouteTemplates.ATTRIBUTE),
                    request.getAttribute(RouteTemplates.SPRING_ATTRIBUTE));
            HeadcountSink.record(event);
        } catch (Throwable t) {
            try {
                HeadcountSink.adviceFailed(t);
            } catch (Throwable stackOverflow) {
                // Nothing more can be done here; the app never sees it.
            }
        }
    }
}
