package io.headcount.agent.metrics;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The embedded {@code /metrics} endpoint.
 *
 * <p>Built on the JDK server with client_java's {@link MetricsHandler} rather than client_java's
 * {@code HTTPServer}, whose static initializer sets {@code sun.net.httpserver.maxReqTime} and
 * {@code maxRspTime} for the whole JVM and so would change any JDK HTTP server of the host app.
 */
public final class MetricsServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds and starts serving. Call it from a daemon thread: the JDK server's dispatcher thread
     * takes its daemon flag from the thread that starts it, and the agent must never keep a JVM alive.
     *
     * @param beforeScrape run before each scrape, so that a scrape sees every request that ended before it
     * @throws IOException when the address cannot be bound (a busy port)
     */
    public static MetricsServer start(String host, int port, PrometheusRegistry registry, Runnable beforeScrape)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
        MetricsHandler metrics = new MetricsHandler(HeadcountMetrics.PROPERTIES, registry);
        HttpHandler handler = exchange -> {
            beforeScrape.run();
            metrics.handle(exchange);
        };
        server.createContext("/metrics", handler);
        ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "headcount-metrics");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.start();
        return new MetricsServer(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
