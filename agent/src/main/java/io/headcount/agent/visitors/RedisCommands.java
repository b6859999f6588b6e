package io.headcount.agent.visitors;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.async.RedisKeyAsyncCommands;
import io.lettuce.core.api.async.RedisSetAsyncCommands;
import io.lettuce.core.api.async.RedisStringAsyncCommands;

/**
 * The few Redis commands the visitor count needs, the same for a single server, Sentinel and
 * Cluster. Commands are queued without flushing; {@link #flush()} sends a batch in one write.
 */
final class RedisCommands {
    private final StatefulConnection<byte[], byte[]> connection;
    private final RedisSetAsyncCommands<byte[], byte[]> sets;
    private final RedisStringAsyncCommands<byte[], byte[]> strings;
    private final RedisKeyAsyncCommands<byte[], byte[]> keys;

    <C extends RedisSetAsyncCommands<byte[], byte[]> & RedisStringAsyncCommands<byte[], byte[]>
            & RedisKeyAsyncCommands<byte[], byte[]>> RedisCommands(StatefulConnection<byte[], byte[]> connection,
                                                                   C commands) {
        this.connection = connection;
        this.sets = commands;
        this.strings = commands;
        this.keys = commands;
        connection.setAutoFlushCommands(false);
    }

    /** @return 1 when the member was new to the set */
    RedisFuture<Long> addToSet(byte[] key, byte[] member) {
        return sets.sadd(key, member);
    }

    /** Stores the value only if the key is absent, expiring at the given epoch second. */
    RedisFuture<String> setIfAbsent(byte[] key, byte[] value, long expireAtEpochSecond) {
        return strings.set(key, value, SetArgs.Builder.nx().exAt(expireAtEpochSecond));
    }

    RedisFuture<byte[]> get(byte[] key) {
        return strings.get(key);
    }

    RedisFuture<Boolean> expireAt(byte[] key, long epochSecond) {
        return keys.expireat(key, epochSecond);
    }

    void flush() {
        connection.flushCommands();
    }

    boolean isOpen() {
        return connection.isOpen();
    }
}
