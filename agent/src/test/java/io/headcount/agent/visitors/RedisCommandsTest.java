package io.headcount.agent.visitors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.testsupport.RedisServerProcess;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.ScanCursor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each command the agent sends through the connection's dispatch, against a real Redis: its reply
 * as the tracker reads it, and what another client then finds in Redis.
 */
class RedisCommandsTest {
    private static RedisServerProcess server;
    private static RedisConnector redis;
    private static RedisCommands commands;

    @BeforeAll
    static void connect() throws Exception {
        server = RedisServerProcess.start();
        redis = new RedisConnector(server.url(), false, Duration.ofSeconds(5));
        redis.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (redis.reads() == null && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        commands = redis.reads();
    }

    @AfterAll
    static void close() throws Exception {
        redis.close();
        server.close();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static <T> T reply(io.lettuce.core.RedisFuture<T> future) throws Exception {
        return future.get(5, TimeUnit.SECONDS);
    }

    @Test
    void setCommands() throws Exception {
        assertEquals(2L, reply(commands.addToSet(bytes("set"), bytes("a"), bytes("b"))));
        assertEquals(1L, reply(commands.addToSet(bytes("set"), bytes("b"), bytes("c"))));
        assertEquals(3L, reply(commands.cardinality(bytes("set"))));
        Set<String> members = new HashSet<>();
        for (byte[] member : reply(commands.members(bytes("set")))) {
            members.add(new String(member, StandardCharsets.UTF_8));
        }
        assertEquals(Set.of("a", "b", "c"), members);
        assertEquals(":3\r\n", server.command("SCARD", "set"));
    }

    @Test
    void stringsExpiryAndExistence() throws Exception {
        long tomorrow = System.currentTimeMillis() / 1000 + 86_400;
        assertEquals("OK", reply(commands.setIfAbsent(bytes("salt"), bytes("first"), tomorrow)));
        assertNull(reply(commands.setIfAbsent(bytes("salt"), bytes("second"), tomorrow)));
        assertArrayEquals(bytes("first"), reply(commands.get(bytes("salt"))));
        assertExpiresAt(tomorrow, "salt");

        assertEquals("OK", reply(commands.set(bytes("salt"), bytes("third"), tomorrow + 1)));
        assertEquals("$5\r\nthird\r\n", server.command("GET", "salt"));
        assertExpiresAt(tomorrow + 1, "salt");
        assertNull(reply(commands.get(bytes("absent"))));

        assertEquals(1L, reply(commands.exists(bytes("salt"))));
        assertEquals(0L, reply(commands.exists(bytes("absent"))));
        assertTrue(reply(commands.expireAt(bytes("salt"), tomorrow + 2)));
        assertFalse(reply(commands.expireAt(bytes("absent"), tomorrow + 2)));
        assertExpiresAt(tomorrow + 2, "salt");
    }

    /** By TTL, which Redis 6.2 (the embedded server's) has too: the seconds left, read between two clock reads. */
    private static void assertExpiresAt(long epochSecond, String key) throws Exception {
        long before = System.currentTimeMillis() / 1000;
        String reply = server.command("TTL", key);
        long after = System.currentTimeMillis() / 1000 + 1;
        long left = Long.parseLong(reply.substring(1, reply.length() - 2));
        assertTrue(left <= epochSecond - before && left >= epochSecond - after,
                key + " has " + left + " s left; expiring at " + epochSecond + " leaves "
                        + (epochSecond - after) + " to " + (epochSecond - before));
    }

    @Test
    void hyperLogLog() throws Exception {
        assertEquals(1L, reply(commands.addToHyperLogLog(bytes("hll"), bytes("a"), bytes("b"), bytes("c"))));
        assertEquals(0L, reply(commands.addToHyperLogLog(bytes("hll"), bytes("a"))));
        assertEquals(3L, reply(commands.estimate(bytes("hll"))));
    }

    @Test
    void hashIncrementAndScan() throws Exception {
        assertEquals(5L, reply(commands.incrementField(bytes("hash"), bytes("x"), 5)));
        assertEquals(3L, reply(commands.incrementField(bytes("hash"), bytes("x"), -2)));
        // A hash small enough for a listpack is replied whole whatever COUNT says: keep this one a table.
        assertEquals("+OK\r\n", server.command("CONFIG", "SET", "hash-max-ziplist-entries", "16"));
        for (int i = 0; i < 300; i++) {
            reply(commands.incrementField(bytes("hash"), bytes("f" + i), i));
        }
        Map<String, String> fields = new HashMap<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        int steps = 0;
        do {
            MapScanCursor<byte[], byte[]> step = reply(commands.scanHash(bytes("hash"), cursor, 100));
            step.getMap().forEach((field, value) -> fields.put(new String(field, StandardCharsets.UTF_8),
                    new String(value, StandardCharsets.UTF_8)));
            cursor = step;
            steps++;
        } while (!cursor.isFinished());
        assertEquals(301, fields.size());
        assertEquals("3", fields.get("x"));
        assertEquals("299", fields.get("f299"));
        // Redis's own default, COUNT 10, would take about 30.
        assertTrue(steps >= 2 && steps <= 10, "COUNT 100 over 301 fields took " + steps + " steps");
    }

    @Test
    void evalWithKeysAndArguments() throws Exception {
        String script = "redis.call('SET', KEYS[1], ARGV[1]) return redis.call('STRLEN', KEYS[1]) + #KEYS";
        assertEquals(8L, reply(commands.evalInteger(script, new byte[][] {bytes("k1"), bytes("k2")},
                bytes("abcdef"))));
        assertEquals("$6\r\nabcdef\r\n", server.command("GET", "k1"));
    }

    @Test
    void serverInfoNamesTheProcess() throws Exception {
        String info = reply(commands.serverInfo());
        assertTrue(info.startsWith("# Server\r\n"), info);
        assertTrue(info.contains("\r\nrun_id:"), info);
        assertFalse(info.contains("# Clients"), info);
    }
}
