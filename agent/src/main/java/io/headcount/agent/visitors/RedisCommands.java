package io.headcount.agent.visitors;

import io.lettuce.core.MapScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.async.RedisHLLAsyncCommands;
import io.lettuce.core.api.async.RedisHashAsyncCommands;
import io.lettuce.core.api.async.RedisKeyAsyncCommands;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.api.async.RedisServerAsyncCommands;
import io.lettuce.core.api.async.RedisSetAsyncCommands;
import io.lettuce.core.api.async.RedisStringAsyncCommands;
import java.util.Set;

/**
 * The few Redis commands the visitor count needs, the same for a single server, Sentinel and
 * Cluster. On the worker's connection commands are queued without flushing and {@link #flush()}
 * sends a batch in one write; the scrape's connection sends each command at once.
 */
final class RedisCommands {
    private final StatefulConnection<byte[], byte[]> connection;
    private final RedisSetAsyncCommands<byte[], byte[]> sets;
    private final RedisStringAsyncCommands<byte[], byte[]> strings;
    private final RedisKeyAsyncCommands<byte[], byte[]> keys;
    private final RedisServerAsyncCommands<byte[], byte[]> server;
    private final RedisHLLAsyncCommands<byte[], byte[]> hll;
    private final RedisHashAsyncCommands<byte[], byte[]> hashes;
    private final RedisScriptingAsyncCommands<byte[], byte[]> scripts;

    <C extends RedisSetAsyncCommands<byte[], byte[]> & RedisStringAsyncCommands<byte[], byte[]>
            & RedisKeyAsyncCommands<byte[], byte[]> & RedisServerAsyncCommands<byte[], byte[]>
            & RedisHLLAsyncCommands<byte[], byte[]> & RedisHashAsyncCommands<byte[], byte[]>
            & RedisScriptingAsyncCommands<byte[], byte[]>> RedisCommands(StatefulConnection<byte[], byte[]> connection,
                                                                         C commands, boolean batched) {
        this.connection = connection;
        this.sets = commands;
        this.strings = commands;
        this.keys = commands;
        this.server = commands;
        this.hll = commands;
        this.hashes = commands;
        this.scripts = commands;
        connection.setAutoFlushCommands(!batched);
    }

    /** @return how many of the members were new to the set */
    RedisFuture<Long> addToSet(byte[] key, byte[]... members) {
        return sets.sadd(key, members);
    }

    /** @return 1 when the HyperLogLog changed, else 0 (not whether the members were new) */
    RedisFuture<Long> addToHyperLogLog(byte[] key, byte[]... members) {
        return hll.pfadd(key, members);
    }

    /** The HyperLogLog's estimate of its distinct members (standard error 0.81%). */
    RedisFuture<Long> estimate(byte[] key) {
        return hll.pfcount(key);
    }

    /** {@code HINCRBY}: @return the field's value after the increment */
    RedisFuture<Long> incrementField(byte[] key, byte[] field, long amount) {
        return hashes.hincrby(key, field, amount);
    }

    /** One step of {@code HSCAN}, about {@code count} fields. */
    RedisFuture<MapScanCursor<byte[], byte[]>> scanHash(byte[] key, ScanCursor cursor, int count) {
        return hashes.hscan(key, cursor, ScanArgs.Builder.limit(count));
    }

    /** {@code EVAL} of a script whose reply is an integer. */
    RedisFuture<Long> evalInteger(String script, byte[][] keys, byte[]... args) {
        return scripts.eval(script, ScriptOutputType.INTEGER, keys, args);
    }

    RedisFuture<Long> cardinality(byte[] key) {
        return sets.scard(key);
    }

    RedisFuture<Set<byte[]>> members(byte[] key) {
        return sets.smembers(key);
    }

    RedisFuture<Long> exists(byte[] key) {
        return keys.exists(key);
    }

    /** Stores the value, expiring at the given epoch second. */
    RedisFuture<String> set(byte[] key, byte[] value, long expireAtEpochSecond) {
        return strings.set(key, value, SetArgs.Builder.exAt(expireAtEpochSecond));
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

    /** {@code INFO server}: names the server process ({@code run_id}). */
    RedisFuture<String> serverInfo() {
        return server.info("server");
    }

    void flush() {
        connection.flushCommands();
    }

    boolean isOpen() {
        return connection.isOpen();
    }
}
