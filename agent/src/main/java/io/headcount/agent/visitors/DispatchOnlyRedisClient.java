package io.headcount.agent.visitors;

import io.lettuce.core.RedisAsyncCommandsImpl;
import io.lettuce.core.RedisChannelWriter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisReactiveCommandsImpl;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StatefulRedisConnectionImpl;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.protocol.PushHandler;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;

/**
 * A lettuce client whose connections make none of lettuce's command objects: the agent sends its
 * few commands through the connection's {@code dispatch} ({@link io.headcount.agent.visitors.RedisCommands}).
 * Every lettuce connection otherwise builds its asynchronous commands (a class of some 700
 * methods over a command builder of as many), its reactive ones (as many again) and its
 * synchronous ones (a dynamic proxy spun over some 600 methods), and loading them and the argument
 * and reply types they name takes megabytes of class metadata in the app's JVM. The three
 * factories are the extension points lettuce documents for this; everything else, connecting,
 * the handshake and reconnecting, is lettuce's own. A Sentinel's connections, which lettuce uses
 * to find the primary, and a cluster's keep theirs.
 */
final class DispatchOnlyRedisClient extends RedisClient {
    private static final String REFUSED = "the agent's Redis connections send commands through dispatch only";

    DispatchOnlyRedisClient(ClientResources resources, RedisURI uri) {
        super(resources, uri);
    }

    @Override
    protected <K, V> StatefulRedisConnectionImpl<K, V> newStatefulRedisConnection(RedisChannelWriter channelWriter,
            PushHandler pushHandler, RedisCodec<K, V> codec, Duration timeout) {
        return new DispatchOnlyConnection<>(channelWriter, pushHandler, codec, timeout, this);
    }

    /** A connection without command objects: its {@code sync()}, {@code async()} and {@code reactive()} refuse. */
    static final class DispatchOnlyConnection<K, V> extends StatefulRedisConnectionImpl<K, V> {
        DispatchOnlyConnection(RedisChannelWriter writer, PushHandler pushHandler, RedisCodec<K, V> codec,
                               Duration timeout, DispatchOnlyRedisClient client) {
            super(writer, pushHandler, codec, timeout, client.getOptions().getJsonParser());
        }

        @Override
        protected RedisAsyncCommandsImpl<K, V> newRedisAsyncCommandsImpl() {
            return null;
        }

        @Override
        protected RedisCommands<K, V> newRedisSyncCommandsImpl() {
            return null;
        }

        @Override
        protected RedisReactiveCommandsImpl<K, V> newRedisReactiveCommandsImpl() {
            return null;
        }

        @Override
        public RedisAsyncCommands<K, V> async() {
            throw new UnsupportedOperationException(REFUSED);
        }

        @Override
        public RedisCommands<K, V> sync() {
            throw new UnsupportedOperationException(REFUSED);
        }

        @Override
        public RedisReactiveCommands<K, V> reactive() {
            throw new UnsupportedOperationException(REFUSED);
        }
    }
}
