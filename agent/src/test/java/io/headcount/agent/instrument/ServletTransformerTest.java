package io.headcount.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.example.webapp.AppFilters.AuthFilter;
import com.example.webapp.AppFilters.BaseFilter;
import com.example.webapp.AppFilters.JavaxServlet;
import com.example.webapp.AppFilters.NotAServlet;
import io.headcount.agent.bootstrap.EventQueue;
import io.headcount.agent.bootstrap.HeadcountSink;
import io.headcount.agent.bootstrap.JerseyRoutesTest;
import io.headcount.agent.bootstrap.RouteTemplates;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ServletTransformerTest {
    private static byte[] bytes(Class<?> type) throws IOException {
        try (InputStream in = type.getClassLoader().getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }

    private static String internal(Class<?> type) {
        return type.getName().replace('.', '/');
    }

    private static String adviceFor(Class<?> type) throws IOException {
        return new ServletTransformer().adviceFor(internal(type), bytes(type), type.getClassLoader());
    }

    @Test
    void headerNamesSuperClassInterfacesAndMethods() throws IOException {
        ClassHeader header = ClassHeader.parse(bytes(jakarta.servlet.http.HttpServlet.class));
        assertNotNull(header);
        assertEquals("jakarta/servlet/GenericServlet", header.superName);
        assertEquals(List.of(), header.interfaceNames);
        assertTrue(header.methodNames.contains("service"));
        assertFalse(header.isInterface);
        assertEquals(List.of("jakarta/servlet/Servlet", "jakarta/servlet/ServletConfig", "java/io/Serializable"),
                ClassHeader.parse(bytes(jakarta.servlet.GenericServlet.class)).interfaceNames);
    }

    @Test
    void garbageIsNoClass() {
        assertNull(ClassHeader.parse(new byte[] {1, 2, 3}));
        assertNull(ClassHeader.parse(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 55, 0, 9, 99}));
    }

    @Test
    void theServletBaseClassAndFiltersDeepInAHierarchyGetTheirNamespacesAdvice() throws IOException {
        assertEquals("io.headcount.agent.instrument.JakartaServletAdvice", adviceFor(jakarta.servlet.http.HttpServlet.class));
        assertEquals("io.headcount.agent.instrument.JakartaServletAdvice", adviceFor(AuthFilter.class));
        assertEquals("io.headcount.agent.instrument.JavaxServletAdvice", adviceFor(javax.servlet.http.HttpServlet.class));
        assertEquals("io.headcount.agent.instrument.JavaxServletAdvice", adviceFor(JavaxServlet.class));
    }

    @Test
    void diagnosticWeaveServletsLeavesFiltersAlone() throws IOException {
        ServletTransformer servletsOnly = new ServletTransformer(false);
        assertNull(servletsOnly.adviceFor(internal(AuthFilter.class), bytes(AuthFilter.class),
                AuthFilter.class.getClassLoader()));
        assertEquals("io.headcount.agent.instrument.JakartaServletAdvice", servletsOnly.adviceFor(
                internal(jakarta.servlet.http.HttpServlet.class), bytes(jakarta.servlet.http.HttpServlet.class),
                jakarta.servlet.http.HttpServlet.class.getClassLoader()));
        assertEquals("io.headcount.agent.instrument.JavaxServletAdvice",
                servletsOnly.adviceFor(internal(JavaxServlet.class), bytes(JavaxServlet.class),
                        JavaxServlet.class.getClassLoader()));
    }

    @Test
    void otherClassesAreLeftAlone() throws IOException {
        assertNull(adviceFor(NotAServlet.class));
        assertNull(adviceFor(BaseFilter.class));
        assertNull(adviceFor(jakarta.servlet.Filter.class));
        assertNull(new ServletTransformer().adviceFor("java/lang/String", bytes(ServletTransformerTest.class), null));
    }

    @Test
    void appsUnderTheAgentsOwnTopPackageAreInstrumentedButTheAgentIsNot() throws IOException {
        ServletTransformer transformer = new ServletTransformer();
        ClassLoader loader = AuthFilter.class.getClassLoader();
        assertEquals("io.headcount.agent.instrument.JakartaServletAdvice",
                transformer.adviceFor("io/headcount/matrix/app/ApiKeyFilter", bytes(AuthFilter.class), loader));
        assertNull(transformer.adviceFor("io/headcount/agent/SomeFilter", bytes(AuthFilter.class), loader));
        assertNull(transformer.adviceFor("io/headcount/shaded/SomeFilter", bytes(AuthFilter.class), loader));
    }

    @Test
    void jerseysInvokerIsFoundByItsNameAlone() {
        assertEquals("io.headcount.agent.bootstrap.JerseyRoutes",
                new ServletTransformer().adviceFor(ServletTransformer.JERSEY_INVOKER, new byte[0], null));
    }

    @Test
    void jerseysInvokerKeepsTheMatchedTemplatesBeforeTheResourceRuns() throws Exception {
        HeadcountSink.install(new EventQueue(16));
        try {
            Class<?> stand = org.glassfish.jersey.server.model.ResourceMethodInvoker.class;
            byte[] woven = new ServletTransformer().transform(stand.getClassLoader(), internal(stand), null, null,
                    bytes(stand));
            assertNotNull(woven);
            Class<?> invoker = new ClassLoader(stand.getClassLoader()) {
                Class<?> define() {
                    return defineClass(stand.getName(), woven, 0, woven.length);
                }
            }.define();
            JerseyRoutesTest.Request request = new JerseyRoutesTest.Request("http://example.com/api/",
                    List.of("/{id}", "/users"));
            @SuppressWarnings("unchecked")
            Function<Object, String> apply = (Function<Object, String>) invoker.getDeclaredConstructor().newInstance();
            assertEquals("invoked", apply.apply(new JerseyRoutesTest.ProcessingContext(request)));
            assertEquals("/api/users/{id}", request.properties.get(RouteTemplates.ATTRIBUTE));
        } finally {
            HeadcountSink.install(null);
        }
    }

    @Test
    void weavingAServletGivesAClassFileAndAnythingElseNone() throws IOException {
        ServletTransformer transformer = new ServletTransformer();
        byte[] woven = transformer.transform(AuthFilter.class.getClassLoader(), internal(AuthFilter.class), null, null,
                bytes(AuthFilter.class));
        assertNotNull(woven);
        assertNotNull(ClassHeader.parse(woven));
        assertNull(transformer.transform(NotAServlet.class.getClassLoader(), internal(NotAServlet.class), null, null,
                bytes(NotAServlet.class)));
    }

    @Test
    void theByteScanFindsTheMethodNamesOnlyWhereTheConstantPoolHasThem() throws IOException {
        byte[] service = {1, 0, 7, 's', 'e', 'r', 'v', 'i', 'c', 'e'};
        byte[] doFilter = {1, 0, 8, 'd', 'o', 'F', 'i', 'l', 't', 'e', 'r'};
        assertTrue(ServletTransformer.mentions(bytes(jakarta.servlet.http.HttpServlet.class), service));
        assertTrue(ServletTransformer.mentions(bytes(AuthFilter.class), doFilter));
        assertFalse(ServletTransformer.mentions(bytes(AuthFilter.class), service));
        assertFalse(ServletTransformer.mentions(new byte[] {1, 0, 7, 's', 'e', 'r', 'v'}, service));
        try (InputStream in = ClassLoader.getSystemResourceAsStream("java/lang/Integer.class")) {
            byte[] integer = in.readAllBytes();
            assertFalse(ServletTransformer.mentions(integer, service));
            assertFalse(ServletTransformer.mentions(integer, doFilter));
        }
    }
}
