package io.headcount.agent.visitors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.testsupport.RedisServerProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's own bound on commands awaiting replies, against a real Redis frozen with SIGSTOP.
 * The connection is lettuce's with its default options, whose request queue is unbounded: only
 * {@link RedisCommands} bounds it here, as in the agent.
 */
class UnansweredCommandsTest {
    private static final byte[] KEY = "key".getBytes(StandardCharsets.UTF_8);

    private RedisServerProcess server;
    private RedisClient client;
    private StatefulRedisConnection<byte[], byte[]> connection;
    private RedisCommands commands;

    @BeforeEach
    void connect() throws Exception {
        server = RedisServerProcess.start();
        client = RedisClient.create(server.url());
        connection = client.connect(ByteArrayCodec.INSTANCE);
        commands = new RedisCommands(connection, false, 3);
    }

    @AfterEach
    void close() throws Exception {
        server.resume();
        client.shutdown();
        server.close();
    }

    @Test
    void pastTheBoundACommandFailsAtOnceAndAnsweredOnesMakeRoomAgain() throws Exception {
        server.suspend();
        List<RedisFuture<Long>> waiting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiting.add(commands.exists(KEY));
        }
        RedisFuture<Long> refused = commands.exists(KEY);
        assertTrue(refused.isDone(), "refused without waiting for Redis");
        ExecutionException failure = assertThrows(ExecutionException.class, refused::get);
        assertEquals("more than 3 commands await a reply from Redis", failure.getCause().getMessage());
        assertEquals(3, commands.unanswered());
        for (RedisFuture<Long> future : waiting) {
            assertFalse(future.isDone());
        }

        server.resume();
        for (RedisFuture<Long> future : waiting) {
            assertEquals(0L, future.get(10, TimeUnit.SECONDS));
        }
        assertEquals(0, commands.unanswered());
        assertEquals(1L, commands.addToSet(KEY, KEY).get(10, TimeUnit.SECONDS));
        assertEquals(0, commands.unanswered());
    }

    @Test
    void anErrorReplyGivesItsPlaceBack() throws Exception {
        server.command("SET", "key", "a-string");
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> commands.addToSet(KEY, KEY).get(10, TimeUnit.SECONDS));
        assertTrue(failure.getCause().getMessage().startsWith("WRONGTYPE"), failure.getCause().getMessage());
        assertEquals(0, commands.unanswered());
    }

    @Test
    void commandsFailedByAClosedConnectionGiveTheirPlacesBack() throws Exception {
        server.suspend();
        RedisFuture<Long> first = commands.exists(KEY);
        RedisFuture<Long> second = commands.exists(KEY);
        assertEquals(2, commands.unanswered());
        connection.close();
        assertThrows(Exception.class, () -> first.get(10, TimeUnit.SECONDS));
        assertThrows(Exception.class, () -> second.get(10, TimeUnit.SECONDS));
        assertEquals(0, commands.unanswered());
        RedisFuture<Long> afterClose = commands.exists(KEY);
        assertThrows(Exception.class, () -> afterClose.get(10, TimeUnit.SECONDS));
        assertEquals(0, commands.unanswered());
    }

    @Test
    void aBatchClosedBeforeItWasSentGivesItsPlacesBack() throws Exception {
        RedisCommands batched = new RedisCommands(connection, true, 3);
        RedisFuture<Long> first = batched.exists(KEY);
        RedisFuture<Long> second = batched.exists(KEY);
        assertEquals(2, batched.unanswered());
        connection.close();
        assertTrue(first.isCancelled(), "lettuce cancels what it never sent");
        assertTrue(second.isCancelled());
        assertEquals(0, batched.unanswered());
    }
}
