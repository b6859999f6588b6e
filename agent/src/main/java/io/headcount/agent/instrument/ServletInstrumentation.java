package io.headcount.agent.instrument;

import io.headcount.agent.log.AgentLog;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/** Installs the servlet advice (and the Jersey route hook), now and for classes loaded later. */
public final class ServletInstrumentation {
    private ServletInstrumentation() {
    }

    /**
     * @param weaveFilters false only for the setting diagnostic.weave=servlets: a class that
     *     declares doFilter but no service method is then left as it is
     * @param retransformLoaded whether servlet, filter and Jersey classes already loaded must be rewritten too, as
     *     when the agent is attached to a running JVM
     * @return when the transformer last saw a class load, from {@link System#nanoTime()} (or when it
     *     was installed): an app that has loaded nothing for a while has finished starting
     */
    public static LongSupplier install(Instrumentation instrumentation, boolean retransformLoaded, boolean weaveFilters) {
        // Retransformable only when attached: a retransformable transformer makes the JVM keep a
        // copy of every class file it loads from then on, which a start-up agent never needs.
        ServletTransformer transformer = new ServletTransformer(weaveFilters);
        instrumentation.addTransformer(transformer, retransformLoaded);
        LongSupplier lastClassLoad = transformer::lastClassLoadNanos;
        if (!retransformLoaded) {
            return lastClassLoad;
        }
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            boolean wanted = !type.isInterface() && (isServletOrFilter(type)
                    || type.getName().equals(ServletTransformer.JERSEY_INVOKER.replace('/', '.')));
            if (wanted && instrumentation.isModifiableClass(type)) {
                loaded.add(type);
            }
        }
        for (Class<?> type : loaded) {
            try {
                instrumentation.retransformClasses(type);
            } catch (Throwable t) {
                AgentLog.errorAtMostOncePerMinute("retransform", "could not instrument the already loaded "
                        + type.getName(), t);
            }
        }
        return lastClassLoad;
    }

    private static boolean isServletOrFilter(Class<?> type) {
        for (Class<?> current = type; current != null; current = current.getSuperclass()) {
            for (Class<?> implemented : current.getInterfaces()) {
                if (isServletApi(implemented)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isServletApi(Class<?> type) {
        String name = type.getName();
        if (name.equals("jakarta.servlet.Servlet") || name.equals("jakarta.servlet.Filter")
                || name.equals("javax.servlet.Servlet") || name.equals("javax.servlet.Filter")) {
            return true;
        }
        for (Class<?> parent : type.getInterfaces()) {
            if (isServletApi(parent)) {
                return true;
            }
        }
        return false;
    }
}
