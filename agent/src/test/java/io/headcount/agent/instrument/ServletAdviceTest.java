package io.headcount.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.example.webapp.Scripted;
import io.headcount.agent.bootstrap.EventQueue;
import io.headcount.agent.bootstrap.HeadcountSink;
import io.headcount.agent.bootstrap.RequestEvent;
import io.headcount.agent.bootstrap.RouteTemplates;
import io.headcount.agent.classify.FrameworkRoutes;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The woven advice at work: a servlet and a filter of an app, rewritten by the transformer and
 * loaded apart as a container would, called the way containers call them.
 */
class ServletAdviceTest {
    private static final String SPRING = RouteTemplates.SPRING_ATTRIBUTE;

    private final EventQueue queue = new EventQueue(64);
    private long adviceErrorsBefore;
    private Servlet servlet;
    private Filter filter;

    /** Whether to weave with Byte Buddy, as on attach, rather than with the plain call weaver. */
    boolean generalWeaver() {
        return false;
    }

    @Test
    void theWeaverIsTheOneAskedFor() throws Exception {
        boolean copied = false;
        for (Method method : servlet.getClass().getDeclaredMethods()) {
            copied |= method.getName().equals("headcount$enter");
        }
        assertEquals(!generalWeaver(), copied);
    }

    @BeforeEach
    void weaveAndStart() throws Exception {
        HeadcountSink.install(queue);
        adviceErrorsBefore = HeadcountSink.adviceErrors();
        ClassLoader app = new WovenLoader(generalWeaver(), Scripted.Servlet.class, Scripted.ServletFilter.class);
        servlet = (Servlet) app.loadClass(Scripted.Servlet.class.getName()).getDeclaredConstructor().newInstance();
        filter = (Filter) app.loadClass(Scripted.ServletFilter.class.getName()).getDeclaredConstructor().newInstance();
    }

    @AfterEach
    void stop() {
        HeadcountSink.install(null);
        HeadcountSink.configure(true, true, null);
    }

    @Test
    void consentSignInAndHintsLeaveAsBooleansAndTheThreeHints() throws Exception {
        FakeRequest request = new FakeRequest("GET", "", "/api/users");
        request.headers.put("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"
                + " (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36");
        request.headers.put("Sec-GPC", "1");
        request.headers.put("Sec-CH-UA", "\"Google Chrome\";v=\"131\", \"Chromium\";v=\"131\"");
        request.headers.put("Sec-CH-UA-Mobile", "?0");
        request.headers.put("Sec-CH-UA-Platform", "\"Windows\"");
        request.headers.put("Cookie", "theme=dark; remember-me=x7");
        request.principal = () -> "ada";
        RequestEvent event = serve(request);
        assertTrue(event.optedOut);
        assertTrue(event.authenticated);
        assertEquals("\"Google Chrome\";v=\"131\", \"Chromium\";v=\"131\"", event.secChUa);
        assertEquals("?0", event.secChUaMobile);
        assertEquals("\"Windows\"", event.secChUaPlatform);
        // Sec-GPC answered; the principal answered: DNT and Cookie are not read.
        assertEquals(List.of("User-Agent", "Sec-GPC", "Referer", "X-Forwarded-For", "Authorization",
                "Sec-CH-UA", "Sec-CH-UA-Mobile", "Sec-CH-UA-Platform"), request.headersRead);
    }

    @Test
    void aNonChromiumClientHasItsHintsLeftUnread() throws Exception {
        FakeRequest request = new FakeRequest("GET", "", "/api/users");
        request.headers.put("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0");
        request.headers.put("DNT", "1");
        request.headers.put("Sec-CH-UA", "\"Google Chrome\";v=\"131\"");
        request.headers.put("Authorization", "Bearer secret");
        RequestEvent event = serve(request);
        assertTrue(event.optedOut);
        assertTrue(event.authenticated);
        assertEquals(null, event.secChUa);
        assertEquals(List.of("User-Agent", "Sec-GPC", "DNT", "Referer", "X-Forwarded-For",
                "Authorization"), request.headersRead);
        assertEquals(0, request.principalReads);
    }

    @Test
    void theSettingsDecideWhichConsentHeadersAndWhetherTheCookieAreRead() throws Exception {
        HeadcountSink.configure(false, false, "remember-me");
        FakeRequest request = new FakeRequest("GET", "", "/api/users");
        request.headers.put("Sec-GPC", "1");
        request.headers.put("DNT", "1");
        request.headers.put("Cookie", "theme=dark; remember-me=x7");
        RequestEvent event = serve(request);
        assertFalse(event.optedOut);
        assertTrue(event.authenticated);
        assertEquals(List.of("User-Agent", "Referer", "X-Forwarded-For", "Authorization", "Cookie"),
                request.headersRead);
        FakeRequest anonymous = new FakeRequest("GET", "", "/api/users");
        anonymous.headers.put("Cookie", "theme=dark; xremember-me=x7");
        assertFalse(serve(anonymous).authenticated);
    }

    private RequestEvent serve(FakeRequest request) throws Exception {
        FakeResponse response = new FakeResponse();
        request.script((req, res, chain) -> response.status = 200);
        servlet.service(request.proxy(), response.proxy());
        return onlyEvent();
    }

    @Test
    void everyHeaderTheWorkerUsesIsRead() throws Exception {
        FakeRequest request = browserRequestThroughAProxy();
        servlet.service(request.proxy(), new FakeResponse().proxy());
        RequestEvent event = onlyEvent();
        assertEquals("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", event.userAgent);
        assertEquals("https://news.example.org/today", event.referer);
        assertEquals("shop.example.com", event.host);
        assertEquals(null, event.forwarded);
        assertEquals("198.51.100.8", event.xForwardedFor);
        assertEquals(List.of("User-Agent", "Sec-GPC", "DNT", "Referer", "Host", "X-Forwarded-For", "Authorization"),
                request.headersRead);
    }

    @Test
    void onlyTheForwardedHeaderTheAgentBelievesIsRead() throws Exception {
        HeadcountSink.configure(true, true, null, true);
        FakeRequest request = browserRequestThroughAProxy();
        servlet.service(request.proxy(), new FakeResponse().proxy());
        RequestEvent event = onlyEvent();
        assertEquals("for=198.51.100.7", event.forwarded);
        assertEquals(null, event.xForwardedFor);
        assertEquals(List.of("User-Agent", "Sec-GPC", "DNT", "Referer", "Host", "Forwarded", "Authorization"),
                request.headersRead);
    }

    @Test
    void diagnosticHeadersUserAgentReadsNoOtherHeaderButConsent() throws Exception {
        HeadcountSink.install(queue, false);
        FakeRequest request = browserRequestThroughAProxy();
        request.headers.put("DNT", "1");
        servlet.service(request.proxy(), new FakeResponse().proxy());
        RequestEvent event = onlyEvent();
        assertEquals("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", event.userAgent);
        assertEquals(null, event.referer);
        assertEquals(null, event.host);
        assertEquals(null, event.forwarded);
        assertEquals(null, event.xForwardedFor);
        assertEquals(List.of("User-Agent", "Sec-GPC", "DNT"), request.headersRead);
        assertTrue(event.optedOut);
        assertEquals(0, request.principalReads);
        assertEquals("203.0.113.10", event.remoteAddr);
        assertEquals("/api/users/7", event.requestUri);
        assertEquals(200, event.status);
    }

    private static FakeRequest browserRequestThroughAProxy() {
        FakeRequest request = new FakeRequest("GET", "", "/api/users/7");
        request.headers.put("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0");
        request.headers.put("Referer", "https://news.example.org/today");
        request.headers.put("Host", "shop.example.com");
        request.headers.put("Forwarded", "for=198.51.100.7");
        request.headers.put("X-Forwarded-For", "198.51.100.8");
        request.script((req, res, chain) -> { });
        return request;
    }

    @Test
    void aFiltersOwnAnswerIsCountedOnceWithItsStatus() throws Exception {
        FakeRequest request = new FakeRequest("GET", "", "/api/secret");
        FakeResponse response = new FakeResponse();
        request.script((req, res, chain) -> response.status = 401);
        filter.doFilter(request.proxy(), response.proxy(), null);
        RequestEvent event = onlyEvent();
        assertEquals(401, event.status);
        assertEquals("/api/secret", event.requestUri);
    }

    @Test
    void filtersAndTheServletBehindThemCountOnce() throws Exception {
        FakeRequest request = new FakeRequest("GET", "", "/api/users/7");
        FakeResponse response = new FakeResponse();
        request.script(
                (req, res, chain) -> filter.doFilter(req, res, chain),
                (req, res, chain) -> servlet.service(req, res),
                (req, res, chain) -> response.status = 200);
        filter.doFilter(request.proxy(), response.proxy(), null);
        assertEquals(200, onlyEvent().status);
    }

    @Test
    void aForwardCountsUnderTheRouteTheRequestWasFirstMatchedTo() throws Exception {
        FakeRequest request = new FakeRequest("GET", "/shop", "/shop/api/forward");
        FakeResponse response = new FakeResponse();
        request.script(
                (req, res, chain) -> {
                    req.setAttribute(SPRING, "/api/forward");
                    request.dispatch(DispatcherType.FORWARD, () -> servlet.service(req, res));
                },
                (req, res, chain) -> {
                    req.setAttribute(SPRING, "/api/users/{id}");
                    response.status = 200;
                });
        servlet.service(request.proxy(), response.proxy());
        RequestEvent event = onlyEvent();
        assertEquals("/api/forward", route(event));
        assertEquals("/shop/api/forward", event.requestUri);
        assertEquals("/shop/api/forward", request.attributes.get(RouteTemplates.ATTRIBUTE));
    }

    @Test
    void aForwardFromWhereNoFrameworkMatchedCountsWithoutARoute() throws Exception {
        FakeRequest request = new FakeRequest("GET", "", "/api/forward");
        FakeResponse response = new FakeResponse();
        request.script(
                (req, res, chain) -> request.dispatch(DispatcherType.FORWARD, () -> servlet.service(req, res)),
                (req, res, chain) -> {
                    if (req.getAttribute(RouteTemplates.ATTRIBUTE) == null) { // as the JAX-RS hook does
                        req.setAttribute(RouteTemplates.ATTRIBUTE, "/api/users/{id}");
                    }
                    req.setAttribute(SPRING, "/api/users/{id}");
                    response.status = 200;
                });
        servlet.service(request.proxy(), response.proxy());
        assertEquals(null, route(onlyEvent()));
    }

    @Test
    void aFrameworkRouteRelativeToTheContextIsTheRoute() throws Exception {
        FakeRequest request = new FakeRequest("GET", "/shop", "/shop/owners/ada");
        FakeResponse response = new FakeResponse();
        request.script((req, res, chain) -> {
            req.setAttribute(SPRING, "/owners/{ownerId:[a-z]+}");
            response.status = 200;
        });
        servlet.service(request.proxy(), response.proxy());
        assertEquals("/owners/{ownerId}", route(onlyEvent()));
    }

    @Test
    void aJaxRsRouteFromTheServerRootLosesTheContextPath() throws Exception {
        FakeRequest request = new FakeRequest("GET", "/shop", "/shop/api/users/7");
        FakeResponse response = new FakeResponse();
        request.script((req, res, chain) -> {
            req.setAttribute(RouteTemplates.ATTRIBUTE, "/shop/api/users/{id}");
            response.status = 200;
        });
        servlet.service(request.proxy(), response.proxy());
        assertEquals("/api/users/{id}", route(onlyEvent()));
    }

    @Test
    void anExceptionThatEscapesCountsAs500AndStillReachesTheContainer() {
        FakeRequest request = new FakeRequest("GET", "", "/api/boom");
        FakeResponse response = new FakeResponse();
        request.script((req, res, chain) -> {
            throw new ServletException("boom");
        });
        assertThrows(ServletException.class, () -> servlet.service(request.proxy(), response.proxy()));
        assertEquals(500, onlyEvent().status);
    }

    @Test
    void anErrorDispatchThatIsTheFirstCallCountsUnderThePathTheClientAskedFor() throws Exception {
        FakeRequest request = new FakeRequest("GET", "", "/error");
        request.dispatcherType = DispatcherType.ERROR;
        request.attributes.put(RequestDispatcher.ERROR_REQUEST_URI, "/wp-login.php");
        FakeResponse response = new FakeResponse();
        response.status = 404;
        request.script((req, res, chain) -> {
        });
        servlet.service(request.proxy(), response.proxy());
        RequestEvent event = onlyEvent();
        assertEquals("/wp-login.php", event.requestUri);
        assertEquals(404, event.status);
        assertTrue(event.containerAnswered);
    }

    @Test
    void whatTheDefaultServletAnswersToOtherMethodsIsTheContainers() throws Exception {
        for (String answer : List.of("OPTIONS 200", "PUT 405", "FOO 501", "POST 405")) {
            FakeRequest request = answered(answer, "/r1/x", "default");
            assertTrue(onlyEvent().containerAnswered, answer);
            assertEquals(1, request.mappingReads, answer);
        }
    }

    @Test
    void jettysOwn404ServletIsTheContainers() throws Exception {
        answered("DELETE 405", "/r1/x", "org.eclipse.jetty.ee10.servlet.ServletHandler$Default404Servlet-5a2e4553");
        assertTrue(onlyEvent().containerAnswered);
    }

    @Test
    void anAppServletsAnswerToAnyMethodIsTheApps() throws Exception {
        FakeRequest request = answered("OPTIONS 200", "/api/orders", "orders");
        assertFalse(onlyEvent().containerAnswered);
        assertEquals(1, request.mappingReads);
    }

    @Test
    void aPlainAnswerDoesNotAskWhichServletServedIt() throws Exception {
        for (String answer : List.of("GET 200", "GET 400", "HEAD 500", "POST 201", "PUT 404")) {
            FakeRequest request = answered(answer, "/index.html", "default");
            assertFalse(onlyEvent().containerAnswered, answer);
            assertEquals(0, request.mappingReads, answer);
        }
    }

    @Test
    void aContainerWithoutTheMappingApiCountsTheAnswerAsTheApps() throws Exception {
        // getHttpServletMapping() gives null: the advice's call fails, and is caught.
        answered("PUT 405", "/r1/x", null);
        assertFalse(onlyEvent().containerAnswered);
        assertEquals(0L, HeadcountSink.adviceErrors() - adviceErrorsBefore);
    }

    /**
     * A request the servlet answers at once.
     *
     * @param answer method and status, such as {@code "PUT 405"}
     * @param servletName what the mapping API says served it; null: the container has none
     */
    private FakeRequest answered(String answer, String uri, String servletName) throws Exception {
        String[] parts = answer.split(" ");
        FakeRequest request = new FakeRequest(parts[0], "", uri);
        request.servletName = servletName;
        FakeResponse response = new FakeResponse();
        response.status = Integer.parseInt(parts[1]);
        request.script((req, res, chain) -> { });
        servlet.service(request.proxy(), response.proxy());
        return request;
    }

    @Test
    void anErrorPageAfterTheRequestKeepsTheRouteOfTheRequest() throws Exception {
        FakeRequest request = new FakeRequest("GET", "", "/api/async-timeout");
        request.attributes.put(HeadcountSink.COUNTED_ATTRIBUTE, Boolean.TRUE); // counted before it went async
        request.attributes.put(SPRING, "/api/async-timeout");
        request.dispatcherType = DispatcherType.ERROR;
        request.script((req, res, chain) -> req.setAttribute(SPRING, "/error"));
        servlet.service(request.proxy(), new FakeResponse().proxy());
        assertEquals("/api/async-timeout", request.attributes.get(RouteTemplates.ATTRIBUTE));
        assertEquals(null, queue.poll());
    }

    @Test
    void aPlainRequestLeavesNoAttributeOfOurs() throws Exception {
        FakeRequest request = new FakeRequest("GET", "", "/api/users/7");
        request.script((req, res, chain) -> filter.doFilter(req, res, chain), (req, res, chain) -> { });
        filter.doFilter(request.proxy(), new FakeResponse().proxy(), null);
        assertEquals(200, onlyEvent().status);
        assertEquals(null, request.attributes.get(HeadcountSink.COUNTED_ATTRIBUTE));
        assertEquals(null, request.attributes.get(RouteTemplates.ATTRIBUTE));
    }

    @Test
    void theErrorPageTheContainerShowsAfterAFailedRequestAddsNothing() throws Exception {
        FakeRequest request = new FakeRequest("GET", "", "/api/missing");
        FakeResponse response = new FakeResponse();
        request.script((req, res, chain) -> response.status = 404, (req, res, chain) -> { });
        servlet.service(request.proxy(), response.proxy());
        request.dispatcherType = DispatcherType.ERROR; // the container's error page, after the call returned
        servlet.service(request.proxy(), response.proxy());
        assertEquals(404, onlyEvent().status);
    }

    @Test
    void anAsyncDispatchAddsNothing() throws Exception {
        FakeRequest request = new FakeRequest("GET", "", "/api/async");
        request.dispatcherType = DispatcherType.ASYNC;
        request.script((req, res, chain) -> { });
        servlet.service(request.proxy(), new FakeResponse().proxy());
        assertEquals(null, queue.poll());
    }

    @Test
    void afterAnExceptionTheThreadsNextRequestCountsAgain() throws Exception {
        FakeRequest failing = new FakeRequest("GET", "", "/api/boom");
        failing.script((req, res, chain) -> filter.doFilter(req, res, chain), (req, res, chain) -> {
            throw new IOException("boom");
        });
        assertThrows(IOException.class, () -> filter.doFilter(failing.proxy(), new FakeResponse().proxy(), null));
        assertEquals(500, onlyEvent().status);
        FakeRequest next = new FakeRequest("GET", "", "/api/users/7");
        next.script((req, res, chain) -> { });
        servlet.service(next.proxy(), new FakeResponse().proxy());
        assertEquals("/api/users/7", onlyEvent().requestUri);
    }

    @Test
    void aThreadWhoseExitsWereLostCountsItsNextRequestOnce() throws Exception {
        // As a stack overflow through advised calls leaves it: two entered calls that never exited.
        HeadcountSink.enterCall();
        HeadcountSink.enterCall();
        FakeRequest next = new FakeRequest("GET", "", "/api/users/7");
        FakeResponse response = new FakeResponse();
        next.script((req, res, chain) -> filter.doFilter(req, res, chain),
                (req, res, chain) -> servlet.service(req, res), (req, res, chain) -> response.status = 200);
        filter.doFilter(next.proxy(), response.proxy(), null);
        assertEquals("/api/users/7", onlyEvent().requestUri);
        FakeRequest after = new FakeRequest("GET", "", "/api/users/8");
        after.script((req, res, chain) -> { });
        servlet.service(after.proxy(), new FakeResponse().proxy());
        assertEquals("/api/users/8", onlyEvent().requestUri);
        assertEquals(0, HeadcountSink.adviceErrors() - adviceErrorsBefore);
    }

    @Test
    void aFilterThatPassesOnARequestOfItsOwnThatIsNoWrapperCountsOnceWithTheOutcomeItMakes() throws Exception {
        FakeRequest request = new FakeRequest("GET", "", "/api/users/7");
        FakeResponse response = new FakeResponse();
        request.script((req, res, chain) -> {
            // A delegate by java.lang.reflect.Proxy, no ServletRequestWrapper and not of the request's class.
            HttpServletRequest delegate = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {HttpServletRequest.class, java.io.Serializable.class},
                    (self, called, args) -> called.invoke(req, args));
            servlet.service(delegate, res);
            throw new IOException("the filter fails after the chain");
        }, (req, res, chain) -> response.status = 200);
        assertThrows(IOException.class, () -> filter.doFilter(request.proxy(), response.proxy(), null));
        assertEquals(500, onlyEvent().status);
        assertEquals(0, HeadcountSink.adviceErrors() - adviceErrorsBefore);
    }

    @Test
    void theRequestWrappedByAFilterIsStillTheSameRequest() throws Exception {
        FakeRequest request = new FakeRequest("GET", "", "/api/users/7");
        FakeResponse response = new FakeResponse();
        request.script((req, res, chain) -> servlet.service(new HttpServletRequestWrapper(
                        new HttpServletRequestWrapper((HttpServletRequest) req)), res),
                (req, res, chain) -> response.status = 201);
        filter.doFilter(request.proxy(), response.proxy(), null);
        assertEquals(201, onlyEvent().status);
        assertEquals(0, HeadcountSink.adviceErrors() - adviceErrorsBefore);
    }

    @Test
    void aWrapperThatWrapsItselfEndsTheSearchAndTheRequestCountsOnce() throws Exception {
        FakeRequest request = new FakeRequest("GET", "", "/api/users/7");
        FakeResponse response = new FakeResponse();
        request.script((req, res, chain) -> servlet.service(new HttpServletRequestWrapper((HttpServletRequest) req) {
            @Override
            public ServletRequest getRequest() {
                return this;
            }
        }, res), (req, res, chain) -> response.status = 200);
        filter.doFilter(request.proxy(), response.proxy(), null);
        assertEquals(200, onlyEvent().status);
    }

    @Test
    void theServletsOwnHandlerComesBeforeOurs() throws Exception {
        Servlet catching = (Servlet) new WovenLoader(generalWeaver(), Scripted.CatchingServlet.class)
                .loadClass(Scripted.CatchingServlet.class.getName()).getDeclaredConstructor().newInstance();
        FakeRequest request = new FakeRequest("GET", "", "/api/retry");
        FakeResponse response = new FakeResponse();
        request.script((req, res, chain) -> {
            response.status = 500;
            throw new IllegalStateException("first try");
        }, (req, res, chain) -> response.status = 200);
        catching.service(request.proxy(), response.proxy());
        assertEquals(200, onlyEvent().status);
    }

    @Test
    void aFilterThatReassignsItsRequestParameterIsWovenByTheGeneralWeaverAndCounts() throws Exception {
        Class<?> woven = new WovenLoader(generalWeaver(), Scripted.WrappingFilter.class)
                .loadClass(Scripted.WrappingFilter.class.getName());
        for (Method method : woven.getDeclaredMethods()) {
            assertFalse(method.getName().startsWith("headcount$"), method.getName());
        }
        FakeRequest request = new FakeRequest("GET", "", "/api/wrapped");
        request.script((req, res, chain) -> { });
        ((Filter) woven.getDeclaredConstructor().newInstance()).doFilter(request.proxy(), new FakeResponse().proxy(), null);
        assertEquals("/api/wrapped", onlyEvent().requestUri);
    }

    @Test
    void theJavaxAdviceIsWovenIntoJavaxServlets() throws Exception {
        ClassLoader app = new WovenLoader(generalWeaver(), Scripted.JavaxServlet.class);
        assertNotNull(app.loadClass(Scripted.JavaxServlet.class.getName()).getDeclaredMethod("service",
                javax.servlet.ServletRequest.class, javax.servlet.ServletResponse.class));
    }

    /** The route the worker makes of the attributes the advice carried over. */
    private static String route(RequestEvent event) {
        return FrameworkRoutes.choose(event.firstRoute, event.springRoute, event.contextPath);
    }

    private RequestEvent onlyEvent() {
        List<RequestEvent> events = new ArrayList<>();
        for (RequestEvent event = queue.poll(); event != null; event = queue.poll()) {
            events.add(event);
        }
        assertEquals(1, events.size(), "events recorded");
        return events.get(0);
    }

    /** An HttpServletRequest with attributes and a dispatcher type that a script can change. */
    private static final class FakeRequest implements InvocationHandler {
        final Map<String, Object> attributes = new HashMap<>();
        /** One line per header, by the name the advice asks for. */
        final Map<String, String> headers = new HashMap<>();
        final String method;
        final String contextPath;
        final String requestUri;
        DispatcherType dispatcherType = DispatcherType.REQUEST;
        /** The servlet name the mapping API gives; null: the container has no mapping API. */
        String servletName;
        final List<String> headersRead = new ArrayList<>();
        java.security.Principal principal;
        int principalReads;
        int mappingReads;
        private final HttpServletRequest proxy;

        FakeRequest(String method, String contextPath, String requestUri) {
            this.method = method;
            this.contextPath = contextPath;
            this.requestUri = requestUri;
            this.proxy = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {HttpServletRequest.class}, this);
        }

        HttpServletRequest proxy() {
            return proxy;
        }

        void script(Scripted.Step... steps) {
            attributes.put(Scripted.SCRIPT, new ArrayDeque<>(List.of(steps)));
        }

        /** Runs a nested dispatch of the given type, as a RequestDispatcher would. */
        void dispatch(DispatcherType type, Call call) throws IOException, ServletException {
            DispatcherType outer = dispatcherType;
            dispatcherType = type;
            try {
                call.run();
            } finally {
                dispatcherType = outer;
            }
        }

        @Override
        public Object invoke(Object self, Method called, Object[] args) {
            switch (called.getName()) {
                case "getAttribute":
                    return attributes.get((String) args[0]);
                case "setAttribute":
                    attributes.put((String) args[0], args[1]);
                    return null;
                case "getDispatcherType":
                    return dispatcherType;
                case "getMethod":
                    return method;
                case "getContextPath":
                    return contextPath;
                case "getRequestURI":
                    return requestUri;
                case "getRemoteAddr":
                    return "203.0.113.10";
                case "getHeaders":
                    String line = headers.get((String) args[0]);
                    return java.util.Collections.enumeration(line == null ? List.of() : List.of(line));
                case "isAsyncStarted":
                    return false;
                case "getHeader":
                    headersRead.add((String) args[0]);
                    return headers.get((String) args[0]);
                case "getUserPrincipal":
                    principalReads++;
                    return principal;
                case "getHttpServletMapping":
                    mappingReads++;
                    return servletName == null ? null : mapping(servletName);
                default:
                    return null;
            }
        }
    }

    private static HttpServletMapping mapping(String servletName) {
        return (HttpServletMapping) Proxy.newProxyInstance(ServletAdviceTest.class.getClassLoader(),
                new Class<?>[] {HttpServletMapping.class},
                (self, called, args) -> called.getName().equals("getServletName") ? servletName : null);
    }

    private interface Call {
        void run() throws IOException, ServletException;
    }

    private static final class FakeResponse implements InvocationHandler {
        int status = 200;

        HttpServletResponse proxy() {
            return (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {HttpServletResponse.class}, this);
        }

        @Override
        public Object invoke(Object self, Method called, Object[] args) {
            return called.getName().equals("getStatus") ? status : null;
        }
    }

    /** Loads the given classes as the transformer rewrote them; everything else from the test's loader. */
    private static final class WovenLoader extends ClassLoader {
        private final Map<String, Class<?>> originals = new HashMap<>();
        private final boolean generalWeaver;

        WovenLoader(boolean generalWeaver, Class<?>... woven) {
            super(ServletAdviceTest.class.getClassLoader());
            this.generalWeaver = generalWeaver;
            for (Class<?> type : woven) {
                originals.put(type.getName(), type);
            }
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            Class<?> original = originals.get(name);
            if (original == null) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded != null) {
                    return loaded;
                }
                String internal = name.replace('.', '/');
                // A class being redefined can only be woven by the general weaver.
                byte[] woven = new ServletTransformer().transform(getParent(), internal,
                        generalWeaver ? original : null, null, bytes(original));
                if (woven == null) {
                    throw new ClassNotFoundException(name + " was not woven");
                }
                return defineClass(name, woven, 0, woven.length);
            }
        }

        private static byte[] bytes(Class<?> type) throws ClassNotFoundException {
            try (InputStream in = type.getClassLoader().getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new ClassNotFoundException(type.getName(), e);
            }
        }
    }
}
