package io.headcount.agent.instrument;

import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.TypeInitializer;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.implementation.auxiliary.AuxiliaryType;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The general weaver: Byte Buddy's {@link Advice}, inlined. It takes every class, including one
 * being retransformed on attach and one the {@link AdviceCallWeaver} finds too unusual, at the
 * price of loading Byte Buddy, several hundred classes, the first time it is needed.
 */
final class ByteBuddyWeaver {
    private ByteBuddyWeaver() {
    }

    /**
     * @param advice the class file of the advice, which need not exist in any class loader
     * @param api the servlet API's package: {@code jakarta.servlet.} or {@code javax.servlet.}
     */
    static byte[] weaveServlet(ClassLoader agentLoader, ClassLoader loader, String typeName, byte[] classfile,
                               String adviceName, byte[] advice, String api) {
        // Public methods only: a container enters through the interface methods, and the
        // protected overloads (HttpServlet's, HttpFilter's) are only ever inner calls, whose
        // advice would do nothing but count the call depth once more.
        return weave(agentLoader, loader, typeName, classfile, ClassFileLocator.Simple.of(adviceName, advice),
                adviceName, isPublic().and(not(isAbstract()))
                .and(takesArgument(0, hasSuperType(named(api + "ServletRequest"))))
                .and(takesArgument(1, hasSuperType(named(api + "ServletResponse"))))
                .and(named("service").and(takesArguments(2)).or(named("doFilter").and(takesArguments(3)))));
    }

    private static byte[] weave(ClassLoader agentLoader, ClassLoader loader, String typeName, byte[] classfile,
                                ClassFileLocator adviceLocator, String adviceName, ElementMatcher<? super MethodDescription> methods) {
        ClassFileLocator locator = new ClassFileLocator.Compound(
                ClassFileLocator.Simple.of(typeName, classfile),
                adviceLocator,
                ClassFileLocator.ForClassLoader.of(loader),
                ClassFileLocator.ForClassLoader.of(agentLoader));
        // Types are described from class files, never loaded: the advice names servlet types that
        // the agent's own class loader cannot see.
        TypePool pool = TypePool.Default.of(locator);
        TypeDescription target = pool.describe(typeName).resolve();
        TypeDescription advice = pool.describe(adviceName).resolve();
        AsmVisitorWrapper weaver = Advice.to(advice, locator).on(methods);
        // Advice applied straight to ASM rather than through ByteBuddy.redefine(): the same bytes,
        // without loading the hundreds of classes of Byte Buddy's type-building machinery.
        int writerFlags = weaver.mergeWriter(0);
        int readerFlags = weaver.mergeReader(0);
        ClassFileVersion version = ClassFileVersion.ofClassFile(classfile);
        ClassReader reader = new ClassReader(classfile);
        ClassWriter writer = new ClassWriter(reader, writerFlags);
        reader.accept(weaver.wrap(target, writer,
                Implementation.Context.Disabled.Factory.INSTANCE.make(target, new AuxiliaryType.NamingStrategy.Suffixing("headcount"),
                        TypeInitializer.None.INSTANCE, version, version), pool,
                target.getDeclaredFields(), target.getDeclaredMethods(), writerFlags, readerFlags), readerFlags);
        return writer.toByteArray();
    }
}
