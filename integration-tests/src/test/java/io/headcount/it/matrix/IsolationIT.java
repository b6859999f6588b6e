package io.headcount.it.matrix;

import static io.headcount.it.harness.PrometheusText.labels;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.headcount.it.harness.AppProcess;
import io.headcount.it.harness.Http;
import io.headcount.it.harness.MetricsEndpoint;
import io.headcount.it.harness.PrometheusText;
import io.headcount.it.harness.TestJars;
import io.headcount.it.harness.TestJdks;
import io.headcount.it.harness.TestJdks.Jdk;
import io.headcount.it.harness.UserAgents;
import io.headcount.testsupport.RedisServerProcess;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An app that ships its own, older Byte Buddy, Netty and Prometheus client and uses all three on
 * every request, while the agent runs with Redis (so the agent's own shaded Netty and Lettuce are
 * busy too): the app's libraries come from the app's jars and work, the agent counts exactly, and
 * nobody meets a {@code LinkageError}.
 */
class IsolationIT {
    private static RedisServerProcess redis;

    static Stream<Jdk> jdks() {
        return TestJdks.all().stream();
    }

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServerProcess.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void theAppsOwnLibrariesAndTheAgentBothWork(Jdk jdk) {
        String expectedAnswer = "{\"byteBuddy\":\"made by Byte Buddy\",\"byteBuddyJar\":\"byte-buddy-"
                + version("byte-buddy") + ".jar\",\"netty\":\"ping/pong\",\"nettyJar\":\"netty-transport-"
                + version("netty") + ".jar\",\"prometheus\":\"isolation_checks_total 1.0\",\"prometheusJar\":"
                + "\"prometheus-metrics-core-" + version("prometheus") + ".jar\"}";
        try (AppProcess app = AppProcess.named("isolation-java" + jdk.feature())
                .java(jdk.java())
                .jar(TestJars.matrixApp("isolation"))
                .agent("port=0,redis.url=" + redis.url() + ",redis.key-prefix=isolation-java" + jdk.feature())
                .start()) {
            Http http = new Http();
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> answer = http.get(app.url("/api/isolation"))
                        .userAgent(UserAgents.FIREFOX_LINUX).forwardedFor("203.0.113.20").send();
                assertEquals(200, answer.statusCode(), answer.body());
                assertEquals(expectedAnswer, answer.body());
            }
            assertEquals(200, http.get(app.url("/api/users/42"))
                    .userAgent(UserAgents.FIREFOX_LINUX).forwardedFor("203.0.113.20").status());

            PrometheusText scrape = new MetricsEndpoint(AgentLogLines.metricsPort(app)).scrapeUntil(s ->
                    s.sum("headcount_requests_total") >= 3 && s.sum("headcount_unique_visitors_by_endpoint_total") >= 2
                            && s.valueOrZero("headcount_redis_up") == 1);
            String context = "\n" + app.output();
            assertEquals(format(Map.of(
                            request("/api/isolation"), 2.0,
                            request("/api/users/{id}"), 1.0)),
                    format(scrape.nonZeroSeries("headcount_requests_total")), "requests" + context);
            assertEquals(format(Map.of(labels("client", "browser"), 1.0)),
                    format(scrape.nonZeroSeries("headcount_unique_visitors_total")), "visitors, through Redis" + context);
            assertEquals(1.0, scrape.valueOrZero("headcount_redis_up"), "Redis up" + context);
            assertEquals(0.0, scrape.valueOrZero("headcount_redis_errors_total"), "Redis errors" + context);
            assertEquals(0.0, scrape.valueOrZero("headcount_agent_errors_total"), "agent errors" + context);
            List<String> linkageTrouble = app.output().lines()
                    .filter(line -> line.contains("LinkageError") || line.contains("NoClassDefFoundError")
                            || line.contains("NoSuchMethodError") || line.contains("ClassCastException"))
                    .toList();
            assertEquals(List.of(), linkageTrouble);
        }
    }

    private static String version(String library) {
        String version = System.getProperty("isolation." + library + ".version");
        if (version == null) {
            throw new IllegalStateException("system property isolation." + library + ".version is not set: run through Maven");
        }
        return version;
    }

    private static String request(String endpoint) {
        return labels("endpoint", endpoint, "method", "GET", "status_class", "2xx", "client", "browser");
    }

    private static String format(Map<String, Double> series) {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(series).forEach((labels, value) -> out.append(labels).append(' ').append(value).append('\n'));
        return out.toString();
    }
}
