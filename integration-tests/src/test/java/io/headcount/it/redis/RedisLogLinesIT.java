package io.headcount.it.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.it.harness.AppProcess;
import io.headcount.it.harness.FreePorts;
import io.headcount.it.harness.Http;
import io.headcount.it.harness.MetricsEndpoint;
import io.headcount.it.matrix.AgentLogLines;
import io.headcount.testsupport.RedisServerProcess;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Redis goes away and comes back under two apps, one at the default log level and one at
 * {@code debug}: the first logs one line per change of state and nothing of its libraries, the second
 * also shows Lettuce's own lines, in the agent's log; neither prints SLF4J's banner or writes to the
 * app's {@code java.util.logging}; both count the failed reconnects.
 */
class RedisLogLinesIT {
    /**
     * An attacker's probe of 2026-12-06 stopped an instance while Redis was frozen: 61 visitors
     * waiting for it were lost, and nothing said so.
     */
    @Test
    void anAppStoppedWhileRedisIsAwaySaysWhatWaitedForIt() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            int port = FreePorts.pick();
            AppProcess app = AppProcess.named("redis-stop-while-away")
                    .agent("port=" + port + ",redis.url=" + redis.url() + ",redis.timeout-ms=300").launch();
            try {
                app.awaitReady();
                MetricsEndpoint metrics = new MetricsEndpoint(port);
                assertEquals(200, new Http().get(app.url("/api/users/1")).status());
                metrics.scrapeUntil(text -> text.valueOrZero("headcount_unique_visitors_total") == 1.0);
                redis.suspend();
                metrics.scrapeUntil(text -> text.valueOrZero("headcount_redis_up") == 0.0);
                Http http = new Http();
                for (int v = 0; v < 3; v++) {
                    assertEquals(200, http.get(app.url("/api/users/1")).forwardedFor("198.51.100." + v).status());
                }
                metrics.scrapeUntil(text -> text.valueOrZero("headcount_visitors_pending") == 6.0);
                // SIGTERM, as a deploy stops it; its output is read to the end while it exits.
                ProcessHandle.of(app.pid()).ifPresent(ProcessHandle::destroy);
            } finally {
                redis.resume();
            }
            String line = app.awaitStderr(text -> text.contains("the app is stopping"), Duration.ofSeconds(20));
            app.close();
            assertEquals("WARN the app is stopping while Redis at 127.0.0.1:" + redis.port() + " is away: 6 held"
                    + " visits or first sightings waiting for it end uncounted with this process; their visitors are"
                    + " counted if they come back today, on any instance",
                    line == null ? null : line.substring(line.indexOf("WARN")).replace("[headcount] ", ""), app.output());
        }
    }

    @Test
    void oneLinePerStateChangeAndTheLibrariesOnlyAtDebug() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            int quietPort = FreePorts.pick();
            int debugPort = FreePorts.pick();
            try (AppProcess quiet = AppProcess.named("redis-log-info")
                    .agent("port=" + quietPort + ",redis.url=" + redis.url()).launch();
                 AppProcess debug = AppProcess.named("redis-log-debug")
                         .agent("port=" + debugPort + ",log.level=debug,redis.url=" + redis.url()).launch()) {
                quiet.awaitReady();
                debug.awaitReady();
                assertEquals(200, new Http().get(quiet.url("/api/users/1")).status());
                assertEquals(200, new Http().get(debug.url("/api/users/1")).status());
                MetricsEndpoint quietMetrics = new MetricsEndpoint(quietPort);
                MetricsEndpoint debugMetrics = new MetricsEndpoint(debugPort);
                quietMetrics.scrapeUntil(text -> text.valueOrZero("headcount_redis_up") == 1.0);
                debugMetrics.scrapeUntil(text -> text.valueOrZero("headcount_redis_up") == 1.0);
                assertEquals(0.0, quietMetrics.scrape().valueOrZero("headcount_redis_errors_total"));

                redis.kill();
                // Lettuce keeps trying to reconnect; each failed try is a Redis error.
                quietMetrics.scrapeUntil(text -> text.valueOrZero("headcount_redis_up") == 0.0
                        && text.valueOrZero("headcount_redis_errors_total") >= 2.0);
                debugMetrics.scrapeUntil(text -> text.valueOrZero("headcount_redis_errors_total") >= 2.0);
                redis.startAgain();
                quietMetrics.scrapeUntil(text -> text.valueOrZero("headcount_redis_up") == 1.0);
                debugMetrics.scrapeUntil(text -> text.valueOrZero("headcount_redis_up") == 1.0);

                String where = "127.0.0.1:" + redis.port();
                String up = "INFO Redis at " + where + " is up: unique visitors are counted exactly across instances";
                List<String> lines = new ArrayList<>(AgentLogLines.messages(quiet));
                // The endpoint and the first connection start at the same time, so those two lines may swap.
                assertTrue(lines.remove("INFO counting requests; metrics at http://0.0.0.0:" + quietPort + "/metrics"),
                        quiet.output());
                assertEquals(List.of(
                        "INFO Headcount " + AgentLogLines.build() + " loaded: Redis mode (" + redis.url()
                                + "), metrics port " + quietPort + ", log level info, settings from agent argument",
                        AgentLogLines.smallHeapLine(250_000),
                        "INFO connecting to Redis at " + where + "; until it answers, new visitors wait to be counted"
                                + " (redis.hold.max-visits, redis.hold.max-ms)",
                        up,
                        "WARN Redis at " + where + " is unavailable (connection lost): new visitors wait in a bounded"
                                + " backlog (or, past its bounds, are counted by this instance alone) until it answers;"
                                + " retrying",
                        up,
                        // Killed, the test's Redis came back empty: the instance gives back what it knows.
                        "WARN Redis lost the visitors of " + LocalDate.now(ZoneOffset.UTC) + ": this instance gave back"
                                + " the 1 it knows, without counting them again; new visitors wait 5 s for the other"
                                + " instances to do the same"), lines, quiet.output());

                List<String> debugLines = AgentLogLines.messages(debug);
                assertTrue(debugLines.stream().anyMatch(line -> line.startsWith("DEBUG ConnectionWatchdog ")),
                        debug.output());
                for (AppProcess app : List.of(quiet, debug)) {
                    assertFalse(app.output().contains("SLF4J"), app.output());
                    for (String line : app.stderrLines()) {
                        boolean library = line.contains("lettuce") || line.contains("netty") || line.contains("reactor")
                                || line.contains("ConnectionWatchdog") || line.contains("Connection refused");
                        assertTrue(!library || line.contains(" [headcount] "), "a library line outside the agent's log: "
                                + line);
                    }
                }
            }
        }
    }
}
