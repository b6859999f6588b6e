package io.headcount.agent.bootstrap;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * The name of the servlet that served a request, on containers whose servlet API has no
 * {@code getHttpServletMapping()} (Servlet 3.1, such as Jetty 9.4, whose request has a public
 * {@code getServletName()} of its own). Reflection, remembered per request class; read only for the
 * few answers where the name can change a label.
 */
final class ServletNames {
    private static final ClassValue<Method> GETTERS = new ClassValue<Method>() {
        @Override
        protected Method computeValue(Class<?> type) {
            try {
                Method getter = type.getMethod("getServletName");
                if (getter.getReturnType() != String.class) {
                    return null;
                }
                if (!Modifier.isPublic(getter.getDeclaringClass().getModifiers())) {
                    getter.setAccessible(true);
                }
                return getter;
            } catch (NoSuchMethodException | RuntimeException e) {
                // Not there, or not ours to call (a module that does not open it).
                return null;
            }
        }
    };

    private ServletNames() {
    }

    /** The servlet's name, or null when the request does not tell. */
    static String of(Object request) throws ReflectiveOperationException {
        if (request == null) {
            return null;
        }
        Method getter = GETTERS.get(request.getClass());
        Object name = getter == null ? null : getter.invoke(request);
        return name instanceof String ? (String) name : null;
    }
}
