package io.headcount.agent.visitors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ServerIdentityTest {
    @Test
    void onlyAnotherKnownRunIdAfterAKnownOneIsAChange() {
        ServerIdentity identity = new ServerIdentity();
        assertFalse(identity.changedTo("a1"));
        assertFalse(identity.changedTo("a1"));
        assertFalse(identity.changedTo(null));
        assertTrue(identity.changedTo("b2"));
        assertFalse(identity.changedTo("b2"));
    }

    @Test
    void theRunIdIsReadFromInfoServer() {
        assertEquals("4f1e", ServerIdentity.runIdOf("# Server\r\nredis_version:7.0.15\r\nrun_id:4f1e\r\ntcp_port:6379\r\n"));
        assertNull(ServerIdentity.runIdOf("# Server\r\nredis_version:7.0.15\r\n"));
        assertNull(ServerIdentity.runIdOf(null));
    }

    @Test
    void theErrorsOfAFailoverInProgressPassAndOthersDoNot() {
        assertTrue(RedisVisitorTracker.passing("CLUSTERDOWN The cluster is down"));
        assertTrue(RedisVisitorTracker.passing("READONLY You can't write against a read only replica."));
        assertTrue(RedisVisitorTracker.passing("TRYAGAIN Multiple keys request during rehashing of slot"));
        assertTrue(RedisVisitorTracker.passing("LOADING Redis is loading the dataset in memory"));
        assertTrue(RedisVisitorTracker.passing("OOM command not allowed when used memory > 'maxmemory'."));
        assertTrue(RedisVisitorTracker.passing("MISCONF Redis is configured to save RDB snapshots, but it's currently"
                + " unable to persist to disk."));
        assertTrue(RedisVisitorTracker.passing("NOREPLICAS Not enough good replicas to write."));
        assertFalse(RedisVisitorTracker.passing("WRONGTYPE Operation against a key holding the wrong kind of value"));
        assertFalse(RedisVisitorTracker.passing(null));
    }
}
