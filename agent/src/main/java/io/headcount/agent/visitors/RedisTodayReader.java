package io.headcount.agent.visitors;

import io.lettuce.core.RedisFuture;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Today's shared figures, read from Redis when a scrape asks: the day's index of sets, then the
 * cardinality of each (or, in approximate mode, the estimate of each HyperLogLog). The same for every instance, so dashboards take {@code max}. A scrape
 * never waits longer than {@code redis.timeout-ms}: when Redis is late or away it gets the last
 * figures read this day (or none), and no second read is sent while one is outstanding. Reads
 * within a second of the last one are answered from it. Any thread.
 */
final class RedisTodayReader {
    static final long CACHE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final RedisConnector redis;
    private final VisitorDayClock clock;
    private final String keyPrefix;
    private final boolean approximate;
    private LocalDate cachedDay;
    private TodayFigures cached = TodayFigures.NONE;
    private long cachedAt;
    private RedisFuture<?> outstanding;

    RedisTodayReader(RedisConnector redis, VisitorDayClock clock, String keyPrefix, boolean approximate) {
        this.approximate = approximate;
        this.redis = redis;
        this.clock = clock;
        this.keyPrefix = keyPrefix;
    }

    synchronized TodayFigures read() {
        VisitorDay day = clock.day();
        long now = System.nanoTime();
        if (day.date().equals(cachedDay) && now - cachedAt < CACHE_NANOS) {
            return cached;
        }
        RedisCommands reads = redis.reads();
        if (reads == null || !redis.isUp() || (outstanding != null && !outstanding.isDone())) {
            return lastOf(day);
        }
        long deadline = now + TimeUnit.MILLISECONDS.toNanos(redis.timeoutMillis());
        try {
            RedisFuture<Set<byte[]>> index = reads.members(DayKeys.indexKey(keyPrefix, day));
            outstanding = index;
            List<String> names = new ArrayList<>();
            List<RedisFuture<Long>> sizes = new ArrayList<>();
            for (byte[] member : await(index, deadline)) {
                names.add(new String(member, StandardCharsets.UTF_8));
                byte[] key = keyOf(day, DaySet.keyName(names.get(names.size() - 1), approximate).getBytes(StandardCharsets.UTF_8));
                RedisFuture<Long> size = approximate ? reads.estimate(key) : reads.cardinality(key);
                sizes.add(size);
                outstanding = size;
            }
            Map<String, Long> visitors = new TreeMap<>();
            Map<String, Map<String, Long>> endpoints = new TreeMap<>();
            for (int i = 0; i < names.size(); i++) {
                add(names.get(i), await(sizes.get(i), deadline), visitors, endpoints);
            }
            cachedDay = day.date();
            cached = new TodayFigures(visitors, endpoints);
            cachedAt = System.nanoTime();
            return cached;
        } catch (TimeoutException late) {
            return lastOf(day);
        } catch (ExecutionException | RuntimeException failed) {
            redis.commandFailed(failed);
            return lastOf(day);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return lastOf(day);
        }
    }

    private TodayFigures lastOf(VisitorDay day) {
        return day.date().equals(cachedDay) ? cached : TodayFigures.NONE;
    }

    private byte[] keyOf(VisitorDay day, byte[] indexMember) {
        byte[] prefix = (keyPrefix + ":" + day.date() + ":").getBytes(StandardCharsets.UTF_8);
        byte[] key = new byte[prefix.length + indexMember.length];
        System.arraycopy(prefix, 0, key, 0, prefix.length);
        System.arraycopy(indexMember, 0, key, prefix.length, indexMember.length);
        return key;
    }

    /** Files one set's size under its labels; names the agent did not write are ignored. */
    static void add(String name, long size, Map<String, Long> visitors, Map<String, Map<String, Long>> endpoints) {
        if (name.startsWith(DayKeys.VISITORS)) {
            visitors.put(name.substring(DayKeys.VISITORS.length()), size);
        } else if (name.startsWith(DayKeys.ENDPOINT)) {
            int colon = name.indexOf(':', DayKeys.ENDPOINT.length());
            if (colon > 0) {
                endpoints.computeIfAbsent(name.substring(colon + 1), any -> new TreeMap<>())
                        .put(name.substring(DayKeys.ENDPOINT.length(), colon), size);
            }
        }
    }

    private static <T> T await(RedisFuture<T> reply, long deadlineNanos)
            throws InterruptedException, ExecutionException, TimeoutException {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0 && !reply.isDone()) {
            throw new TimeoutException();
        }
        return reply.get(Math.max(0, left), TimeUnit.NANOSECONDS);
    }
}
