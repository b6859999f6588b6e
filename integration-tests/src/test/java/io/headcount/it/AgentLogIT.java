package io.headcount.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.it.harness.AppProcess;
import io.headcount.it.harness.FreePorts;
import io.headcount.it.harness.Http;
import io.headcount.it.harness.MetricsEndpoint;
import io.headcount.it.matrix.AgentLogLines;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The agent's own lines, word for word: one when it loads, one per change of state, as quiet as asked. */
class AgentLogIT {
    private static final Duration LOG_LIMIT = Duration.ofSeconds(30);

    @Test
    void oneLineWhenTheAgentLoadsAndOneWhenItServes() {
        int port = FreePorts.pick();
        try (AppProcess app = AppProcess.named("log-start").agent("port=" + port).start()) {
            assertEquals(200, new Http().get(app.url("/api/users/1")).status());
            assertNotNull(app.awaitStderr(line -> line.contains("counting requests"), LOG_LIMIT), app.output());
            assertEquals(List.of(
                            "INFO Headcount " + AgentLogLines.build() + " loaded: in-memory mode, metrics port " + port
                                    + ", log level info, settings from agent argument",
                            AgentLogLines.smallHeapLine(500_000),
                            "INFO counting requests; metrics at http://0.0.0.0:" + port + "/metrics"),
                    AgentLogLines.messages(app), app.output());
        }
    }

    @Test
    void logLevelOffSilencesTheAgent() {
        int port = FreePorts.pick();
        try (AppProcess app = AppProcess.named("log-off").agent("port=" + port + ",log.level=off").start()) {
            assertEquals(200, new Http().get(app.url("/api/users/1")).status());
            new MetricsEndpoint(port).scrapeUntil(text -> text.sum("headcount_requests_total") == 1.0);
            assertEquals(List.of(), AgentLogLines.messages(app), app.output());
        }
    }

    @Test
    void switchedOffABadSettingIsNoErrorButOneInfoLine() {
        try (AppProcess app = AppProcess.named("log-enabled-false").agent("enabled=false,port=abc").start()) {
            assertEquals(200, new Http().get(app.url("/api/users/1")).status());
            assertEquals(List.of("INFO off (enabled=false, agent argument enabled=); the app runs without it"),
                    AgentLogLines.messages(app), app.output());
        }
    }

    /**
     * A runtime without a module the agent uses (here {@code --limit-modules java.se}, which leaves out
     * {@code jdk.httpserver}): a line naming the module, never a bare {@code NoClassDefFoundError}.
     * Once the metrics endpoint no longer needs {@code jdk.httpserver}, the agent simply serves.
     */
    @Test
    void aRuntimeWithoutAModuleTheAgentNeedsGetsALineNamingIt() {
        int port = FreePorts.pick();
        try (AppProcess app = AppProcess.named("log-limit-modules").jvmArg("--limit-modules").jvmArg("java.se")
                .agent("port=" + port).start()) {
            assertEquals(200, new Http().get(app.url("/api/users/1")).status());
            String line = app.awaitStderr(l -> l.contains("counting requests") || l.contains("ERROR [headcount]"),
                    LOG_LIMIT);
            assertNotNull(line, app.output());
            if (line.contains("ERROR")) {
                assertEquals("ERROR could not start counting; the app runs without it: this Java runtime has no"
                        + " jdk.httpserver module (com.sun.net.httpserver.HttpServer is missing); use a full JDK or"
                        + " add the module: jlink --add-modules jdk.httpserver", AgentLogLines.messages(app).get(2));
            } else {
                assertEquals(1.0, new MetricsEndpoint(port).scrapeUntil(
                        text -> text.sum("headcount_requests_total") == 1.0).sum("headcount_requests_total"));
            }
            assertFalse(app.output().contains("NoClassDefFoundError"), app.output());
        }
    }
}
