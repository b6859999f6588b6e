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
class MetricsPortTakenIT {
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
        assertNotNull(app.awaitStderr(MetricsPortTakenIT::portLine, Duration.ofSeconds(10)), app.output());
        assertEquals(1, app.stderrLines().stream().filter(MetricsPortTakenIT::portLine).count(), app.output());
    }

    /** A line about the taken port (the agent's start line names the port too). */
    private static boolean portLine(String line) {
        return line.contains(port) && line.contains("cannot serve metrics");
    }

    @Test
    void takenPortLineSaysTheAgentArgumentGaveThePort() {
        String line = app.awaitStderr(MetricsPortTakenIT::portLine, Duration.ofSeconds(10));
        assertNotNull(line, app.output());
        assertTrue(line.endsWith(" ERROR [headcount] cannot serve metrics on 0.0.0.0:" + port
                + " (Address already in use); requests are still counted but not served;"
                + " the port comes from the agent argument port=: choose another there"), line);
    }

    @Test
    void appKeepsServingAfterTheAgentFailedToBindItsPort() {
        app.awaitStderr(MetricsPortTakenIT::portLine, Duration.ofSeconds(10));
        HttpResponse<String> response = new Http().get(app.url("/api/users/7")).send();
        assertEquals(200, response.statusCode(), app.output());
        assertEquals("{\"id\":7,\"name\":\"User 7\"}", response.body());
        assertEquals("ok", new Http().get(app.url("/health")).send().body());
    }
}
