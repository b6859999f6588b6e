package io.headcount.it.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.it.harness.AppProcess;
import io.headcount.it.harness.FreePorts;
import io.headcount.it.harness.Http;
import io.headcount.it.harness.MetricsEndpoint;
import io.headcount.it.harness.PrometheusText;
import io.headcount.testsupport.RedisServerProcess;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A Redis that refuses the password, or is not there at all, when the app starts. */
class RedisMisconfiguredIT {
    private static void appServesAndCountsLocally(String name, String redisUrl, String secret, String reason)
            throws Exception {
        int metricsPort = FreePorts.pick();
        try (AppProcess app = AppProcess.named(name).agent("port=" + metricsPort + ",redis.url=" + redisUrl).start()) {
            assertEquals(200, new Http().get(app.url("/api/users/1")).userAgent("Probe/1").status());
            String line = app.awaitStderr(l -> l.contains("[headcount]") && l.contains("is unavailable"),
                    Duration.ofSeconds(10));
            assertFalse(line == null, "no log line about Redis\n" + app.output());
            PrometheusText metrics = new MetricsEndpoint(metricsPort)
                    .scrapeUntil(text -> text.sum("headcount_unique_visitors_total") == 1.0);
            assertEquals(0.0, metrics.valueOrZero("headcount_redis_up"));
            assertEquals(1.0, metrics.valueOrZero("headcount_requests_total", "client", "unknown",
                    "endpoint", "/api/users/{id}", "method", "GET", "status_class", "2xx"));
            // Retries do not log again: one line for the state change, however long it lasts, after the
            // start line (Redis mode) and the one that says the agent is connecting.
            Thread.sleep(1500);
            List<String> redisLines = app.stderrLines().stream().filter(l -> l.contains("Redis")).toList();
            assertEquals(3, redisLines.size(), String.join("\n", redisLines));
            assertTrue(redisLines.get(0).contains(" INFO [headcount] Headcount ") && redisLines.get(0).contains(
                    " loaded: Redis mode ("), redisLines.get(0));
            assertTrue(redisLines.get(1).contains(" INFO [headcount] connecting to Redis at 127.0.0.1:"), redisLines.get(1));
            assertTrue(redisLines.get(2).contains(" WARN [headcount] Redis at 127.0.0.1:"), redisLines.get(2));
            assertTrue(redisLines.get(2).contains(" is unavailable (" + reason), redisLines.get(2));
            assertFalse(app.output().contains("SLF4J"), app.output());
            if (secret != null) {
                assertFalse(app.output().contains(secret), "the password was logged");
            }
        }
    }

    @Test
    void wrongPasswordIsOneLogLineAndTheAppServes() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start("right-password")) {
            appServesAndCountsLocally("redis-wrong-password", "redis://:wrong-s3cret@127.0.0.1:" + redis.port(),
                    "wrong-s3cret", "WRONGPASS: it refuses this instance's credentials; the password in redis.url is"
                            + " not Redis's): ");
        }
    }

    @Test
    void unreachableRedisIsOneLogLineAndTheAppServes() throws Exception {
        appServesAndCountsLocally("redis-unreachable", "redis://127.0.0.1:" + FreePorts.pick(), null, "Connection refused");
    }
}
