package io.headcount.it.matrix;

import static io.headcount.it.harness.PrometheusText.labels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.it.harness.AppProcess;
import io.headcount.it.harness.Http;
import io.headcount.it.harness.MetricsEndpoint;
import io.headcount.it.harness.PrometheusText;
import io.headcount.it.harness.TestJars;
import io.headcount.it.harness.TestJdks;
import io.headcount.it.harness.TestJdks.Jdk;
import io.headcount.it.harness.UserAgents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code java -jar headcount-agent.jar attach <pid> port=0} on the JAX-RS matrix app, started without
 * the agent, after it has served (so the servlet API's classes, the app's filter and Jersey's
 * invoker are loaded and must be rewritten in place): from then on, and only from then on, its
 * requests are counted, under Jersey's templates.
 */
class AttachIT {
    static Stream<Jdk> jdks() {
        return TestJdks.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void anAgentAttachedToARunningAppCountsWhatItServesFromThenOn(Jdk jdk) throws Exception {
        AppProcess.Builder builder = AppProcess.named("attach-java" + jdk.feature()).java(jdk.java())
                .jar(TestJars.matrixApp("jersey"));
        if (jdk.feature() >= 21) {
            // Allowed anyway up to at least 25; the flag only keeps the JVM from warning about it.
            builder.jvmArg("-XX:+EnableDynamicAgentLoading");
        }
        try (AppProcess app = builder.start()) {
            Http http = new Http();
            assertEquals(200, http.get(app.url("/api/owners/bob")).status());
            assertEquals(401, http.get(app.url("/api/secret")).status());

            String attached = attach(jdk, app.pid());
            assertEquals("headcount: agent started in process " + app.pid()
                    + "; its log says where the metrics are", attached.strip());

            List<String> paths = List.of("/api/owners/ada", "/api/users/42", "/api/users/43", "/api/secret",
                    "/api/boom", "/nope/x");
            for (String path : paths) {
                http.get(app.url(path)).userAgent(UserAgents.SAFARI_IPHONE).forwardedFor("203.0.113.30").send();
            }
            PrometheusText scrape = new MetricsEndpoint(AgentLogLines.metricsPort(app)).scrapeUntil(s ->
                    s.sum("headcount_requests_total") >= paths.size()
                            && s.sum("headcount_unique_visitors_by_endpoint_total") >= paths.size() - 1);
            assertEquals(format(Map.of(
                            request("/api/owners/{ownerId}", "2xx"), 1.0,
                            request("/api/users/{id}", "2xx"), 2.0,
                            request("/api/secret", "4xx"), 1.0,
                            request("/api/boom", "5xx"), 1.0,
                            request("not_found", "4xx"), 1.0)),
                    format(scrape.nonZeroSeries("headcount_requests_total")),
                    "only the requests after the attach\n" + app.output());
            assertEquals(0.0, scrape.valueOrZero("headcount_agent_errors_total"));
        }
    }

    /** Runs the attach command with the app's own JDK; returns what it printed, after checking it succeeded. */
    private static String attach(Jdk jdk, long pid) throws IOException, InterruptedException {
        Process attach = new ProcessBuilder(jdk.java().toString(), "-jar", TestJars.agent().toString(),
                "attach", String.valueOf(pid), "port=0").redirectErrorStream(true).start();
        attach.getOutputStream().close();
        assertTrue(attach.waitFor(60, TimeUnit.SECONDS), "attach did not finish within 60 s");
        String output = new String(attach.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, attach.exitValue(), output);
        return output;
    }

    private static String request(String endpoint, String statusClass) {
        return labels("endpoint", endpoint, "method", "GET", "status_class", statusClass, "client", "browser");
    }

    private static String format(Map<String, Double> series) {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(series).forEach((labels, value) -> out.append(labels).append(' ').append(value).append('\n'));
        return out.toString();
    }
}
