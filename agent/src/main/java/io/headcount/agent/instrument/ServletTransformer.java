package io.headcount.agent.instrument;

import io.headcount.agent.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.Map;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.asm.Advice;
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
import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Weaves the request advice into every servlet and filter class: the methods
 * {@code service(request, response)} and {@code doFilter(request, response, chain)} they declare.
 * Also weaves the route hook into Jersey's resource method invoker, found by its exact name.
 *
 * <p>The gate reads only the class-file header (super class, interfaces, method names), so the
 * thousands of other classes an app loads cost microseconds each, and Byte Buddy is not even
 * loaded until a servlet or filter class appears. The outermost of these calls in a request is the
 * one that counts: a filter's own 401 is counted, and the servlet behind it adds nothing.
 */
final class ServletTransformer implements ClassFileTransformer {
    private static final String JAKARTA_ADVICE = "io.headcount.agent.instrument.JakartaServletAdvice";
    private static final String JAVAX_ADVICE = "io.headcount.agent.instrument.JavaxServletAdvice";
    private static final String JERSEY_ADVICE = "io.headcount.agent.instrument.JerseyAdvice";
    /** Jersey 2 (javax) to 4 (jakarta): where a matched request's templates are known, before the resource runs. */
    static final String JERSEY_INVOKER = "org/glassfish/jersey/server/model/ResourceMethodInvoker";
    /** Only the agent's own packages: an app may well live under io.headcount too. */
    private static final String[] SKIPPED_PREFIXES = {
        "java/", "javax/crypto/", "jdk/", "sun/", "com/sun/", "io/headcount/agent/", "io/headcount/shaded/",
        "net/bytebuddy/",
    };

    private static final byte[] SERVICE = utf8Entry("service");
    private static final byte[] DO_FILTER = utf8Entry("doFilter");

    private final ClassLoader agentLoader = ServletTransformer.class.getClassLoader();
    private final ServletTypes servletTypes = new ServletTypes();

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        try {
            String adviceName = adviceFor(className, classfileBuffer, loader);
            if (adviceName == null) {
                return null;
            }
            if (adviceName.equals(JERSEY_ADVICE)) {
                return weave(loader, className.replace('/', '.'), classfileBuffer, adviceName,
                        named("apply").and(takesArguments(1)).and(not(isBridge())));
            }
            String api = adviceName.equals(JAKARTA_ADVICE) ? "jakarta.servlet." : "javax.servlet.";
            // Public methods only: a container enters through the interface methods, and the
            // protected overloads (HttpServlet's, HttpFilter's) are only ever inner calls, whose
            // advice would do nothing but look up the request attribute once more.
            return weave(loader, className.replace('/', '.'), classfileBuffer, adviceName, isPublic().and(not(isAbstract()))
                    .and(takesArgument(0, hasSuperType(named(api + "ServletRequest"))))
                    .and(takesArgument(1, hasSuperType(named(api + "ServletResponse"))))
                    .and(named("service").and(takesArguments(2)).or(named("doFilter").and(takesArguments(3)))));
        } catch (Throwable t) {
            AgentLog.error("could not instrument " + String.valueOf(className).replace('/', '.')
                    + "; requests it serves will not be counted", t);
            return null;
        }
    }

    /** The advice a class needs, or null: names, never class literals, which would load the advice. */
    String adviceFor(String className, byte[] classfile, ClassLoader loader) {
        if (className == null) {
            return null;
        }
        if (className.equals(JERSEY_INVOKER)) {
            return JERSEY_ADVICE;
        }
        for (String prefix : SKIPPED_PREFIXES) {
            if (className.startsWith(prefix)) {
                return null;
            }
        }
        if (!mentions(classfile, SERVICE) && !mentions(classfile, DO_FILTER)) {
            // Nearly every class: a byte scan, no parsing, no allocation.
            return null;
        }
        ClassHeader header = ClassHeader.parse(classfile);
        if (header == null || header.isInterface
                || !(header.methodNames.contains("service") || header.methodNames.contains("doFilter"))) {
            return null;
        }
        ServletTypes.Namespace namespace = servletTypes.of(className, classfile, loader);
        if (namespace == ServletTypes.Namespace.JAKARTA) {
            return JAKARTA_ADVICE;
        }
        return namespace == ServletTypes.Namespace.JAVAX ? JAVAX_ADVICE : null;
    }

    /** Whether the constant pool can hold this name: its modified-UTF-8 entry, length first. */
    static boolean mentions(byte[] classfile, byte[] utf8Entry) {
        int last = classfile.length - utf8Entry.length;
        byte first = utf8Entry[0];
        outer:
        for (int i = 0; i <= last; i++) {
            if (classfile[i] != first) {
                continue;
            }
            for (int j = 1; j < utf8Entry.length; j++) {
                if (classfile[i + j] != utf8Entry[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static byte[] utf8Entry(String name) {
        byte[] entry = new byte[name.length() + 3];
        entry[0] = 1; // CONSTANT_Utf8
        entry[1] = (byte) (name.length() >> 8);
        entry[2] = (byte) name.length();
        for (int i = 0; i < name.length(); i++) {
            entry[3 + i] = (byte) name.charAt(i);
        }
        return entry;
    }

    private byte[] weave(ClassLoader loader, String typeName, byte[] classfile, String adviceName,
                         ElementMatcher<? super MethodDescription> methods) {
        ClassFileLocator locator = new ClassFileLocator.Compound(
                ClassFileLocator.Simple.of(typeName, classfile),
                ClassFileLocator.ForClassLoader.of(loader),
                ClassFileLocator.ForClassLoader.of(agentLoader));
        // Types are described from class files, never loaded: the advice names servlet types that
        // the agent's own class loader cannot see.
        TypePool pool = TypePool.Default.of(locator);
        TypeDescription target = pool.describe(typeName).resolve();
        TypeDescription advice = pool.describe(adviceName).resolve();
        AsmVisitorWrapper weaver = Advice.to(advice, locator).on(methods);
        // Advice applied straight to ASM rather than through ByteBuddy.redefine(): the same bytes,
        // without loading the hundreds of classes of Byte Buddy's type-building machinery, which
        // the app would otherwise wait for while its first servlet class loads.
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
