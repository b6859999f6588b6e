package io.headcount.agent.visitors;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.testsupport.RedisServerProcess;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An attacker's probe of 2026-12-06: with Redis away at start-up the first connection was tried
 * again after 0.5, 1, 2, 4, 8 and 16 s, so a Redis back 18 s in was found about 32 s in, after the 30 s
 * hold had counted its visits alone.
 */
class RedisConnectorRetryTest {
    @Test
    void aRedisAwayAtStartUpIsFoundWithinAboutASecondOfItsReturn() throws Exception {
        try (RedisServerProcess server = RedisServerProcess.start()) {
            server.stop();
            try (RedisConnector redis = new RedisConnector(server.url(), false, Duration.ofSeconds(1))) {
                redis.start();
                // Past the doubling's tries at 0.5, 1.5, 3.5 and 7.5 s: its next was at 15.5 s.
                Thread.sleep(9_000);
                assertFalse(redis.isUp());
                server.startAgain();
                long back = System.nanoTime();
                while (!redis.isUp() && System.nanoTime() - back < TimeUnit.SECONDS.toNanos(30)) {
                    Thread.sleep(20);
                }
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back);
                // One try a second: about a second at most; the doubling's was 6.5 s away.
                assertTrue(millis < 4_000, "connected " + millis + " ms after Redis came back");
            }
        }
    }
}
