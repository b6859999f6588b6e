package io.headcount.agent.instrument;

import io.headcount.agent.AgentLog;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/** Installs the servlet advice, now and for classes loaded later. */
public final class ServletInstrumentation {
    private ServletInstrumentation() {
    }

    /**
     * @param retransformLoaded whether servlet classes already loaded must be rewritten too, as
     *     when the agent is attached to a running JVM
     */
    public static void install(Instrumentation instrumentation, boolean retransformLoaded) {
        instrumentation.addTransformer(new ServletTransformer(), true);
        if (!retransformLoaded) {
            return;
        }
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            if (ServletTransformer.ADVICE_BY_TARGET.containsKey(type.getName().replace('.', '/'))
                    && instrumentation.isModifiableClass(type)) {
                loaded.add(type);
            }
        }
        for (Class<?> type : loaded) {
            try {
                instrumentation.retransformClasses(type);
            } catch (Throwable t) {
                AgentLog.error("could not instrument the already loaded " + type.getName(), t);
            }
        }
    }
}
