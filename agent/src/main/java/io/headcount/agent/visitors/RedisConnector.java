package io.headcount.agent.visitors;

import io.headcount.agent.log.AgentLog;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.Slf4JLoggerFactory;
import java.io.File;
import java.net.SocketAddress;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;

/**
 * Owns the Redis connections (one the worker pipelines its commands on, one for scrapes): connects
 * on its own thread with back-off until Redis answers, lets lettuce reconnect after that, and
 * tells whether Redis is up (see {@link RedisHealth}). Logs one line per change of state, never
 * one per request. Never names the password.
 *
 * <p>Commands have no lettuce timeout: a command whose reply is late is still answered when Redis
 * wakes up, so a first sighting is never sent twice with an unknown outcome. Lateness is watched
 * by the tracker, which reports it here ({@link #replyOverdue()}).
 */
public final class RedisConnector implements AutoCloseable {
    private static final long FIRST_RETRY_MILLIS = 500;
    /**
     * The first connection is tried again every second at most, as lettuce reconnects: visits wait
     * for it in the hold ({@code redis.hold.max-ms}, 30 s by default), and a longer pause could
     * outlast the hold with Redis back already (an attacker's probe saw 15 s of that, doubling to 16 s).
     */
    private static final long MAX_RETRY_MILLIS = 1_000;
    /** Lettuce's reconnect delays stop growing here, so that instances come back within a second of Redis. */
    private static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(1);
    private static final Duration CLUSTER_REFRESH = Duration.ofSeconds(5);
    /**
     * Lettuce gives its channels Netty's default allocator, which pools in arenas of megabytes; for
     * a few small pipelined commands at a time, unpooled direct buffers keep nothing resident.
     */
    private static final NettyCustomizer UNPOOLED_BUFFERS = new NettyCustomizer() {
        @Override
        public void afterBootstrapInitialized(Bootstrap bootstrap) {
            bootstrap.option(ChannelOption.ALLOCATOR, UnpooledByteBufAllocator.DEFAULT);
        }
    };

    private final RedisURI uri;
    private final boolean cluster;
    private final String where;
    private final long timeoutMillis;
    private final AgentClientResources resources;
    private final AbstractRedisClient client;
    private final ScheduledExecutorService scheduler;
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong primaryChanges = new AtomicLong();
    private final RedisHealth health = new RedisHealth();
    private volatile RedisCommands commands;
    private volatile RedisCommands reads;
    private volatile boolean closed;
    /** Run on every connection made, after it counts as up. */
    private volatile Runnable onConnected = () -> { };
    private long retryMillis = FIRST_RETRY_MILLIS;
    private boolean failureLogged;
    private boolean certificateLogged;
    private static final String TLS_REFUSED = "its TLS certificate was refused: ";

    public RedisConnector(String url, boolean cluster, Duration commandTimeout) {
        this(url, cluster, commandTimeout, null);
    }

    /**
     * @param tlsCaFile PEM certificates a {@code rediss://} server's certificate must chain to, or
     *                  null for the JVM's trusted CAs; the host name is always checked too
     */
    public RedisConnector(String url, boolean cluster, Duration commandTimeout, String tlsCaFile) {
        // Netty, Lettuce and Reactor log through the agent's own SLF4J, whose binding is the agent's
        // log; left to itself Netty could pick the app's Log4j 2 or java.util.logging instead.
        InternalLoggerFactory.setDefaultFactory(Slf4JLoggerFactory.INSTANCE);
        LettuceFlightRecorder.leaveOut();
        NettyDefaultAllocator.unpooled();
        this.uri = parse(url);
        this.uri.setTimeout(commandTimeout);
        this.cluster = cluster;
        this.where = describe(uri);
        this.timeoutMillis = commandTimeout.toMillis();
        // Sized for what the agent has (AgentClientResources: one I/O thread that also runs lettuce's
        // events and timer, a daemon stopped in close(), the JDK's resolver); buffers allocated as needed and
        // freed, not pooled in arenas that keep their chunks. Set here, on the agent's client only:
        // the app's JVM-wide settings, Netty's system properties included, are never touched (the
        // agent's shaded copies read relocated ones, set only while they initialize).
        this.resources = new AgentClientResources(UNPOOLED_BUFFERS,
                () -> Delay.exponential(Duration.ofMillis(10), MAX_RECONNECT_DELAY, 2, TimeUnit.MILLISECONDS));
        // Cluster options are client options plus cluster-only ones, so one set serves both clients.
        ClusterClientOptions options = ClusterClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                // Lettuce's request queue is left unbounded, so that it preallocates no arrays; the agent
                // bounds the commands awaiting replies itself (RedisCommands.MAX_UNANSWERED).
                .socketOptions(SocketOptions.builder().connectTimeout(commandTimeout).build())
                .timeoutOptions(TimeoutOptions.builder().timeoutCommands(false).build())
                .sslOptions(sslOptions(tlsCaFile))
                // A cluster's failover moves slots to a replica: learn it from the MOVED replies and
                // lost connections at once, and every few seconds in any case.
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enableAllAdaptiveRefreshTriggers()
                        .enablePeriodicRefresh(CLUSTER_REFRESH)
                        .build())
                .build();
        if (cluster) {
            RedisClusterClient clusterClient = RedisClusterClient.create(resources, uri);
            clusterClient.setOptions(options);
            this.client = clusterClient;
        } else {
            RedisClient redisClient = new DispatchOnlyRedisClient(resources, uri);
            redisClient.setOptions(options);
            this.client = redisClient;
        }
        // Lettuce reconnects by itself after a connection is lost; only its events tell of each failed try.
        resources.eventBus().listen(event -> {
            if (event instanceof ReconnectFailedEvent) {
                errors.incrementAndGet();
                String refused = credentialsRefused(((ReconnectFailedEvent) event).getCause());
                if (refused != null) {
                    AgentLog.errorAtMostOncePerMinute("redis-auth", "Redis at " + where + " refuses this instance's"
                            + " credentials (" + refused + "): new visitors wait (redis.backlog.max) until the"
                            + " password in redis.url is Redis's again", null);
                }
            } else if (event instanceof ClusterTopologyChangedEvent) {
                ClusterTopologyChangedEvent changed = (ClusterTopologyChangedEvent) event;
                Set<String> before = primaries(changed.before());
                if (!before.isEmpty() && !before.equals(primaries(changed.after()))) {
                    primaryChanges.incrementAndGet();
                }
            }
        });
        ScheduledThreadPoolExecutor connecting = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "headcount-redis");
            thread.setDaemon(true);
            return thread;
        });
        // Only the first connection is made here (lettuce reconnects on its own I/O thread), so the
        // thread ends a second after it and is made again only for a retry: its stack, deep from
        // loading the Redis client's classes, is not kept for the life of the app.
        connecting.setKeepAliveTime(1, TimeUnit.SECONDS);
        connecting.allowCoreThreadTimeOut(true);
        this.scheduler = connecting;
    }

    /** Starts connecting in the background; returns at once. */
    public void start() {
        AgentLog.info("connecting to Redis at " + where + "; until it answers, new visitors wait to be counted"
                + " (redis.hold.max-visits, redis.hold.max-ms)");
        scheduler.execute(this::connect);
    }

    /** What to run on every connection made (the agent wakes its worker); any thread. */
    void onConnected(Runnable action) {
        onConnected = action;
    }

    private void connected() {
        log(health.connected(), null);
        onConnected.run();
    }

    /** The worker's commands, or null while Redis is not up. */
    RedisCommands commands() {
        RedisCommands current = commands;
        return health.up() && current != null ? current : null;
    }

    /** The worker's commands once connected, even while replies are late (they are still read). */
    RedisCommands connectedCommands() {
        return commands;
    }

    /** The scrapes' commands, or null before the first connection. */
    RedisCommands reads() {
        return reads;
    }

    public boolean isUp() {
        return health.up() && commands != null;
    }

    long connections() {
        return health.connections();
    }

    boolean cluster() {
        return cluster;
    }

    /** How often the cluster's set of primaries changed (a replica took over slots): a failover. */
    long primaryChanges() {
        return primaryChanges.get();
    }

    /** The ids of the nodes that serve slots: the primaries. */
    private static Set<String> primaries(List<RedisClusterNode> nodes) {
        Set<String> ids = new HashSet<>();
        for (RedisClusterNode node : nodes) {
            if (!node.getSlots().isEmpty()) {
                ids.add(node.getNodeId());
            }
        }
        return ids;
    }

    long timeoutMillis() {
        return timeoutMillis;
    }

    public long errors() {
        return errors.get();
    }

    /** A command failed: counted, and logged at most once a minute. */
    void commandFailed(Throwable cause) {
        errors.incrementAndGet();
        AgentLog.errorAtMostOncePerMinute("redis-command", "a Redis command to " + where + " failed", cause);
    }

    /**
     * The day's salt key holds a value that no instance wrote (not {@value DaySalt#BYTES} bytes):
     * no instance can agree on the day, so first sightings wait in the backlog until it is gone.
     * Counted as an error and said at most once a minute, without the value.
     */
    void unusableSalt(String key, int length) {
        errors.incrementAndGet();
        AgentLog.errorAtMostOncePerMinute("redis-salt", "the Redis key " + key + " at " + where + " holds " + length
                + " bytes, not a salt of " + DaySalt.BYTES + ": new visitors wait (redis.backlog.max) until it is"
                + " deleted (DEL " + key + "), after which the instances agree on a salt again", null);
    }

    /** host:port of the Redis, as the log lines name it. */
    String where() {
        return where;
    }

    /** A reply is later than {@code redis.timeout-ms}: Redis is down until replies come again. */
    void replyOverdue() {
        if (health.answering()) {
            errors.incrementAndGet();
        }
        log(health.overdue(), "no reply in " + timeoutMillis + " ms");
    }

    /** A reply arrived. */
    void replied() {
        log(health.replied(), null);
    }

    private void connect() {
        if (closed) {
            return;
        }
        try {
            RedisCommands connected;
            RedisCommands reading;
            if (cluster) {
                RedisClusterClient clusterClient = (RedisClusterClient) client;
                StatefulRedisClusterConnection<byte[], byte[]> connection = clusterClient.connect(ByteArrayCodec.INSTANCE);
                StatefulRedisClusterConnection<byte[], byte[]> reader = clusterClient.connect(ByteArrayCodec.INSTANCE);
                connection.addListener(new StateListener());
                connected = new RedisCommands(connection, true);
                reading = new RedisCommands(reader, false);
            } else {
                RedisClient redisClient = (RedisClient) client;
                StatefulRedisConnection<byte[], byte[]> connection = redisClient.connect(ByteArrayCodec.INSTANCE, uri);
                StatefulRedisConnection<byte[], byte[]> reader = redisClient.connect(ByteArrayCodec.INSTANCE, uri);
                connection.addListener(new StateListener());
                connected = new RedisCommands(connection, true);
                reading = new RedisCommands(reader, false);
            }
            commands = connected;
            reads = reading;
            retryMillis = FIRST_RETRY_MILLIS;
            connected();
        } catch (Throwable t) {
            errors.incrementAndGet();
            String failure = failure(t);
            boolean certificate = failure.startsWith(TLS_REFUSED);
            // One line, and one more only if a certificate is refused after a first try failed otherwise
            // (a handshake that timed out on a busy machine): that one needs the operator.
            if (!failureLogged || (certificate && !certificateLogged)) {
                failureLogged = true;
                certificateLogged = certificate;
                AgentLog.warn("Redis at " + where + " is unavailable (" + failure + "): " + WHILE_DOWN);
            }
            scheduler.schedule(this::connect, retryMillis, TimeUnit.MILLISECONDS);
            retryMillis = Math.min(MAX_RETRY_MILLIS, retryMillis * 2);
        }
    }

    private static SslOptions sslOptions(String caFile) {
        SslOptions.Builder ssl = SslOptions.builder().jdkSslProvider();
        if (caFile != null) {
            ssl.trustManager(new File(caFile));
        }
        return ssl.build();
    }

    /**
     * NOAUTH or WRONGPASS when a failure is Redis refusing the credentials (its password changed,
     * or was set, after the agent connected), else null.
     */
    static String credentialsRefused(Throwable cause) {
        for (Throwable link = cause; link != null; link = link.getCause() == link ? null : link.getCause()) {
            String message = link.getMessage();
            if (message != null && message.startsWith("NOAUTH")) {
                return "NOAUTH";
            }
            if (message != null && message.startsWith("WRONGPASS")) {
                return "WRONGPASS";
            }
        }
        return null;
    }

    /** Why a connect failed, in a few words that never hold the password. */
    private String failure(Throwable cause) {
        for (Throwable link = cause; link != null; link = link.getCause() == link ? null : link.getCause()) {
            if (link instanceof SSLException || link instanceof CertificateException) {
                // Never retried without TLS: the operator has to fix the certificate or redis.tls.ca-file.
                return TLS_REFUSED + reason(cause) + "; it must name "
                        + (uri.getHost() == null ? "the server's host" : uri.getHost()) + " and chain to a CA of redis.tls.ca-file (or of the JVM when unset); not connecting without TLS";
            }
        }
        return failureReason(cause, uri.isSsl());
    }

    /**
     * What a failed first connection says to the operator: Redis's own words, except where they
     * hide the cause (an attacker's probe of 2026-12-07 found both): a refused password shows as
     * Redis's long NOAUTH text about HELLO, and a {@code rediss://} URL to a server without TLS as a
     * bare time-out, since such a server waits for a command while the client waits for a TLS answer.
     */
    static String failureReason(Throwable cause, boolean tls) {
        String refused = credentialsRefused(cause);
        if (refused != null) {
            return refused + ": it refuses this instance's credentials; the password in redis.url is not Redis's";
        }
        String reason = reason(cause);
        return tls && reason.contains("timed out")
                ? reason + "; with rediss://, also what a server without TLS on that port gives" : reason;
    }

    private static final String WHILE_DOWN = "new visitors wait in a bounded backlog (or, past its bounds, are"
            + " counted by this instance alone) until it answers; retrying";

    private void log(RedisHealth.Change change, String reason) {
        if (change == RedisHealth.Change.UP) {
            AgentLog.info("Redis at " + where + " is up: unique visitors are counted exactly across instances");
        } else if (change == RedisHealth.Change.DOWN) {
            AgentLog.warn("Redis at " + where + " is unavailable (" + (reason == null ? "connection lost" : reason)
                    + "): " + WHILE_DOWN);
        }
    }
    private static String reason(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.replace('\n', ' ');
    }

    /**
     * Lettuce's reading of the URL, which redis.url's own check has passed. Lettuce's messages quote
     * the whole URL, password included, so none of them is passed on.
     */
    static RedisURI parse(String url) {
        try {
            return RedisURI.create(url);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Lettuce cannot read the setting redis.url (" + e.getClass().getSimpleName()
                    + "; the URL is not shown, as it may hold a password)");
        }
    }

    /** Host and port only: a Redis URL may carry a password. */
    static String describe(RedisURI uri) {
        if (uri.getHost() != null) {
            return uri.getHost() + ":" + uri.getPort() + (uri.isSsl() ? " (TLS)" : "");
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
        // Given to lettuce, so not shut down by it: the resources stop their own threads.
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    private final class StateListener implements RedisConnectionStateListener {
        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress socketAddress) {
            connected();
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            if (!closed) {
                log(health.disconnected(), null);
            }
        }
    }
}
