package io.headcount.agent.instrument;

import io.headcount.agent.log.AgentLog;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Weaves the request advice into every servlet and filter class: the methods
 * {@code service(request, response)} and {@code doFilter(request, response, chain)} they declare.
 * Also weaves the route hook into Jersey's resource method invoker, found by its exact name.
 *
 * <p>The gate reads only the class-file header (super class, interfaces, method names), so the
 * thousands of other classes an app loads cost microseconds each. A servlet or filter class is
 * woven by the {@link AdviceCallWeaver}, with plain ASM; Byte Buddy ({@link ByteBuddyWeaver}) is
 * loaded only for what that weaver cannot take and for retransformation on attach. Jersey's
 * invoker gets one call added by the {@link JerseyHookWeaver}, also plain ASM.
 * The outermost of these calls in a request is the one that counts: a filter's own 401 is
 * counted, and the servlet behind it adds nothing.
 */
final class ServletTransformer implements ClassFileTransformer {
    private static final String JAKARTA_ADVICE = "io.headcount.agent.instrument.JakartaServletAdvice";
    private static final String JAVAX_ADVICE = JavaxAdvice.NAME;
    /** What {@link #adviceFor} answers for Jersey's invoker: the hook its {@code apply} calls. */
    static final String JERSEY_HOOK = "io.headcount.agent.bootstrap.JerseyRoutes";
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
    private final Map<String, byte[]> adviceClassfiles = new ConcurrentHashMap<>();
    /** False only for diagnostic.weave=servlets. */
    private final boolean weaveFilters;

    ServletTransformer() {
        this(true);
    }

    ServletTransformer(boolean weaveFilters) {
        this.weaveFilters = weaveFilters;
    }

    /** When a class was last loaded, from {@link System#nanoTime()}: an app still starting loads many. */
    private volatile long lastClassLoadNanos = System.nanoTime();

    long lastClassLoadNanos() {
        return lastClassLoadNanos;
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        lastClassLoadNanos = System.nanoTime();
        try {
            String adviceName = adviceFor(className, classfileBuffer, loader);
            if (adviceName == null) {
                return null;
            }
            String typeName = className.replace('/', '.');
            if (adviceName.equals(JERSEY_HOOK)) {
                return JerseyHookWeaver.weave(classfileBuffer);
            }
            String api = adviceName.equals(JAKARTA_ADVICE) ? "jakarta/servlet/" : "javax/servlet/";
            byte[] advice = adviceClassfile(adviceName);
            if (classBeingRedefined == null) {
                // Byte Buddy is loaded only for a class the plain weaver cannot take, or on attach.
                byte[] woven = AdviceCallWeaver.weave(classfileBuffer, api, advice);
                if (woven != AdviceCallWeaver.NEEDS_GENERAL_WEAVER) {
                    return woven;
                }
            }
            return ByteBuddyWeaver.weaveServlet(agentLoader, loader, typeName, classfileBuffer, adviceName, advice,
                    api.replace('/', '.'));
        } catch (Throwable t) {
            AgentLog.errorAtMostOncePerMinute("instrument", "could not instrument "
                    + String.valueOf(className).replace('/', '.') + "; requests it serves will not be counted", t);
            return null;
        }
    }

    /** The advice a class needs, or null: names, never class literals, which would load the advice. */
    String adviceFor(String className, byte[] classfile, ClassLoader loader) {
        if (className == null) {
            return null;
        }
        if (className.equals(JERSEY_INVOKER)) {
            return JERSEY_HOOK;
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
                || !(header.methodNames.contains("service") || header.methodNames.contains("doFilter"))
                || !weaveFilters && !header.methodNames.contains("service")) {
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

    /** The class file of a servlet advice, read once from the agent's jar, or derived once for javax. */
    private byte[] adviceClassfile(String adviceName) throws IOException {
        byte[] classfile = adviceClassfiles.get(adviceName);
        if (classfile == null && adviceName.equals(JAVAX_ADVICE)) {
            classfile = JavaxAdvice.fromJakarta(adviceClassfile(JAKARTA_ADVICE));
            adviceClassfiles.put(adviceName, classfile);
        } else if (classfile == null) {
            try (InputStream in = agentLoader.getResourceAsStream(adviceName.replace('.', '/') + ".class")) {
                if (in == null) {
                    throw new IOException("no " + adviceName + " in the agent's jar");
                }
                classfile = in.readAllBytes();
            }
            adviceClassfiles.put(adviceName, classfile);
        }
        return classfile;
    }
}
