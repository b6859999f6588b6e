package io.headcount.agent.visitors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.protocol.AsyncCommand;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A set's or hash's expiry and index entry are sent again between the worker's bursts, at most once
 * a second, until Redis has taken them. Fire and forget lost the index entry for the rest of the day
 * when a cluster rejected it while connecting to a node, and a reader finds a set only through that
 * entry. The connection here only records what is dispatched; each test answers the commands as
 * Redis would, or rejects them.
 */
class DayAnnouncementTest {
    private final List<AsyncCommand<byte[], byte[], ?>> sent = new ArrayList<>();
    private final RedisCommands commands = new RedisCommands(recordingConnection(), true);
    private final DayKeys day = new DayKeys("hc", new VisitorDay(LocalDate.parse("2026-12-06"), 0, 86_400_000));

    @SuppressWarnings("unchecked")
    private StatefulConnection<byte[], byte[]> recordingConnection() {
        return (StatefulConnection<byte[], byte[]>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {StatefulConnection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("dispatch") && args.length == 1) {
                        sent.add((AsyncCommand<byte[], byte[], ?>) args[0]);
                        return args[0];
                    }
                    return null;
                });
    }

    /** Each command dispatched since {@code from}: its type and first argument. */
    private List<String> sentSince(int from) {
        List<String> described = new ArrayList<>();
        for (AsyncCommand<byte[], byte[], ?> command : sent.subList(from, sent.size())) {
            ByteBuffer key = command.getArgs().getFirstEncodedKey();
            byte[] bytes = new byte[key.remaining()];
            key.get(bytes);
            described.add(command.getType().toString() + " " + new String(bytes, StandardCharsets.UTF_8));
        }
        return described;
    }

    /** Integer replies to the commands from {@code from} on, one each, in order. */
    private void answer(int from, long... integers) {
        for (int i = 0; i < integers.length; i++) {
            AsyncCommand<byte[], byte[], ?> command = sent.get(from + i);
            command.getOutput().set(integers[i]);
            command.complete();
        }
    }

    private void reject(int index) {
        sent.get(index).completeExceptionally(new RedisException("Currently not connected. Commands are rejected."));
    }

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final List<String> SET_ANNOUNCEMENT = List.of("EXPIREAT hc:2026-12-06:visitors:browser",
            "SADD hc:2026-12-06:sets", "EXPIREAT hc:2026-12-06:sets");

    @Test
    void sentOnceWhenTakenOrStillAwaited() {
        DaySet set = day.visitors("browser");
        set.announce(commands);
        assertEquals(SET_ANNOUNCEMENT, sentSince(0));
        set.announce(commands);
        assertFalse(day.announceAgain(commands, SECOND));
        answer(0, 1, 1, 1);
        set.announce(commands);
        assertFalse(day.announceAgain(commands, 2 * SECOND));
        // An index entry that was there already (SADD 0) is taken too.
        DaySet other = day.visitors("script");
        other.announce(commands);
        answer(3, 1, 0, 1);
        assertFalse(day.announceAgain(commands, 3 * SECOND));
        assertEquals(6, sent.size());
    }

    @Test
    void aRejectedIndexEntryIsSentAgainBetweenBurstsAtMostOnceASecond() {
        // The set is written once and never again: its entry must not wait for another write.
        DaySet set = day.visitors("browser");
        set.announce(commands);
        answer(0, 1);
        reject(1);
        answer(2, 1);
        assertTrue(day.announceAgain(commands, SECOND));
        assertEquals(SET_ANNOUNCEMENT, sentSince(3));
        reject(3);
        reject(4);
        reject(5);
        assertFalse(day.announceAgain(commands, SECOND + SECOND / 2));
        assertTrue(day.announceAgain(commands, 2 * SECOND));
        assertEquals(SET_ANNOUNCEMENT, sentSince(6));
        answer(6, 1, 1, 1);
        assertFalse(day.announceAgain(commands, 3 * SECOND));
        set.announce(commands);
        assertEquals(9, sent.size());
    }

    @Test
    void sentAgainWhenTheExpiryFoundNoKey() {
        // The set's own write failed before it: the key its retry creates needs the expiry.
        DaySet set = day.visitors("browser");
        set.announce(commands);
        answer(0, 0, 1, 1);
        assertTrue(day.announceAgain(commands, SECOND));
        assertEquals(SET_ANNOUNCEMENT, sentSince(3));
    }

    @Test
    void sentAgainAfterRedisLostTheDay() {
        DaySet set = day.visitors("browser");
        set.announce(commands);
        answer(0, 1, 1, 1);
        day.forgetAnnouncements();
        set.announce(commands);
        assertEquals(SET_ANNOUNCEMENT, sentSince(3));
        // The announcement from before the loss is not sent again beside it.
        reject(3);
        assertTrue(day.announceAgain(commands, SECOND));
        assertEquals(SET_ANNOUNCEMENT, sentSince(6));
    }

    @Test
    void aDepthHashTooIsSentAgainAfterARejection() {
        DepthHash hash = day.depth("browser");
        hash.announce(commands);
        List<String> announcement = List.of("EXPIREAT hc:2026-12-06:depth:browser", "SADD hc:2026-12-06:depth-clients",
                "EXPIREAT hc:2026-12-06:depth-clients");
        assertEquals(announcement, sentSince(0));
        reject(0);
        answer(1, 1, 1);
        assertTrue(day.announceAgain(commands, SECOND));
        assertEquals(announcement, sentSince(3));
        answer(3, 1, 1, 1);
        assertFalse(day.announceAgain(commands, 2 * SECOND));
        hash.announce(commands);
        assertEquals(6, sent.size());
    }
}
