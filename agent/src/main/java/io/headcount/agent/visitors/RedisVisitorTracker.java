package io.headcount.agent.visitors;

import io.headcount.agent.metrics.HeadcountMetrics;
import io.lettuce.core.RedisFuture;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Counts unique visitors exactly across every instance that shares one Redis.
 *
 * <p>Per visitor day, Redis holds one salt (created by whichever instance needs it first, with
 * SET NX) and one set of visitor hashes in total and one per endpoint; an instance counts a visitor
 * only when its SADD reports the hash new, so the sum over instances is exact. A local seen-set
 * means a returning visitor costs this instance no round trip. Redis never sees a raw value.
 *
 * <p>Runs on the worker thread, which it never blocks: commands are sent asynchronously and their
 * replies read at the next {@link #poll()}. While Redis is down or the day's salt is not yet known,
 * visits are counted by an {@link InMemoryVisitorTracker} with a local salt instead.
 */
public final class RedisVisitorTracker implements VisitorTracker {
    /** First sightings awaiting a reply before the worker waits for Redis to catch up. */
    static final int MAX_PENDING = 10_000;
    /** Visits held while the day's salt is on its way, before further ones are counted locally. */
    static final int MAX_WAITING_FOR_SALT = 10_000;
    /** Bytes of the hash stored in Redis: 128 bits make a collision among a day's visitors negligible. */
    static final int MEMBER_BYTES = 16;
    /** Redis keeps a day's keys until this long after the day ends, then forgets them. */
    static final long KEEP_AFTER_DAY_END_SECONDS = 25 * 3600L;

    private final HeadcountMetrics metrics;
    private final RedisConnector redis;
    private final VisitorDayClock clock;
    private final ZoneId zone;
    private final String keyPrefix;
    private final SecureRandom random;
    private final InMemoryVisitorTracker fallback;
    private final long timeoutMillis;

    private final ArrayDeque<PendingAdd> pending = new ArrayDeque<>();
    private final ArrayDeque<Visit> waitingForSalt = new ArrayDeque<>();
    private final Set<String> expiringKeys = new HashSet<>();
    private final SeenVisitors seen;
    private LocalDate day;
    private VisitorHasher hasher;
    private byte[] salt;
    private RedisFuture<byte[]> saltRead;
    private LocalDate saltDay;
    /** The {@link RedisConnector#connections()} count when the salt was last agreed with Redis. */
    private long saltConnection = -1;
    private boolean unflushed;
    private volatile long untracked;
    /** Replies and salt-waiting visits outstanding, for other threads to read. */
    private volatile int waiting;

    public RedisVisitorTracker(HeadcountMetrics metrics, RedisConnector redis, VisitorDayClock clock, ZoneId zone,
                               String keyPrefix, int maxVisitorsPerDay, long timeoutMillis, SecureRandom random) {
        this.timeoutMillis = timeoutMillis;
        this.metrics = metrics;
        this.redis = redis;
        this.clock = clock;
        this.zone = zone;
        this.keyPrefix = keyPrefix;
        this.random = random;
        this.fallback = new InMemoryVisitorTracker(metrics, clock, maxVisitorsPerDay, random);
        this.seen = new SeenVisitors(maxVisitorsPerDay, random);
    }

    @Override
    public void visit(String visitorAddress, String userAgent, long userAgentId, String endpoint, String client) {
        LocalDate today = clock.today();
        if (!today.equals(day)) {
            startDay(today);
        }
        RedisCommands commands = redis.commands();
        if (commands == null) {
            fallback.visit(visitorAddress, userAgent, userAgentId, endpoint, client);
            return;
        }
        if (redis.connections() != saltConnection) {
            // Redis came back, perhaps empty: put our salt back unless another instance already did.
            requestSalt(commands);
        }
        if (hasher == null) {
            requestSalt(commands);
            if (waitingForSalt.size() < MAX_WAITING_FOR_SALT) {
                waitingForSalt.add(new Visit(visitorAddress, userAgent, userAgentId, endpoint, client));
            } else {
                fallback.visit(visitorAddress, userAgent, userAgentId, endpoint, client);
            }
            return;
        }
        countExactly(commands, visitorAddress, userAgent, userAgentId, endpoint, client);
    }

    /** Reads the replies that have arrived, and sends what was queued. Worker thread only. */
    @Override
    public void poll() {
        readSalt();
        while (!pending.isEmpty() && pending.peek().reply.isDone()) {
            PendingAdd add = pending.poll();
            Long added = replyOf(add.reply);
            if (added == null) {
                add.visit.countIn(fallback);
            } else if (added == 1L) {
                if (add.onEndpoint) {
                    metrics.uniqueVisitorOnEndpoint(add.visit.endpoint, add.visit.client).inc();
                } else {
                    metrics.uniqueVisitor(add.visit.client).inc();
                }
            }
        }
        flush();
        waiting = pending.size() + waitingForSalt.size();
    }

    @Override
    public boolean settled() {
        return waiting == 0;
    }

    @Override
    public long untracked() {
        return untracked + fallback.untracked();
    }

    private void countExactly(RedisCommands commands, String address, String userAgent, long userAgentId,
                              String endpoint, String client) {
        long fingerprint = hasher.fingerprint(address, userAgent, userAgentId);
        byte[] computed = hasher.lastHash();
        FingerprintSet.Result total = seen.add(fingerprint);
        if (total == FingerprintSet.Result.FULL) {
            untracked++;
            return;
        }
        FingerprintSet.Result onEndpoint = seen.addOnEndpoint(fingerprint, endpoint);
        if (onEndpoint == FingerprintSet.Result.FULL) {
            untracked++;
        }
        if (total != FingerprintSet.Result.ADDED && onEndpoint != FingerprintSet.Result.ADDED) {
            return;
        }
        Visit visit = new Visit(address, userAgent, userAgentId, endpoint, client);
        byte[] member = Arrays.copyOf(computed != null ? computed : hasher.hash(address, userAgent), MEMBER_BYTES);
        if (total == FingerprintSet.Result.ADDED) {
            send(commands, key("visitors"), member, visit, false);
        }
        if (onEndpoint == FingerprintSet.Result.ADDED) {
            send(commands, key("endpoint:" + endpoint), member, visit, true);
        }
    }

    private void send(RedisCommands commands, String key, byte[] member, Visit visit, boolean onEndpoint) {
        while (pending.size() >= MAX_PENDING) {
            awaitOldestReply(commands);
        }
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        pending.add(new PendingAdd(commands.addToSet(keyBytes, member), visit, onEndpoint));
        if (expiringKeys.add(key)) {
            commands.expireAt(keyBytes, expiryEpochSecond(day));
        }
        unflushed = true;
    }

    /**
     * Redis is behind: wait for its oldest reply on this, the worker thread, rather than let memory
     * grow or count inexactly. The app is not slowed; at worst the worker's queue fills and events
     * are dropped and counted as dropped.
     */
    private void awaitOldestReply(RedisCommands commands) {
        commands.flush();
        PendingAdd oldest = pending.peek();
        boolean replied;
        try {
            replied = oldest.reply.await(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            replied = false;
        }
        if (!replied) {
            pending.poll();
            redis.commandFailed(new TimeoutException("no reply from Redis in " + timeoutMillis + " ms"));
            oldest.visit.countIn(fallback);
        }
        poll();
    }

    private void startDay(LocalDate today) {
        day = today;
        hasher = null;
        salt = null;
        saltRead = null;
        saltDay = null;
        seen.clear();
        expiringKeys.clear();
    }

    private void requestSalt(RedisCommands commands) {
        if (saltRead != null && day.equals(saltDay)) {
            return;
        }
        byte[] proposal = salt;
        if (proposal == null) {
            proposal = new byte[InMemoryVisitorTracker.SALT_BYTES];
            random.nextBytes(proposal);
        }
        byte[] key = key("salt").getBytes(StandardCharsets.UTF_8);
        // The first instance's proposal wins; everyone then reads the winner.
        commands.setIfAbsent(key, proposal, expiryEpochSecond(day));
        saltRead = commands.get(key);
        saltDay = day;
        saltConnection = redis.connections();
        unflushed = true;
        flush();
    }

    private void readSalt() {
        if (saltRead == null || !saltRead.isDone()) {
            return;
        }
        byte[] agreed = replyOf(saltRead);
        saltRead = null;
        if (agreed == null || agreed.length != InMemoryVisitorTracker.SALT_BYTES || !day.equals(saltDay)) {
            // Failed or stale: ask again on the next visit; meanwhile count locally.
            saltDay = null;
            saltConnection = -1;
            drainWaitingTo(null);
            return;
        }
        if (salt == null || !Arrays.equals(salt, agreed)) {
            salt = agreed;
            hasher = new VisitorHasher(agreed);
        }
        drainWaitingTo(redis.commands());
    }

    private void drainWaitingTo(RedisCommands commands) {
        while (!waitingForSalt.isEmpty()) {
            Visit visit = waitingForSalt.poll();
            if (commands == null || hasher == null) {
                visit.countIn(fallback);
            } else {
                countExactly(commands, visit.address, visit.userAgent, visit.userAgentId, visit.endpoint, visit.client);
            }
        }
    }

    private void flush() {
        if (!unflushed) {
            return;
        }
        RedisCommands commands = redis.commands();
        if (commands != null) {
            commands.flush();
        }
        unflushed = false;
    }

    private <T> T replyOf(RedisFuture<T> reply) {
        try {
            return reply.toCompletableFuture().getNow(null);
        } catch (RuntimeException failed) {
            redis.commandFailed(failed);
            return null;
        }
    }

    private String key(String suffix) {
        return keyPrefix + ":" + day + ":" + suffix;
    }

    private long expiryEpochSecond(LocalDate visitorDay) {
        return visitorDay.plusDays(1).atStartOfDay(zone).toEpochSecond() + KEEP_AFTER_DAY_END_SECONDS;
    }


    @Override
    public void close() {
        redis.close();
    }

    /** A visit kept raw only until its reply arrives, so that a failure can still count it locally. */
    private static final class Visit {
        final String address;
        final String userAgent;
        final long userAgentId;
        final String endpoint;
        final String client;

        Visit(String address, String userAgent, long userAgentId, String endpoint, String client) {
            this.address = address;
            this.userAgent = userAgent;
            this.userAgentId = userAgentId;
            this.endpoint = endpoint;
            this.client = client;
        }

        void countIn(VisitorTracker tracker) {
            tracker.visit(address, userAgent, userAgentId, endpoint, client);
        }
    }

    private static final class PendingAdd {
        final RedisFuture<Long> reply;
        final Visit visit;
        final boolean onEndpoint;

        PendingAdd(RedisFuture<Long> reply, Visit visit, boolean onEndpoint) {
            this.reply = reply;
            this.visit = visit;
            this.onEndpoint = onEndpoint;
        }
    }
}
