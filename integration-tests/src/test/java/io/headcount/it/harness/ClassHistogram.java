package io.headcount.it.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** What classes a running JVM has instances of, from {@code jcmd GC.class_histogram}. */
public final class ClassHistogram {
    /** The agent's one-pass header reader, defined beside Tomcat's request facade. */
    public static final String TOMCAT_HEADER_READER = "org.apache.catalina.connector.HeadcountHeaderReader";

    private ClassHistogram() {
    }

    /** The histogram's text, from the {@code jcmd} beside the {@code java} binary that runs the JVM. */
    public static String of(Path java, long pid) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(java.resolveSibling("jcmd").toString(), String.valueOf(pid),
                "GC.class_histogram").redirectErrorStream(true).start();
        String histogram = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (jcmd.waitFor() != 0) {
            throw new IOException("jcmd GC.class_histogram failed: " + histogram);
        }
        return histogram;
    }

    /** Whether the histogram has a line for exactly this class (a name in the unnamed module). */
    public static boolean lists(String histogram, String className) {
        return histogram.contains(" " + className + "\n");
    }
}
