package io.headcount.agent.instrument;

import io.headcount.agent.bootstrap.JerseyRoutes;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into Jersey's {@code ResourceMethodInvoker.apply(RequestProcessingContext)}, which runs
 * once a request has been matched to a resource method and before that method is invoked (so that
 * a method that throws still counts under its route). The context is passed on as an
 * {@code Object}: the agent links against no Jersey class.
 */
public final class JerseyAdvice {
    private JerseyAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(0) Object processingContext) {
        JerseyRoutes.matched(processingContext);
    }
}
