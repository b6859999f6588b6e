package io.headcount.agent.instrument;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
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
    public static void inject(Instrumentation instrumentation, File agentJar) throws IOException {
        Path sinkJar = Files.createTempFile("headcount-bootstrap-", ".jar");
        sinkJar.toFile().deleteOnExit();
        try (JarFile source = new JarFile(agentJar);
             OutputStream file = Files.newOutputStream(sinkJar);
             JarOutputStream target = new JarOutputStream(file)) {
            Enumeration<JarEntry> entries = source.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                if (entry.getName().startsWith(BOOTSTRAP_PACKAGE) && entry.getName().endsWith(".class")) {
                    target.putNextEntry(new JarEntry(entry.getName()));
                    try (InputStream in = source.getInputStream(entry)) {
                        in.transferTo(target);
                    }
                    target.closeEntry();
                }
            }
        }
        instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(sinkJar.toFile()));
    }
}
