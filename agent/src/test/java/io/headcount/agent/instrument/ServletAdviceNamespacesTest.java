package io.headcount.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.example.webapp.Scripted;
import io.headcount.agent.bootstrap.EventQueue;
import io.headcount.agent.bootstrap.HeadcountSink;
import io.headcount.agent.bootstrap.RequestEvent;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The javax advice is the jakarta one with its package names remapped: the same request, played to
 * a javax servlet and to a jakarta servlet, woven by either weaver, gives the same event.
 */
class ServletAdviceNamespacesTest {
    private final EventQueue queue = new EventQueue(16);

    @BeforeEach
    void install() {
        HeadcountSink.install(queue);
    }

    @AfterEach
    void uninstall() {
        HeadcountSink.install(null);
    }

    static Stream<Arguments> requests() {
        return Stream.of(
                request("plain GET with a framework route and every header", "GET", 200, "REQUEST", null)
                        .attribute("org.springframework.web.servlet.HandlerMapping.bestMatchingPattern",
                                "/owners/{id:[a-z]+}")
                        .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
                        .header("Referer", "https://www.example.org/").header("Host", "shop.example.com")
                        .header("Forwarded", "for=198.51.100.1", "for=198.51.100.2")
                        .header("X-Forwarded-For", "198.51.100.3", "198.51.100.4"),
                request("error dispatch that is the first call", "GET", 404, "ERROR", null)
                        .attribute("%s.servlet.error.request_uri", "/wp-login.php"),
                request("the default servlet refusing a PUT", "PUT", 405, "REQUEST", "default"),
                request("an app servlet answering OPTIONS", "OPTIONS", 200, "REQUEST", "orders"),
                request("a POST the app answered", "POST", 201, "REQUEST", "default"),
                request("an async request that completes", "GET", 202, "REQUEST", null).async())
                .flatMap(request -> Stream.of(Arguments.of(request, false), Arguments.of(request, true)));
    }

    @ParameterizedTest(name = "{0}, general weaver: {1}")
    @MethodSource("requests")
    void bothNamespacesGiveTheSameEvent(FakeRequest request, boolean generalWeaver) throws Exception {
        Map<String, Object> jakarta = play(request, "jakarta", Scripted.NamespaceServlet.class, generalWeaver);
        Map<String, Object> javax = play(request, "javax", Scripted.JavaxServlet.class, generalWeaver);
        assertEquals(jakarta, javax);
        assertEquals(request.status, jakarta.get("status"));
    }

    private Map<String, Object> play(FakeRequest request, String namespace, Class<?> servletType,
                                     boolean generalWeaver) throws Exception {
        Class<?> woven = weave(servletType, generalWeaver);
        Object servlet = woven.getDeclaredConstructor().newInstance();
        ClassLoader api = woven.getClassLoader();
        Class<?> requestType = api.loadClass(namespace + ".servlet.ServletRequest");
        Class<?> responseType = api.loadClass(namespace + ".servlet.ServletResponse");
        Handler handler = new Handler(request, namespace);
        Object requestProxy = handler.proxy(api.loadClass(namespace + ".servlet.http.HttpServletRequest"));
        Object responseProxy = handler.proxy(api.loadClass(namespace + ".servlet.http.HttpServletResponse"));
        woven.getMethod("service", requestType, responseType).invoke(servlet, requestProxy, responseProxy);
        if (request.async) {
            assertNull(queue.poll(), "counted before the async request completed");
            assertNotNull(handler.listener, "no listener added");
            Class<?> event = api.loadClass(namespace + ".servlet.AsyncEvent");
            handler.listener.getClass().getMethod("onComplete", event).invoke(handler.listener, (Object) null);
        }
        RequestEvent event = queue.poll();
        assertNotNull(event, namespace + ": no event");
        assertNull(queue.poll(), namespace + ": more than one event");
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Field field : RequestEvent.class.getFields()) {
            if (!Modifier.isStatic(field.getModifiers()) && !field.getName().equals("durationNanos")) {
                fields.put(field.getName(), field.get(event));
            }
        }
        return fields;
    }

    private static Class<?> weave(Class<?> type, boolean generalWeaver) throws Exception {
        byte[] original;
        try (InputStream in = type.getClassLoader().getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
            original = in.readAllBytes();
        }
        ClassLoader parent = ServletAdviceNamespacesTest.class.getClassLoader();
        byte[] woven = new ServletTransformer().transform(parent, type.getName().replace('.', '/'),
                generalWeaver ? type : null, null, original);
        assertNotNull(woven, type.getName() + " was not woven");
        return new ClassLoader(parent) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (!name.equals(type.getName())) {
                    return super.loadClass(name, resolve);
                }
                synchronized (getClassLoadingLock(name)) {
                    Class<?> loaded = findLoadedClass(name);
                    return loaded != null ? loaded : defineClass(name, woven, 0, woven.length);
                }
            }
        }.loadClass(type.getName());
    }

    private static FakeRequest request(String name, String method, int status, String dispatch, String servletName) {
        return new FakeRequest(name, method, status, dispatch, servletName);
    }

    /** One request, in no namespace: the handler answers for either. */
    static final class FakeRequest {
        final String name;
        final String method;
        final int status;
        final String dispatch;
        final String servletName;
        final Map<String, Object> attributes = new HashMap<>();
        final Map<String, List<String>> headers = new HashMap<>();
        boolean async;

        FakeRequest(String name, String method, int status, String dispatch, String servletName) {
            this.name = name;
            this.method = method;
            this.status = status;
            this.dispatch = dispatch;
            this.servletName = servletName;
        }

        /** @param name {@code %s} stands for the namespace */
        FakeRequest attribute(String name, Object value) {
            attributes.put(name, value);
            return this;
        }

        FakeRequest header(String name, String... lines) {
            headers.put(name, List.of(lines));
            return this;
        }

        FakeRequest async() {
            async = true;
            return this;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The request, response, servlet mapping and async context of one play, by method name. */
    private static final class Handler implements InvocationHandler {
        private final FakeRequest request;
        private final String namespace;
        private final Map<String, Object> attributes = new HashMap<>();
        Object listener;

        Handler(FakeRequest request, String namespace) {
            this.request = request;
            this.namespace = namespace;
            request.attributes.forEach((name, value) -> attributes.put(String.format(name, namespace), value));
        }

        Object proxy(Class<?> type) {
            return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, this);
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public Object invoke(Object self, Method called, Object[] args) {
            switch (called.getName()) {
                case "getAttribute":
                    return attributes.get((String) args[0]);
                case "setAttribute":
                    attributes.put((String) args[0], args[1]);
                    return null;
                case "getDispatcherType":
                    return Enum.valueOf((Class) called.getReturnType(), request.dispatch);
                case "getMethod":
                    return request.method;
                case "getContextPath":
                    return "/shop";
                case "getRequestURI":
                    return "/shop/owners/ada";
                case "getRemoteAddr":
                    return "203.0.113.10";
                case "getHeader":
                    List<String> lines = request.headers.get((String) args[0]);
                    return lines == null ? null : lines.get(0);
                case "getHeaders":
                    return Collections.enumeration(request.headers.getOrDefault((String) args[0], List.of()));
                case "getStatus":
                    return request.status;
                case "isAsyncStarted":
                    return request.async;
                case "getAsyncContext":
                case "getHttpServletMapping":
                    return request.servletName == null && called.getName().equals("getHttpServletMapping")
                            ? null : proxy(called.getReturnType());
                case "getServletName":
                    return request.servletName;
                case "addListener":
                    listener = args[0];
                    return null;
                case "hashCode":
                    return System.identityHashCode(self);
                case "equals":
                    return self == args[0];
                default:
                    return called.getReturnType() == boolean.class ? Boolean.FALSE : null;
            }
        }

        @Override
        public String toString() {
            return namespace + " " + request;
        }
    }
}
