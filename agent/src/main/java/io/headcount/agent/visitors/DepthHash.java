package io.headcount.agent.visitors;

import java.nio.charset.StandardCharsets;

/**
 * One Redis hash of a visitor day: for one client kind, each visitor's fingerprint (the same 8
 * bytes as in the day's sets) to its requests that day, summed over the instances with
 * {@code HINCRBY}. Indexed apart from the day's sets, so that a reader of those (an older agent
 * too) never meets a hash.
 */
final class DepthHash {
    final DayKeys day;
    final String client;
    final byte[] key;
    /** Whether its expiry and index entry were sent since Redis last lost the day. */
    boolean announced;

    DepthHash(DayKeys day, String client, byte[] key) {
        this.day = day;
        this.client = client;
        this.key = key;
    }

    /**
     * The first time the hash is written (again): the day's expiry, and its entry in the day's index.
     * One that Redis does not take is sent again between bursts ({@link DayKeys#announceAgain}).
     */
    void announce(RedisCommands commands) {
        if (!announced) {
            announced = true;
            day.announce(commands, key, day.depthIndex, client.getBytes(StandardCharsets.UTF_8));
        }
    }
}
