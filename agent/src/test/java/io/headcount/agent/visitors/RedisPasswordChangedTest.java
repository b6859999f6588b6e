package io.headcount.agent.visitors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.testsupport.RedisServerProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * An attacker's probe of 2026-12-06 set a password on Redis while the agent was connected: its
 * reconnects were refused with NOAUTH, and the log said only "connection lost".
 */
class RedisPasswordChangedTest {
    @Test
    void credentialsRefusedOnReconnectAreNamedInOneLine() throws Exception {
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (RedisServerProcess server = RedisServerProcess.start()) {
            try (RedisConnector redis = new RedisConnector(server.url(), false, Duration.ofSeconds(1))) {
                redis.start();
                awaitUntil(redis::isUp);
                System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
                assertEquals("+OK\r\n", server.command("CONFIG", "SET", "requirepass", "rotated"));
                server.commandWithPassword("rotated", "CLIENT", "KILL", "TYPE", "normal");
                awaitUntil(() -> captured.toString(StandardCharsets.UTF_8).contains("refuses"));
                Thread.sleep(1_000); // more refused reconnects, which must not add lines
            } finally {
                System.setErr(stderr);
            }
        }
        List<String> refused = captured.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.contains("refuses")).map(line -> line.substring(line.indexOf("ERROR")))
                .collect(Collectors.toList());
        assertEquals(1, refused.size(), captured.toString(StandardCharsets.UTF_8));
        assertTrue(refused.get(0).matches("ERROR \\[headcount] Redis at 127\\.0\\.0\\.1:\\d+ refuses this instance's"
                + " credentials \\(NOAUTH\\): new visitors wait \\(redis\\.backlog\\.max\\) until the password in"
                + " redis\\.url is Redis's again"), refused.get(0));
    }

    @Test
    void onlyRedisRefusingTheCredentialsIsNamed() {
        assertEquals("WRONGPASS", RedisConnector.credentialsRefused(new IllegalStateException("connect failed",
                new RuntimeException("WRONGPASS invalid username-password pair or user is disabled."))));
        assertEquals("NOAUTH", RedisConnector.credentialsRefused(new RuntimeException("NOAUTH HELLO must be called"
                + " with the client already authenticated")));
        assertEquals(null, RedisConnector.credentialsRefused(new RuntimeException("Connection refused")));
        assertEquals(null, RedisConnector.credentialsRefused(null));
        assertEquals("NOAUTH: it refuses this instance's credentials; the password in redis.url is not Redis's",
                RedisConnector.failureReason(new IllegalStateException("connect failed", new RuntimeException(
                        "NOAUTH HELLO must be called with the client already authenticated")), false));
        assertEquals("Connection initialization timed out after 1 second(s); with rediss://, also what a server"
                + " without TLS on that port gives", RedisConnector.failureReason(new RuntimeException(
                        "Connection initialization timed out after 1 second(s)"), true));
        assertEquals("Connection initialization timed out after 1 second(s)", RedisConnector.failureReason(
                new RuntimeException("Connection initialization timed out after 1 second(s)"), false));
        assertEquals("Connection refused: /127.0.0.1:1", RedisConnector.failureReason(
                new RuntimeException("x", new RuntimeException("Connection refused: /127.0.0.1:1")), true));
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(20);
        }
    }
}
