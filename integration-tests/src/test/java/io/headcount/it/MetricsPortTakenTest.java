package io.headcount.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.it.harness.AppProcess;
import io.headcount.it.harness.Http;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The metrics port is already in use: unlike exporters that exit the JVM, the agent says so in one
 * line and the app keeps serving.
 */
class MetricsPortTakenTest {
    private static ServerSocket squatter;
    private static String port;
    private static AppProcess app;

    @BeforeAll
    static void takeThePortThenStartTheApp() throws IOException {
        squatter = new ServerSocket(0);
        port = Integer.toString(squatter.getLocalPort());
        app = AppProcess.named("metrics-port-taken").agent("port=" + port).start();
    }

    @AfterAll
    static void stopAppAndFreeThePort() throws IOException {
        if (app != null) {
            app.close();
        }
        squatter.close();
    }

    @Test
    void takenPortIsReportedInOneLine() {
        // The exporter may start after the app does, so its complaint may come a moment later.
        assertNotNull(app.awaitStderr(line -> line.contains(port), Duration.ofSeconds(10)), app.output());
        assertEquals(1, app.stderrLines().stream().filter(line -> line.contains(port)).count(), app.output());
    }

    @Test
    void appKeepsServingAfterTheAgentFailedToBindItsPort() {
        app.awaitStderr(line -> line.contains(port), Duration.ofSeconds(10));
        HttpResponse<String> response = new Http().get(app.url("/api/users/7")).send();
        assertEquals(200, response.statusCode(), app.output());
        assertEquals("{\"id\":7,\"name\":\"User 7\"}", response.body());
        assertEquals("ok", new Http().get(app.url("/health")).send().body());
    }
}
