package io.headcount.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.example.webapp.Scripted;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AdviceCallWeaverTest {
    private static final String API = "jakarta/servlet/";

    @Test
    void copiesTheAdviceAsTwoPrivateStaticSyntheticMethods() throws Exception {
        byte[] woven = AdviceCallWeaver.weave(bytes(Scripted.Servlet.class), API, bytes(JakartaServletAdvice.class));
        Class<?> type = new ClassLoader(getClass().getClassLoader()) {
            Class<?> define() {
                return defineClass(Scripted.Servlet.class.getName(), woven, 0, woven.length);
            }
        }.define();
        Map<String, String> copied = new TreeMap<>();
        for (Method method : type.getDeclaredMethods()) {
            if (method.getName().startsWith("headcount$")) {
                copied.put(method.getName(), Modifier.toString(method.getModifiers()) + " synthetic=" + method.isSynthetic()
                        + " " + method.getParameterCount());
            }
        }
        assertEquals("{headcount$enter=private static synthetic=true 1, headcount$exit=private static synthetic=true 3}",
                copied.toString());
    }

    @Test
    void aClassWithNoPublicServiceOrDoFilterIsLeftAlone() throws Exception {
        assertNull(AdviceCallWeaver.weave(bytes(Scripted.class), API, bytes(JakartaServletAdvice.class)));
    }

    @Test
    void classFilesOlderThanJava7GoToTheGeneralWeaver() throws Exception {
        byte[] classfile = bytes(Scripted.Servlet.class);
        classfile[6] = 0;
        classfile[7] = 50;
        assertSame(AdviceCallWeaver.NEEDS_GENERAL_WEAVER,
                AdviceCallWeaver.weave(classfile, API, bytes(JakartaServletAdvice.class)));
    }

    @Test
    void onlyTheServletApisOwnRequestAndResponseTypesAreTakenAsIs() {
        assertEquals("jakarta/servlet/http/HttpServletRequest", AdviceCallWeaver.advisedParameters(
                Modifier.PUBLIC, "service", "(Ljakarta/servlet/http/HttpServletRequest;Ljakarta/servlet/http/HttpServletResponse;)V",
                API)[0]);
        assertNull(AdviceCallWeaver.advisedParameters(Modifier.PROTECTED, "service",
                "(Ljakarta/servlet/http/HttpServletRequest;Ljakarta/servlet/http/HttpServletResponse;)V", API));
        assertNull(AdviceCallWeaver.advisedParameters(Modifier.PUBLIC, "service", "(IJ)V", API));
        RuntimeException appsOwnRequestType = assertThrows(RuntimeException.class, () -> AdviceCallWeaver.advisedParameters(
                Modifier.PUBLIC, "service", "(Lcom/example/MyRequest;Ljakarta/servlet/ServletResponse;)V", API));
        assertEquals("NeedsGeneralWeaver", appsOwnRequestType.getClass().getSimpleName());
    }

    private static byte[] bytes(Class<?> type) throws IOException {
        try (InputStream in = type.getClassLoader().getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }
}
