package io.headcount.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentArgumentsTest {
    private static Map<String, String> pairs(String... keysAndValues) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            pairs.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return pairs;
    }

    @Test
    void pairsAreSplitAtCommas() throws Exception {
        assertEquals(pairs("port", "9500", "host", "127.0.0.1"), AgentArguments.parse("port=9500,host=127.0.0.1"));
    }

    @Test
    void pieceWithoutEqualsContinuesThePreviousValue() throws Exception {
        assertEquals(pairs("trusted-proxies", "10.0.0.0/8,192.168.0.0/16", "port", "9000"),
                AgentArguments.parse("trusted-proxies=10.0.0.0/8,192.168.0.0/16,port=9000"));
        assertEquals(pairs("port", "9500", "exclude.paths", "/health*,/internal/*"),
                AgentArguments.parse("port=9500,exclude.paths=/health*,/internal/*"));
    }

    @Test
    void pieceWhoseNameIsNotKeyLikeContinuesThePreviousValue() throws Exception {
        assertEquals(pairs("redis.url", "redis-sentinel://s1,s2?sentinelMasterId=m", "exclude.paths", "/a,/b=c*"),
                AgentArguments.parse("redis.url=redis-sentinel://s1,s2?sentinelMasterId=m,exclude.paths=/a,/b=c*"));
    }

    @Test
    void valueKeepsEverythingAfterTheFirstEquals() throws Exception {
        assertEquals(pairs("redis.url", "redis://h?timeout=5s"), AgentArguments.parse("redis.url=redis://h?timeout=5s"));
    }

    @Test
    void emptyPiecesAreKeptAsEmptyContinuations() throws Exception {
        assertEquals(pairs("exclude.paths", "", "port", "1,"), AgentArguments.parse("exclude.paths=,port=1,"));
    }

    @Test
    void keysAreTrimmedValuesAreNot() throws Exception {
        assertEquals(pairs("port", " 9500 ", "host", " ::"), AgentArguments.parse(" port = 9500 , host= ::"));
    }

    @Test
    void nullAndBlankAreNoPairs() throws Exception {
        assertEquals(Map.of(), AgentArguments.parse(null));
        assertEquals(Map.of(), AgentArguments.parse(" "));
    }
}
