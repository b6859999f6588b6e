package io.headcount.agent.instrument;

import io.headcount.agent.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.Map;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.pool.TypePool;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Weaves the servlet advice into the two {@code HttpServlet} classes and nothing else.
 *
 * <p>The gate is a plain comparison of the internal class name, so the thousands of other classes
 * an app loads cost one map lookup each and Byte Buddy is not even loaded until a servlet class
 * appears. Every servlet request enters through {@code HttpServlet.service}, whichever subclass
 * serves it, so the base class is the one place that needs advice.
 */
final class ServletTransformer implements ClassFileTransformer {
    /**
     * Internal class name to the advice woven into it. Names, not class literals: the advice must
     * never be loaded by the agent's class loader, which cannot see the servlet types it names.
     */
    static final Map<String, String> ADVICE_BY_TARGET = Map.of(
            "jakarta/servlet/http/HttpServlet", "io.headcount.agent.instrument.JakartaServletAdvice",
            "javax/servlet/http/HttpServlet", "io.headcount.agent.instrument.JavaxServletAdvice");

    private final ClassLoader agentLoader = ServletTransformer.class.getClassLoader();

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        String adviceName = className == null ? null : ADVICE_BY_TARGET.get(className);
        if (adviceName == null) {
            return null;
        }
        try {
            return weave(loader, className.replace('/', '.'), classfileBuffer, adviceName);
        } catch (Throwable t) {
            AgentLog.error("could not instrument " + className.replace('/', '.')
                    + "; requests it serves will not be counted", t);
            return null;
        }
    }

    private byte[] weave(ClassLoader loader, String typeName, byte[] classfile, String adviceName) {
        ClassFileLocator locator = new ClassFileLocator.Compound(
                ClassFileLocator.Simple.of(typeName, classfile),
                ClassFileLocator.ForClassLoader.of(loader),
                ClassFileLocator.ForClassLoader.of(agentLoader));
        // Types are described from class files, never loaded: the advice names servlet types that
        // the agent's own class loader cannot see.
        TypePool pool = TypePool.Default.of(locator);
        TypeDescription target = pool.describe(typeName).resolve();
        TypeDescription advice = pool.describe(adviceName).resolve();
        return new ByteBuddy()
                .with(TypeValidation.DISABLED)
                .with(Implementation.Context.Disabled.Factory.INSTANCE)
                .redefine(target, locator)
                .visit(Advice.to(advice, locator).on(named("service").and(takesArguments(2)).and(not(isAbstract()))))
                .make(pool)
                .getBytes();
    }
}
