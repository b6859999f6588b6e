package io.headcount.agent.instrument;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Puts the sink's few classes on the bootstrap class loader, where advice inlined into any web-app
 * class can reach them. Only the {@code bootstrap} package goes there: the whole agent jar on the
 * bootstrap path would give loader-constraint errors against the app's own copies of libraries.
 */
public final class BootstrapInjector {
    static final String BOOTSTRAP_PACKAGE = "io/headcount/agent/bootstrap/";
    private static final String SINK_CLASS = "io.headcount.agent.bootstrap.HeadcountSink";
    /** Every class of the bootstrap package, nested ones included (BootstrapInjectorTest checks the list). */
    static final List<String> BOOTSTRAP_CLASSES = List.of(
            "AsyncCompletion", "AsyncCompletion$1", "AsyncCompletion$ServletApi", "EventQueue", "HeadcountSink",
            "HeadcountSink$1", "HeaderReader",
            "JerseyRoutes", "JerseyRoutes$1", "JerseyRoutes$2", "JerseyRoutes$Accessors", "RequestEvent",
            "RouteTemplates", "ServletNames", "ServletNames$1", "ThreadCalls");

    private BootstrapInjector() {
    }

    /** Whether an earlier load of the agent in this JVM already placed the sink. */
    public static boolean alreadyInjected() {
        try {
            Class.forName(SINK_CLASS, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Must run before anything touches a class of the bootstrap package. */
    public static void inject(Instrumentation instrumentation, JarFile agentJar) throws IOException {
        Map<String, byte[]> classes = readSinkClasses(agentJar);
        try {
            defineInBootLoader(instrumentation, classes);
        } catch (Throwable unsupported) {
            appendToBootSearchPath(instrumentation, classes);
        }
    }

    private static Map<String, byte[]> readSinkClasses(JarFile agentJar) throws IOException {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        // By name: walking the shaded jar's 8,000 entries cost about 50 ms of the premain on one core.
        for (String simpleName : BOOTSTRAP_CLASSES) {
            String name = BOOTSTRAP_PACKAGE + simpleName + ".class";
            JarEntry entry = agentJar.getJarEntry(name);
            if (entry == null) {
                throw new IOException("no " + name + " in " + agentJar.getName());
            }
            try (InputStream in = agentJar.getInputStream(entry)) {
                classes.put(name, in.readAllBytes());
            }
        }
        return classes;
    }

    /**
     * Defines the classes straight in the bootstrap loader. Unlike appending a jar to the boot
     * search path, this leaves class-data sharing on for the app's own classes (the JVM turns it
     * off, with a warning on the app's output, once the boot path is appended to).
     */
    private static void defineInBootLoader(Instrumentation instrumentation, Map<String, byte[]> classes)
            throws ReflectiveOperationException {
        Module javaBase = Object.class.getModule();
        instrumentation.redefineModule(javaBase, Collections.<Module>emptySet(), Collections.<String, Set<Module>>emptyMap(),
                Collections.singletonMap("jdk.internal.misc", Collections.singleton(BootstrapInjector.class.getModule())),
                Collections.<Class<?>>emptySet(), Collections.<Class<?>, List<Class<?>>>emptyMap());
        Class<?> unsafeType = Class.forName("jdk.internal.misc.Unsafe");
        Object unsafe = unsafeType.getMethod("getUnsafe").invoke(null);
        Method define = unsafeType.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                ClassLoader.class, ProtectionDomain.class);
        for (Map.Entry<String, byte[]> type : classes.entrySet()) {
            String name = type.getKey().substring(0, type.getKey().length() - ".class".length()).replace('/', '.');
            byte[] bytes = type.getValue();
            define.invoke(unsafe, name, bytes, 0, bytes.length, null, null);
        }
    }

    private static void appendToBootSearchPath(Instrumentation instrumentation, Map<String, byte[]> classes)
            throws IOException {
        Path sinkJar = Files.createTempFile("headcount-bootstrap-", ".jar");
        sinkJar.toFile().deleteOnExit();
        try (OutputStream file = Files.newOutputStream(sinkJar); JarOutputStream target = new JarOutputStream(file)) {
            for (Map.Entry<String, byte[]> type : classes.entrySet()) {
                target.putNextEntry(new JarEntry(type.getKey()));
                target.write(type.getValue());
                target.closeEntry();
            }
        }
        instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(sinkJar.toFile()));
    }
}
