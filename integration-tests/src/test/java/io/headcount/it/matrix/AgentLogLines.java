package io.headcount.it.matrix;

import io.headcount.it.harness.AppProcess;
import io.headcount.it.harness.TestJars;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.zip.ZipFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the tests read from the agent's log lines. */
public final class AgentLogLines {
    private static final Pattern METRICS =
            Pattern.compile(".*\\[headcount\\] counting requests; metrics at http://[^ ]+:(\\d+)/metrics$");

    private AgentLogLines() {
    }

    /**
     * Waits until the agent in the app says where its metrics are (it was given {@code port=0}) and
     * returns that port; fails with the app's output if it never does. The agent opens its
     * endpoint after the app's first request, or a few seconds after its start.
     */
    public static int metricsPort(AppProcess app) {
        String line = app.awaitStderr(candidate -> METRICS.matcher(candidate).matches(), Duration.ofSeconds(30));
        if (line == null) {
            throw new AssertionError("the agent never said where its metrics are\n" + app.output());
        }
        Matcher matcher = METRICS.matcher(line);
        matcher.matches();
        return Integer.parseInt(matcher.group(1));
    }

    /**
     * The agent's lines so far as {@code LEVEL text}, without the time stamp and the
     * {@code [headcount]} prefix, such as {@code INFO counting requests; ...}.
     */
    public static List<String> messages(AppProcess app) {
        return app.stderrLines().stream()
                .filter(line -> line.contains(" [headcount] "))
                .map(line -> {
                    String afterTime = line.substring(line.indexOf(' ') + 1);
                    // The heap a JVM reports for -Xmx256m depends on its collector.
                    return afterTime.replaceFirst(" \\[headcount\\] ", " ").replaceFirst("^INFO a heap of \\d+ MiB: ",
                            "INFO a heap of N MiB: ");
                })
                .collect(Collectors.toList());
    }

    /**
     * The line the agent logs in an app the harness starts ({@code -Xmx256m}), which lowers the
     * defaults of visitors.max and queue.capacity, its heap written as N.
     */
    public static String smallHeapLine(int visitorsMax) {
        return "INFO a heap of N MiB: visitors.max " + visitorsMax + " instead of 1000000 and queue.capacity 4096"
                + " instead of 8192, so that the visitor tables hold at most an eighth of it and the queue a sixteenth;"
                + " set them to choose otherwise";
    }

    /** {@code 0.1.0-SNAPSHOT (revision <git commit>)}, as the packaged agent names its build. */
    public static String build() {
        try (ZipFile jar = new ZipFile(TestJars.agent().toFile());
             InputStream in = jar.getInputStream(jar.getEntry("io/headcount/agent/build.properties"))) {
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version") + " (revision " + properties.getProperty("revision") + ")";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
