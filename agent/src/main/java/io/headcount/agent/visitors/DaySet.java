package io.headcount.agent.visitors;

import java.nio.charset.StandardCharsets;

/**
 * One Redis set of a visitor day: the day's visitors of one client kind, or of one endpoint and
 * client kind. Its cardinality is that day's figure for those labels.
 */
final class DaySet {
    final DayKeys day;
    final String client;
    /** null for the day's visitors in total. */
    final String endpoint;
    final byte[] key;
    /** The set's name in the day's index of sets. */
    final byte[] indexMember;
    /** A HyperLogLog (visitors.mode=approximate) instead of a set. */
    final boolean approximate;
    /** Whether its expiry and index entry were sent since Redis last lost the day. */
    boolean announced;

    DaySet(DayKeys day, String client, String endpoint) {
        this.day = day;
        this.client = client;
        this.endpoint = endpoint;
        this.approximate = day.approximate;
        String name = endpoint == null ? "visitors:" + client : "endpoint:" + client + ":" + endpoint;
        this.indexMember = name.getBytes(StandardCharsets.UTF_8);
        this.key = day.key(keyName(name, approximate));
    }

    /**
     * The key's name after the day's prefix for an index entry: HyperLogLogs under {@code hll:}, so
     * that a change of mode within a day never meets a key of the other type.
     */
    static String keyName(String indexName, boolean approximate) {
        return approximate ? "hll:" + indexName : indexName;
    }

    /** SADD (the reply counts the new members) or PFADD (the reply says whether the estimate changed). */
    io.lettuce.core.RedisFuture<Long> add(RedisCommands commands, byte[]... members) {
        return approximate ? commands.addToHyperLogLog(key, members) : commands.addToSet(key, members);
    }

    /**
     * The first time the set is written (again): its expiry, and its entry in the day's index.
     * One that Redis does not take is sent again between bursts ({@link DayKeys#announceAgain}).
     */
    void announce(RedisCommands commands) {
        if (!announced) {
            announced = true;
            day.announce(commands, key, day.index, indexMember);
        }
    }
}
