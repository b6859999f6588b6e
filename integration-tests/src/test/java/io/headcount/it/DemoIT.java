package io.headcount.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.it.harness.TestJars;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The README's demo: the test app's {@code demo} command runs the agent and prints live metrics. */
class DemoIT {
    @Test
    void demoPrintsWhereTheMetricsAreAndTheCountedRequests() throws IOException, InterruptedException {
        Path log = Path.of(System.getProperty("headcount.it.logs", "target/app-logs")).resolve("demo.log");
        Files.createDirectories(log.getParent());
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process demo = new ProcessBuilder(List.of(java, "-jar", TestJars.testApp().toString(),
                "demo", "--agent", TestJars.agent().toString(), "--exit"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean finished = demo.waitFor(90, TimeUnit.SECONDS);
        if (!finished) {
            demo.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(finished, "the demo did not finish:\n" + output);
        assertEquals(0, demo.exitValue(), output);
        assertTrue(output.matches("(?s).*\nMetrics: http://localhost:\\d+/metrics .*"), output);
        assertTrue(output.contains("\n  headcount_requests_total{"), output);
        assertTrue(output.contains("\n  headcount_unique_visitors_total{"), output);
        assertTrue(!output.contains("_bucket{"), "histogram buckets are left out of the demo's output");
    }
}
