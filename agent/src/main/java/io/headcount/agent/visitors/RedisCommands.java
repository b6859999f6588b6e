package io.headcount.agent.visitors;

import io.lettuce.core.MapScanCursor;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.BooleanOutput;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.MapScanOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.output.ValueSetOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The few Redis commands the visitor count needs, the same for a single server, Sentinel and
 * Cluster. On the worker's connection commands are queued without flushing and {@link #flush()}
 * sends a batch in one write; the scrape's connection sends each command at once.
 *
 * <p>Each command is built as lettuce's own asynchronous commands build it (the same arguments
 * and reply types) and handed to the connection's {@code dispatch}, lettuce's documented way to
 * send a command it has no method for. The agent's connections make no command objects of
 * lettuce's ({@link DispatchOnlyRedisClient}): those are classes of some 700 methods each, loaded
 * into the app's JVM for these fourteen.
 *
 * <p>At most {@link #MAX_UNANSWERED} commands of one connection await a reply; a command past
 * that fails at once, as lettuce's own bound would fail it, so a Redis that stops reading (frozen
 * or cut off without a reset) cannot make the agent hold commands without end. The bound is kept
 * here rather than by lettuce's {@code requestQueueSize}: lettuce enforces its bound with
 * preallocated arrays of that many slots, two per connection, about 0.8 MB of heap for the
 * agent's two connections whether or not a command ever waits.
 */
final class RedisCommands {
    /** Sent and not yet answered, failed or cancelled, per connection. */
    static final int MAX_UNANSWERED = 50_000;
    private static final ByteArrayCodec CODEC = ByteArrayCodec.INSTANCE;

    private final StatefulConnection<byte[], byte[]> connection;
    private final int maxUnanswered;
    private final AtomicInteger unanswered = new AtomicInteger();

    RedisCommands(StatefulConnection<byte[], byte[]> connection, boolean batched) {
        this(connection, batched, MAX_UNANSWERED);
    }

    RedisCommands(StatefulConnection<byte[], byte[]> connection, boolean batched, int maxUnanswered) {
        this.connection = connection;
        this.maxUnanswered = maxUnanswered;
        connection.setAutoFlushCommands(!batched);
    }

    /** @return how many of the members were new to the set */
    RedisFuture<Long> addToSet(byte[] key, byte[]... members) {
        return send(CommandType.SADD, new IntegerOutput<>(CODEC), args().addKey(key).addValues(members));
    }

    /** @return 1 when the HyperLogLog changed, else 0 (not whether the members were new) */
    RedisFuture<Long> addToHyperLogLog(byte[] key, byte[]... members) {
        return send(CommandType.PFADD, new IntegerOutput<>(CODEC), args().addKey(key).addValues(members));
    }

    /** The HyperLogLog's estimate of its distinct members (standard error 0.81%). */
    RedisFuture<Long> estimate(byte[] key) {
        return send(CommandType.PFCOUNT, new IntegerOutput<>(CODEC), args().addKey(key));
    }

    /** {@code HINCRBY}: @return the field's value after the increment */
    RedisFuture<Long> incrementField(byte[] key, byte[] field, long amount) {
        return send(CommandType.HINCRBY, new IntegerOutput<>(CODEC), args().addKey(key).addKey(field).add(amount));
    }

    /** One step of {@code HSCAN}, about {@code count} fields. */
    RedisFuture<MapScanCursor<byte[], byte[]>> scanHash(byte[] key, ScanCursor cursor, int count) {
        CommandArgs<byte[], byte[]> args = args().addKey(key).add(cursor.getCursor());
        ScanArgs.Builder.limit(count).build(args);
        return send(CommandType.HSCAN, new MapScanOutput<>(CODEC), args);
    }

    /** {@code EVAL} of a script whose reply is an integer. */
    RedisFuture<Long> evalInteger(String script, byte[][] keys, byte[]... args) {
        return send(CommandType.EVAL, new IntegerOutput<>(CODEC), args()
                .add(script.getBytes(StandardCharsets.UTF_8)).add(keys.length).addKeys(keys).addValues(args));
    }

    RedisFuture<Long> cardinality(byte[] key) {
        return send(CommandType.SCARD, new IntegerOutput<>(CODEC), args().addKey(key));
    }

    RedisFuture<Set<byte[]>> members(byte[] key) {
        return send(CommandType.SMEMBERS, new ValueSetOutput<>(CODEC), args().addKey(key));
    }

    RedisFuture<Long> exists(byte[] key) {
        return send(CommandType.EXISTS, new IntegerOutput<>(CODEC), args().addKey(key));
    }

    /** Stores the value, expiring at the given epoch second. */
    RedisFuture<String> set(byte[] key, byte[] value, long expireAtEpochSecond) {
        return set(key, value, SetArgs.Builder.exAt(expireAtEpochSecond));
    }

    /** Stores the value only if the key is absent, expiring at the given epoch second. */
    RedisFuture<String> setIfAbsent(byte[] key, byte[] value, long expireAtEpochSecond) {
        return set(key, value, SetArgs.Builder.nx().exAt(expireAtEpochSecond));
    }

    private RedisFuture<String> set(byte[] key, byte[] value, SetArgs options) {
        CommandArgs<byte[], byte[]> args = args().addKey(key).addValue(value);
        options.build(args);
        return send(CommandType.SET, new StatusOutput<>(CODEC), args);
    }

    RedisFuture<byte[]> get(byte[] key) {
        return send(CommandType.GET, new ValueOutput<>(CODEC), args().addKey(key));
    }

    RedisFuture<Boolean> expireAt(byte[] key, long epochSecond) {
        return send(CommandType.EXPIREAT, new BooleanOutput<>(CODEC), args().addKey(key).add(epochSecond));
    }

    /** {@code INFO server}: names the server process ({@code run_id}). */
    RedisFuture<String> serverInfo() {
        return send(CommandType.INFO, new StatusOutput<>(CODEC), args().add("server"));
    }

    private static CommandArgs<byte[], byte[]> args() {
        return new CommandArgs<>(CODEC);
    }

    /** As lettuce's asynchronous commands send one: the future is what the connection dispatched. */
    private <T> RedisFuture<T> send(CommandType type, CommandOutput<byte[], byte[], T> output,
                                    CommandArgs<byte[], byte[]> args) {
        CountedCommand<T> command = new CountedCommand<>(new Command<>(type, output, args), unanswered);
        if (unanswered.incrementAndGet() > maxUnanswered) {
            command.completeExceptionally(new RedisException(
                    "more than " + maxUnanswered + " commands await a reply from Redis"));
            return command;
        }
        RedisCommand<byte[], byte[], T> dispatched;
        try {
            dispatched = connection.dispatch(command);
        } catch (RuntimeException e) {
            command.completeExceptionally(e);
            throw e;
        }
        return dispatched instanceof AsyncCommand ? (AsyncCommand<byte[], byte[], T>) dispatched : command;
    }

    /** Commands of this connection sent and not yet answered, failed or cancelled. */
    int unanswered() {
        return unanswered.get();
    }

    void flush() {
        connection.flushCommands();
    }

    boolean isOpen() {
        return connection.isOpen();
    }
}
