package io.headcount.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.example.webapp.AppFilters.AuthFilter;
import com.example.webapp.AppFilters.BaseFilter;
import com.example.webapp.AppFilters.JavaxServlet;
import com.example.webapp.AppFilters.NotAServlet;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
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
        assertEquals(true, header.methodNames.contains("service"));
        assertEquals(false, header.isInterface);
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
    void otherClassesAreLeftAlone() throws IOException {
        assertNull(adviceFor(NotAServlet.class));
        assertNull(adviceFor(BaseFilter.class));
        assertNull(adviceFor(jakarta.servlet.Filter.class));
        assertNull(new ServletTransformer().adviceFor("java/lang/String", bytes(ServletTransformerTest.class), null));
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
}
