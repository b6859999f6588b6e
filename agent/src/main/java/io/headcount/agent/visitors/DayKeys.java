package io.headcount.agent.visitors;

import io.lettuce.core.RedisFuture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The Redis keys of one visitor day, all under {@code <prefix>:<date>:}: the salt, one set per
 * client kind and one per (client kind, endpoint), an index of those sets (so that a scrape finds
 * them without scanning), and one marker per instance (so that an instance notices a Redis that
 * lost the day). Every command names one key, so in a Redis Cluster the keys need not share a
 * slot. Worker thread only, except the static helpers.
 */
final class DayKeys {
    static final String VISITORS = "visitors:";
    static final String ENDPOINT = "endpoint:";

    final VisitorDay day;
    final boolean approximate;
    private final String prefix;
    final byte[] salt;
    final byte[] index;
    final byte[] depthIndex;
    private final String keyPrefix;
    private final Map<String, DaySet> visitorSets = new HashMap<>();
    private final Map<String, Map<String, DaySet>> endpointSets = new HashMap<>();
    private final List<DaySet> all = new ArrayList<>();
    private final Map<String, DepthHash> depthHashes = new HashMap<>();

    DayKeys(String keyPrefix, VisitorDay day) {
        this(keyPrefix, day, false);
    }

    DayKeys(String keyPrefix, VisitorDay day, boolean approximate) {
        this.day = day;
        this.approximate = approximate;
        this.prefix = keyPrefix + ":" + day.date() + ":";
        this.salt = key("salt");
        this.index = indexKey(keyPrefix, day);
        this.depthIndex = depthIndexKey(keyPrefix, day);
        this.keyPrefix = keyPrefix;
    }

    /** The day's index of its request-count hashes: one member per client kind. */
    static byte[] depthIndexKey(String keyPrefix, VisitorDay day) {
        return (keyPrefix + ":" + day.date() + ":depth-clients").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] depthKey(String keyPrefix, VisitorDay day, String client) {
        return (keyPrefix + ":" + day.date() + ":depth:" + client).getBytes(StandardCharsets.UTF_8);
    }

    /** The day's request-count publication: a lease holding an instance id, then {@code done}. */
    static byte[] publishedKey(String keyPrefix, VisitorDay day) {
        return (keyPrefix + ":" + day.date() + ":depth-published").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] indexKey(String keyPrefix, VisitorDay day) {
        return (keyPrefix + ":" + day.date() + ":sets").getBytes(StandardCharsets.UTF_8);
    }

    byte[] key(String name) {
        return (prefix + name).getBytes(StandardCharsets.UTF_8);
    }

    byte[] marker(String instanceId) {
        return key("instance:" + instanceId);
    }

    DaySet visitors(String client) {
        DaySet set = visitorSets.get(client);
        if (set == null) {
            set = new DaySet(this, client, null);
            visitorSets.put(client, set);
            all.add(set);
        }
        return set;
    }

    DaySet endpoint(String endpoint, String client) {
        Map<String, DaySet> byClient = endpointSets.computeIfAbsent(endpoint, any -> new HashMap<>());
        DaySet set = byClient.get(client);
        if (set == null) {
            set = new DaySet(this, client, endpoint);
            byClient.put(client, set);
            all.add(set);
        }
        return set;
    }

    DepthHash depth(String client) {
        DepthHash hash = depthHashes.get(client);
        if (hash == null) {
            hash = new DepthHash(this, client, depthKey(keyPrefix, day, client));
            depthHashes.put(client, hash);
        }
        return hash;
    }

    /**
     * A key written for the first time (again): the day's expiry on it, and its entry in an index of
     * the day. Sent after the key's own write, on the same connection, so the key exists when its
     * expiry arrives.
     */
    Announcement announce(RedisCommands commands, byte[] key, byte[] index, byte[] indexMember) {
        long expiry = day.expiryEpochSecond();
        return new Announcement(commands.expireAt(key, expiry), commands.addToSet(index, indexMember),
                commands.expireAt(index, expiry));
    }

    /** Redis lost the day: every set and hash needs its expiry and index entry again. */
    void forgetAnnouncements() {
        for (DaySet set : all) {
            set.announcement = null;
        }
        for (DepthHash hash : depthHashes.values()) {
            hash.announcement = null;
        }
    }

    /**
     * The replies to one announcement. One that failed is sent again with the key's next write: a
     * reader finds a key only through its index entry, and a key without its expiry would outlive
     * the day. Fire and forget, as before, would lose the entry for the rest of the day whenever a
     * command is rejected, as a cluster does while it connects to a node.
     */
    static final class Announcement {
        private final RedisFuture<Boolean> keyExpiry;
        private final RedisFuture<Long> indexEntry;
        private final RedisFuture<Boolean> indexExpiry;

        Announcement(RedisFuture<Boolean> keyExpiry, RedisFuture<Long> indexEntry, RedisFuture<Boolean> indexExpiry) {
            this.keyExpiry = keyExpiry;
            this.indexEntry = indexEntry;
            this.indexExpiry = indexExpiry;
        }

        /**
         * Whether a reply has come back as an error, or an expiry found no key (the write before it
         * failed, and the key its retry creates would have none). Still waiting is not failing.
         */
        boolean failed() {
            return failed(keyExpiry) || failed(indexEntry) || failed(indexExpiry);
        }

        private static boolean failed(RedisFuture<?> reply) {
            if (!reply.isDone()) {
                return false;
            }
            CompletableFuture<?> future = reply.toCompletableFuture();
            return future.isCompletedExceptionally() || Boolean.FALSE.equals(future.getNow(null));
        }
    }
}
