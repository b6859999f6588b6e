package io.headcount.agent.metrics;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * The embedded {@code /metrics} endpoint: a small HTTP/1.1 server of the agent's own, so that its
 * limits hold per instance without the JVM-wide {@code sun.net.httpserver.*} properties of the JDK
 * server (which would change the host app's own JDK servers) and without a server library in the
 * agent jar.
 *
 * <p>One daemon thread accepts; each connection is served on a worker thread (at most
 * {@link Limits#maxConnections} of them, small stacks) with a read timeout, a deadline for its
 * request head and one for the whole exchange, enforced by closing its socket. At the connection cap
 * the oldest connection that has not yet sent a complete request head (or has had its answer) is
 * closed to make room, the new connection's own client's first, so idle or slow clients can never
 * keep a scrape out. Each connection answers one request and is closed on every path, failed
 * writes included.
 */
public final class MetricsServer implements AutoCloseable {
    /** The server's bounds; the defaults suit any scraper, tests shorten them. */
    static final class Limits {
        int maxConnections = 64;
        int readTimeoutMillis = 5_000;
        long headMillis = 10_000;
        long exchangeMillis = 30_000;
        int maxHeadBytes = 8 * 1024;
        int maxRenders = 2;
        int maxBodies = 8;
        /** Requests being answered at once for one client (an IPv4 address or an IPv6 /64); past it, 429. */
        int maxExchangesPerClient = 4;
        /** Render time that may be spent at once ({@link RenderBudget}); tests of other bounds raise it. */
        long renderBurstNanos = RenderBudget.BURST_NANOS;
    }

    /** How often the accept loop wakes to close connections past their deadline. */
    private static final int SWEEP_MILLIS = 500;
    private static final long WORKER_STACK_BYTES = 512 * 1024;
    private static final int BACKLOG = 128;

    private final ServerSocket serverSocket;
    private final Limits limits;
    private final SSLSocketFactory tls;
    private final MetricsRoutes routes;
    private final MetricsErrors errors;
    private final ThreadPoolExecutor workers;
    /** Open connections, oldest first. Guarded by itself. */
    private final ArrayDeque<MetricsConnection> open = new ArrayDeque<>();
    /**
     * Exchanges under way per client, from its complete request head to its connection's close, so
     * that one client's connections that never read their answers cannot hold every rendered body
     * (and, answered, are the first to make room for others): an attacker's probe of 2026-12-07
     * with 64 such connections from one address kept every scrape out for as long as it went on.
     */
    private final ConcurrentHashMap<String, Integer> exchanges = new ConcurrentHashMap<>();
    private final Thread acceptor;
    private volatile boolean closed;

    private MetricsServer(ServerSocket serverSocket, Limits limits, SSLContext tls, MetricsRoutes routes,
                          MetricsErrors errors) {
        this.serverSocket = serverSocket;
        this.limits = limits;
        this.tls = tls == null ? null : tls.getSocketFactory();
        this.routes = routes;
        this.errors = errors;
        AtomicInteger workerNumber = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(limits.maxConnections, limits.maxConnections, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<Runnable>(), runnable -> daemon(runnable,
                        "headcount-metrics-" + workerNumber.incrementAndGet()));
        this.workers.allowCoreThreadTimeOut(true);
        this.acceptor = daemon(this::acceptLoop, "headcount-metrics-accept");
    }

    /** Builds a server; nothing is bound until {@link #start()}. */
    public static Builder builder(PrometheusRegistry registry, Runnable beforeScrape) {
        return new Builder(registry, beforeScrape);
    }

    /** Options of a {@link MetricsServer}: where it binds, credentials, TLS, where errors go. */
    public static final class Builder {
        private final PrometheusRegistry registry;
        private final Runnable beforeScrape;
        private String host = "0.0.0.0";
        private int port;
        private BasicAuth auth;
        private SSLContext tls;
        private MetricsErrors errors = new MetricsErrors();
        private Limits limits = new Limits();

        private Builder(PrometheusRegistry registry, Runnable beforeScrape) {
            this.registry = registry;
            this.beforeScrape = beforeScrape;
        }

        public Builder address(String host, int port) {
            this.host = host;
            this.port = port;
            return this;
        }

        /** Asks every request for these credentials (HTTP basic); the password is kept only as a digest. */
        public Builder basicAuth(String username, byte[] password) {
            this.auth = new BasicAuth(username, password);
            return this;
        }

        /** Serves HTTPS only, with this context's key. */
        public Builder tls(SSLContext context) {
            this.tls = context;
            return this;
        }

        public Builder errors(MetricsErrors counter) {
            this.errors = counter;
            return this;
        }

        Builder limits(Limits bounds) {
            this.limits = bounds;
            return this;
        }

        /**
         * Binds and starts serving on daemon threads.
         *
         * @throws IOException when the address cannot be bound (a busy port)
         */
        public MetricsServer start() throws IOException {
            ServerSocket socket = new ServerSocket();
            try {
                socket.bind(new InetSocketAddress(host, port), BACKLOG);
                socket.setSoTimeout(SWEEP_MILLIS);
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
            ScrapeRenderer renderer = new ScrapeRenderer(registry, beforeScrape, limits.maxRenders, limits.maxBodies,
                    new RenderBudget(limits.renderBurstNanos, System::nanoTime));
            MetricsServer server = new MetricsServer(socket, limits, tls, new MetricsRoutes(renderer, auth, errors), errors);
            server.acceptor.start();
            return server;
        }
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    Limits limits() {
        return limits;
    }

    SSLSocketFactory tls() {
        return tls;
    }

    MetricsRoutes routes() {
        return routes;
    }

    MetricsErrors errors() {
        return errors;
    }

    /** Connections open now (for tests). */
    int openConnections() {
        synchronized (open) {
            return open.size();
        }
    }

    private void acceptLoop() {
        long lastSweep = System.nanoTime();
        while (!closed) {
            try {
                admit(serverSocket.accept());
            } catch (SocketTimeoutException e) {
                // Time to sweep.
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                // Out of file descriptors, say: count it, and do not spin while it lasts.
                errors.record("accept failed", e);
                pause();
            }
            long now = System.nanoTime();
            if (now - lastSweep >= TimeUnit.MILLISECONDS.toNanos(SWEEP_MILLIS)) {
                sweep(now);
                lastSweep = now;
            }
        }
    }

    private void admit(Socket socket) {
        MetricsConnection connection = new MetricsConnection(socket, this);
        MetricsConnection evicted = null;
        synchronized (open) {
            if (open.size() >= limits.maxConnections) {
                evicted = oldestEvictable(connection.client());
                if (evicted == null) {
                    MetricsConnection.closeQuietly(socket);
                    errors.record("too many connections at once; refused one", null);
                    return;
                }
                open.remove(evicted);
            }
            open.addLast(connection);
        }
        if (evicted != null) {
            evicted.closeBecause("closed an idle connection to make room for a new one");
        }
        try {
            workers.execute(connection);
        } catch (RejectedExecutionException e) {
            ended(connection);
            MetricsConnection.closeQuietly(socket);
        }
    }

    /**
     * The connection to close for a new one from {@code client}: that client's own oldest evictable
     * one if it has any, else the oldest of all. A client that floods the port with connections (or
     * TLS handshakes) then closes its own, not a scraper's at another address that is still sending
     * its request or in its handshake (an attacker's probe of 2026-12-07 failed 11 of 48 scrapes so).
     */
    private MetricsConnection oldestEvictable(String client) {
        MetricsConnection oldest = null;
        for (MetricsConnection connection : open) {
            if (connection.evictable()) {
                if (connection.client().equals(client)) {
                    return connection;
                }
                if (oldest == null) {
                    oldest = connection;
                }
            }
        }
        return oldest;
    }

    /** Closes every connection past its head deadline (still sending its head) or its exchange deadline. */
    private void sweep(long now) {
        List<MetricsConnection> overdue = new ArrayList<>();
        synchronized (open) {
            for (Iterator<MetricsConnection> it = open.iterator(); it.hasNext(); ) {
                MetricsConnection connection = it.next();
                long age = TimeUnit.NANOSECONDS.toMillis(now - connection.acceptedNanos());
                if (age > limits.exchangeMillis || (age > limits.headMillis && !connection.headComplete())) {
                    overdue.add(connection);
                    it.remove();
                }
            }
        }
        for (MetricsConnection connection : overdue) {
            connection.closeBecause(connection.headComplete()
                    ? "exchange not done within " + limits.exchangeMillis + " ms"
                    : "no complete request within " + limits.headMillis + " ms");
        }
    }

    /** @return false when the client already has {@link Limits#maxExchangesPerClient} under way; end it all the same */
    boolean exchangeStarted(String client) {
        return exchanges.merge(client, 1, Integer::sum) <= limits.maxExchangesPerClient;
    }

    void exchangeEnded(String client) {
        exchanges.computeIfPresent(client, (key, count) -> count <= 1 ? null : count - 1);
    }

    /** Clients with an exchange under way; for tests. */
    int clientsWithExchanges() {
        return exchanges.size();
    }

    void ended(MetricsConnection connection) {
        synchronized (open) {
            open.remove(connection);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            serverSocket.close();
        } catch (IOException e) {
            // Closing is all that is left to do.
        }
        List<MetricsConnection> all;
        synchronized (open) {
            all = new ArrayList<>(open);
            open.clear();
        }
        for (MetricsConnection connection : all) {
            connection.closeBecause("server closed");
        }
        workers.shutdownNow();
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(null, runnable, name, WORKER_STACK_BYTES);
        thread.setDaemon(true);
        return thread;
    }

    private static void pause() {
        try {
            Thread.sleep(SWEEP_MILLIS / 5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
