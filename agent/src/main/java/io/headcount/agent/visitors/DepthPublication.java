package io.headcount.agent.visitors;

import io.headcount.agent.metrics.HeadcountMetrics;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanCursor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Set;

/**
 * Publishes one ended visitor day's request counts exactly once among every instance that shares
 * the Redis. Each instance tries, from {@link #GRACE_MILLIS} after the day's end (time for every
 * instance to send its last increments): {@code SET NX} of the day's published key with its own id
 * as a lease of {@link #LEASE_SECONDS}. The winner reads the day's hashes with {@code HSCAN} (a few
 * hundred fields at a time, only nine numbers per client kind kept), then, in one script, turns its
 * lease into {@code done} if it still holds it, and only then adds the tally to its counter. A
 * winner that fails or dies before that leaves a lease that expires, and another instance (or
 * itself) tries again; one that loses its lease adds nothing. Worker thread only.
 */
final class DepthPublication {
    static final long GRACE_MILLIS = 60_000;
    static final long LEASE_SECONDS = 600;
    /** How soon an instance that did not win looks again whether the day is done. */
    static final long RETRY_MILLIS = 30_000;
    static final int SCAN_COUNT = 500;
    private static final byte[] DONE = "done".getBytes(StandardCharsets.UTF_8);
    /** Completion only by the lease holder: after it, nobody else can add the day. */
    private static final String COMPLETE = "if redis.call('GET', KEYS[1]) == ARGV[1] then "
            + "redis.call('SET', KEYS[1], 'done', 'EXAT', ARGV[2]) return 1 end return 0";

    private enum Step { WAITING, CLAIMING, LISTING, SCANNING, COMPLETING, DONE }

    private final VisitorDay day;
    private final byte[] published;
    private final byte[] depthIndex;
    private final String keyPrefix;
    private final byte[] lease;
    private Step step = Step.WAITING;
    private long nextTryMillis;
    private RedisFuture<?> reply;
    private RedisFuture<byte[]> holder;
    private final ArrayDeque<String> clientsLeft = new ArrayDeque<>();
    private String scanning;
    private DepthTally tally;

    /** @param instanceId this instance's random id, its lease's value */
    DepthPublication(String keyPrefix, VisitorDay day, String instanceId) {
        this.day = day;
        this.keyPrefix = keyPrefix;
        this.published = DayKeys.publishedKey(keyPrefix, day);
        this.depthIndex = DayKeys.depthIndexKey(keyPrefix, day);
        this.lease = instanceId.getBytes(StandardCharsets.UTF_8);
        this.nextTryMillis = day.endMillis() + GRACE_MILLIS;
    }

    VisitorDay day() {
        return day;
    }

    boolean done() {
        return step == Step.DONE;
    }

    /** Whether a reply is awaited. */
    private boolean inFlight() {
        return reply != null && !reply.isDone();
    }

    /** Whether an attempt is under way: a reply awaited, or one in that has yet to be read. */
    boolean busy() {
        return step != Step.WAITING && step != Step.DONE;
    }

    /**
     * Reads the reply that came, sends the next command when due.
     *
     * @param ready whether this instance has sent all it counted of the day
     * @return whether a command was sent
     */
    boolean step(RedisCommands commands, long nowMillis, boolean ready, HeadcountMetrics metrics) {
        if (step == Step.DONE || inFlight()) {
            return false;
        }
        try {
            return advance(commands, nowMillis, ready, metrics);
        } catch (RuntimeException failed) {
            // A failed or refused reply: this attempt ends; the lease, if won, expires by itself.
            retryLater(nowMillis);
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    private boolean advance(RedisCommands commands, long nowMillis, boolean ready, HeadcountMetrics metrics) {
        switch (step) {
            case WAITING:
                if (!ready || nowMillis < nextTryMillis) {
                    return false;
                }
                commands.setIfAbsent(published, lease, Math.floorDiv(nowMillis, 1000L) + LEASE_SECONDS);
                holder = commands.get(published);
                reply = holder;
                step = Step.CLAIMING;
                return true;
            case CLAIMING:
                byte[] value = replyOf(holder);
                if (Arrays.equals(value, DONE)) {
                    step = Step.DONE;
                } else if (Arrays.equals(value, lease)) {
                    tally = new DepthTally();
                    reply = commands.members(depthIndex);
                    step = Step.LISTING;
                    return true;
                } else {
                    retryLater(nowMillis);
                }
                return false;
            case LISTING:
                for (byte[] client : (Set<byte[]>) replyOf(reply)) {
                    clientsLeft.add(new String(client, StandardCharsets.UTF_8));
                }
                return scanNext(commands, ScanCursor.INITIAL);
            case SCANNING:
                MapScanCursor<byte[], byte[]> page = (MapScanCursor<byte[], byte[]>) replyOf(reply);
                for (byte[] requests : page.getMap().values()) {
                    tally.add(scanning, Math.min(Long.parseLong(new String(requests, StandardCharsets.US_ASCII)),
                            VisitDepthBands.CAP));
                }
                return scanNext(commands, page.isFinished() ? ScanCursor.INITIAL : page);
            case COMPLETING:
                Long completed = (Long) replyOf(reply);
                if (completed != null && completed == 1L) {
                    tally.publishTo(metrics);
                    step = Step.DONE;
                } else {
                    // The lease ran out before the scan ended: another instance may hold it now.
                    retryLater(nowMillis);
                }
                tally = null;
                return false;
            default:
                return false;
        }
    }

    /** The next page of the hash being read, the first of the next hash, or completion. */
    private boolean scanNext(RedisCommands commands, ScanCursor cursor) {
        if (cursor == ScanCursor.INITIAL) {
            scanning = clientsLeft.poll();
        }
        if (scanning == null) {
            reply = commands.evalInteger(COMPLETE, new byte[][] {published}, lease,
                    Long.toString(day.expiryEpochSecond()).getBytes(StandardCharsets.US_ASCII));
            step = Step.COMPLETING;
            return true;
        }
        reply = commands.scanHash(DayKeys.depthKey(keyPrefix, day, scanning), cursor, SCAN_COUNT);
        step = Step.SCANNING;
        return true;
    }

    private void retryLater(long nowMillis) {
        step = Step.WAITING;
        nextTryMillis = nowMillis + RETRY_MILLIS;
        clientsLeft.clear();
        scanning = null;
        tally = null;
        reply = null;
    }

    private static <T> T replyOf(RedisFuture<T> reply) {
        return reply.toCompletableFuture().join();
    }
}
