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
    /** Whether its expiry and index entry were sent since Redis last lost the day. */
    boolean announced;

    DaySet(DayKeys day, String client, String endpoint) {
        this.day = day;
        this.client = client;
        this.endpoint = endpoint;
        String name = endpoint == null ? "visitors:" + client : "endpoint:" + client + ":" + endpoint;
        this.indexMember = name.getBytes(StandardCharsets.UTF_8);
        this.key = day.key(name);
    }

    /** The first time the set is written (again): its expiry, and its entry in the day's index. */
    void announce(RedisCommands commands) {
        if (announced) {
            return;
        }
        announced = true;
        long expiry = day.day.expiryEpochSecond();
        commands.expireAt(key, expiry);
        commands.addToSet(day.index, indexMember);
        commands.expireAt(day.index, expiry);
    }
}
