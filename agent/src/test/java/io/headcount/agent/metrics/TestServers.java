package io.headcount.agent.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Servers, registries and process figures shared by the metrics endpoint's tests. */
final class TestServers {
    private TestServers() {
    }

    /** A registry with one counter of {@code series} series, each label about 100 characters long. */
    static PrometheusRegistry registry(int series) {
        PrometheusRegistry registry = new PrometheusRegistry();
        Counter counter = Counter.builder(HeadcountMetrics.PROPERTIES)
                .name("test_requests")
                .help("Test series.")
                .labelNames("endpoint", "client")
                .withoutExemplars()
                .register(registry);
        String padding = "x".repeat(80);
        for (int i = 0; i < series; i++) {
            counter.labelValues("/api/" + padding + "/" + i, "browser").inc(i);
        }
        return registry;
    }

    static MetricsServer start(PrometheusRegistry registry) throws IOException {
        return MetricsServer.builder(registry, () -> { }).address("127.0.0.1", 0).start();
    }

    /** A server of one series with these limits. */
    static MetricsServer start(MetricsServer.Limits limits) throws IOException {
        return MetricsServer.builder(registry(1), () -> { }).address("127.0.0.1", 0).limits(limits).start();
    }

    /** Open file descriptors of this process. */
    static long openFiles() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** Heap in use after full collections: the least of several, so that a late finalizer does not count. */
    static long heapAfterGc() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            least = Math.min(least, runtime.totalMemory() - runtime.freeMemory());
        }
        return least;
    }

    /** Waits (polling, up to 30 s) until the server has no connection open. */
    static void awaitNoConnections(MetricsServer server) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (server.openConnections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** Waits (polling, up to 10 s) until the server has counted {@code count} errors, and returns its count. */
    static long awaitErrors(MetricsServer server, long count) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (server.errors().count() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return server.errors().count();
    }

    /** Waits (polling, up to 10 s) until this process has at most {@code limit} open files. */
    static long awaitOpenFilesAtMost(long limit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        long open = openFiles();
        while (open > limit && System.nanoTime() < deadline) {
            Thread.sleep(50);
            open = openFiles();
        }
        return open;
    }
}
