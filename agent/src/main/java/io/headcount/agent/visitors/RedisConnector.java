package io.headcount.agent.visitors;

import io.headcount.agent.AgentLog;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.Slf4JLoggerFactory;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Owns the one Redis connection: connects on its own thread with back-off until Redis answers,
 * lets lettuce reconnect after that, and tells whether Redis is up. Logs one line per change of
 * state, never one per request. Never names the password.
 */
public final class RedisConnector implements AutoCloseable {
    private static final long FIRST_RETRY_MILLIS = 500;
    private static final long MAX_RETRY_MILLIS = 30_000;
    /** Commands lettuce may hold before it rejects more: bounded, never an endless buffer. */
    private static final int REQUEST_QUEUE_SIZE = 10_000;

    private final RedisURI uri;
    private final boolean cluster;
    private final String where;
    private final ClientResources resources;
    private final AbstractRedisClient client;
    private final ScheduledExecutorService scheduler;
    private final AtomicLong errors = new AtomicLong();
    private volatile RedisCommands commands;
    private volatile boolean up;
    private volatile boolean closed;
    /** How many times Redis has come up; a change tells the tracker to agree the salt again. */
    private volatile long connections;
    private long retryMillis = FIRST_RETRY_MILLIS;
    private boolean failureLogged;

    public RedisConnector(String url, boolean cluster, Duration commandTimeout) {
        // Netty, Lettuce and Reactor log through the agent's own SLF4J, whose binding is the agent's
        // log; left to itself Netty could pick the app's Log4j 2 or java.util.logging instead.
        InternalLoggerFactory.setDefaultFactory(Slf4JLoggerFactory.INSTANCE);
        this.uri = RedisURI.create(url);
        this.cluster = cluster;
        this.where = describe(uri);
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
        // Cluster options are client options plus cluster-only ones, so one set serves both clients.
        ClusterClientOptions options = ClusterClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(REQUEST_QUEUE_SIZE)
                .socketOptions(SocketOptions.builder().connectTimeout(commandTimeout).build())
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .build();
        if (cluster) {
            RedisClusterClient clusterClient = RedisClusterClient.create(resources, uri);
            clusterClient.setOptions(options);
            this.client = clusterClient;
        } else {
            RedisClient redisClient = RedisClient.create(resources, uri);
            redisClient.setOptions(options);
            this.client = redisClient;
        }
        // Lettuce reconnects by itself after a connection is lost; only its events tell of each failed try.
        resources.eventBus().get().subscribe(event -> {
            if (event instanceof ReconnectFailedEvent) {
                errors.incrementAndGet();
            }
        });
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "headcount-redis");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts connecting in the background; returns at once. */
    public void start() {
        AgentLog.info("connecting to Redis at " + where + "; until it answers, unique visitors are counted"
                + " by this instance alone");
        scheduler.execute(this::connect);
    }

    /** The commands, or null while Redis has not answered yet. */
    RedisCommands commands() {
        RedisCommands current = commands;
        return up && current != null ? current : null;
    }

    public boolean isUp() {
        return up && commands != null;
    }

    long connections() {
        return connections;
    }

    public long errors() {
        return errors.get();
    }

    /** A command failed or timed out: counted, and logged once per state change. */
    void commandFailed(Throwable cause) {
        errors.incrementAndGet();
        AgentLog.errorAtMostOncePerMinute("redis-command", "a Redis command to " + where + " failed", cause);
    }

    private void connect() {
        if (closed) {
            return;
        }
        try {
            RedisCommands connected;
            if (cluster) {
                StatefulRedisClusterConnection<byte[], byte[]> connection =
                        ((RedisClusterClient) client).connect(ByteArrayCodec.INSTANCE);
                connection.addListener(new StateListener());
                connected = new RedisCommands(connection, connection.async());
            } else {
                StatefulRedisConnection<byte[], byte[]> connection =
                        ((RedisClient) client).connect(ByteArrayCodec.INSTANCE, uri);
                connection.addListener(new StateListener());
                connected = new RedisCommands(connection, connection.async());
            }
            commands = connected;
            changeState(true, null);
        } catch (Throwable t) {
            errors.incrementAndGet();
            changeState(false, t);
            scheduler.schedule(this::connect, retryMillis, TimeUnit.MILLISECONDS);
            retryMillis = Math.min(MAX_RETRY_MILLIS, retryMillis * 2);
        }
    }

    private synchronized void changeState(boolean nowUp, Throwable cause) {
        if (nowUp) {
            retryMillis = FIRST_RETRY_MILLIS;
            failureLogged = false;
            if (!up) {
                connections++;
                up = true;
                AgentLog.info("Redis at " + where + " is up: unique visitors are counted exactly across instances");
            }
            return;
        }
        boolean wasUp = up;
        up = false;
        if (wasUp || !failureLogged) {
            failureLogged = true;
            AgentLog.warn("Redis at " + where + " is unavailable (" + reason(cause)
                    + "): unique visitors are counted by this instance alone until it is back; retrying");
        }
    }

    private static String reason(Throwable cause) {
        if (cause == null) {
            return "connection lost";
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.replace('\n', ' ');
    }

    /** Host and port only: a Redis URL may carry a password. */
    static String describe(RedisURI uri) {
        if (uri.getHost() != null) {
            return uri.getHost() + ":" + uri.getPort();
        }
        if (!uri.getSentinels().isEmpty()) {
            RedisURI sentinel = uri.getSentinels().get(0);
            return "sentinel " + sentinel.getHost() + ":" + sentinel.getPort() + " (master " + uri.getSentinelMasterId() + ")";
        }
        return "the configured address";
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        client.shutdownAsync(0, 2, TimeUnit.SECONDS);
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    private final class StateListener implements RedisConnectionStateListener {
        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress socketAddress) {
            changeState(true, null);
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            if (!closed) {
                changeState(false, null);
            }
        }
    }
}
