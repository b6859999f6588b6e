package io.headcount.agent.visitors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RedisHealthTest {
    @Test
    void downUntilConnectedThenUpOnce() {
        RedisHealth health = new RedisHealth();
        assertFalse(health.up());
        assertEquals(RedisHealth.Change.UP, health.connected());
        assertEquals(RedisHealth.Change.NONE, health.connected());
        assertTrue(health.up());
        assertEquals(1, health.connections());
    }

    @Test
    void anOverdueReplyMakesItDownOnceAndTheNextReplyUpOnce() {
        RedisHealth health = new RedisHealth();
        health.connected();
        assertEquals(RedisHealth.Change.DOWN, health.overdue());
        assertEquals(RedisHealth.Change.NONE, health.overdue());
        assertFalse(health.up());
        assertEquals(RedisHealth.Change.UP, health.replied());
        assertEquals(RedisHealth.Change.NONE, health.replied());
        assertEquals(1, health.connections(), "the connection stayed: the day need not be agreed again");
    }

    @Test
    void aLostConnectionIsDownAndANewOneCountsAsANewConnection() {
        RedisHealth health = new RedisHealth();
        health.connected();
        assertEquals(RedisHealth.Change.DOWN, health.disconnected());
        assertEquals(RedisHealth.Change.NONE, health.replied(), "a reply without a connection changes nothing");
        assertEquals(RedisHealth.Change.UP, health.connected());
        assertEquals(2, health.connections());
    }

    @Test
    void aNewConnectionAnswersEvenIfTheOldOneWasLate() {
        RedisHealth health = new RedisHealth();
        health.connected();
        health.overdue();
        health.disconnected();
        assertEquals(RedisHealth.Change.UP, health.connected());
    }
}
