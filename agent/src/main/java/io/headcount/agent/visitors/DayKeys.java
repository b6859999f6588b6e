package io.headcount.agent.visitors;

import io.lettuce.core.RedisFuture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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
    /** At most this often are rejected announcements sent again: not at every burst to a Redis that refuses them. */
    private static final long ANNOUNCE_AGAIN_NANOS = TimeUnit.SECONDS.toNanos(1);

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
    /** Announcements sent and not yet known to be taken. At most one per set and hash of the day. */
    private final List<Announcement> unanswered = new ArrayList<>();
    /** Whether {@link #announceAgain} has looked yet: {@code nanoTime} may be negative. */
    private boolean announcedAgain;
    private long lastAnnouncedAgainNanos;

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
     * expiry arrives; sent again by {@link #announceAgain} until Redis has taken it.
     */
    void announce(RedisCommands commands, byte[] key, byte[] index, byte[] indexMember) {
        Announcement announcement = new Announcement(key, index, indexMember);
        announcement.send(commands, day.expiryEpochSecond());
        unanswered.add(announcement);
    }

    /**
     * Between the worker's bursts, at most once a second: forgets each announcement Redis has taken
     * and sends again each it has not (an error reply, or an expiry that found no key).
     *
     * @return whether anything was sent
     */
    boolean announceAgain(RedisCommands commands, long nowNanos) {
        if (unanswered.isEmpty() || announcedAgain && nowNanos - lastAnnouncedAgainNanos < ANNOUNCE_AGAIN_NANOS) {
            return false;
        }
        announcedAgain = true;
        lastAnnouncedAgainNanos = nowNanos;
        boolean sent = false;
        for (Iterator<Announcement> pending = unanswered.iterator(); pending.hasNext(); ) {
            Announcement announcement = pending.next();
            if (announcement.failed()) {
                announcement.send(commands, day.expiryEpochSecond());
                sent = true;
            } else if (announcement.taken()) {
                pending.remove();
            }
        }
        return sent;
    }

    /** Redis lost the day: every set and hash needs its expiry and index entry again. */
    void forgetAnnouncements() {
        for (DaySet set : all) {
            set.announced = false;
        }
        for (DepthHash hash : depthHashes.values()) {
            hash.announced = false;
        }
        unanswered.clear();
    }

    /**
     * One key's expiry and index entry, and Redis's replies to them as last sent. Fire and forget,
     * as before, lost the index entry for the rest of the day whenever Redis rejected it, as a
     * cluster does while the agent connects to a node: a reader finds a key only through its index
     * entry. And a key whose expiry found no key (its own write had failed, and its retry created
     * it) would outlive its day.
     */
    private static final class Announcement {
        private final byte[] key;
        private final byte[] index;
        private final byte[] indexMember;
        private RedisFuture<Boolean> keyExpiry;
        private RedisFuture<Long> indexEntry;
        private RedisFuture<Boolean> indexExpiry;

        Announcement(byte[] key, byte[] index, byte[] indexMember) {
            this.key = key;
            this.index = index;
            this.indexMember = indexMember;
        }

        void send(RedisCommands commands, long expiryEpochSecond) {
            keyExpiry = commands.expireAt(key, expiryEpochSecond);
            indexEntry = commands.addToSet(index, indexMember);
            indexExpiry = commands.expireAt(index, expiryEpochSecond);
        }

        /** Whether a reply has come back as an error, or an expiry found no key. Still waiting is not failing. */
        boolean failed() {
            return failed(keyExpiry) || failed(indexEntry) || failed(indexExpiry);
        }

        /** Whether every reply has come back, none of them a failure. */
        boolean taken() {
            return keyExpiry.isDone() && indexEntry.isDone() && indexExpiry.isDone() && !failed();
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
