package io.headcount.agent.visitors;

import io.headcount.agent.metrics.HeadcountMetrics;
import io.headcount.agent.net.IpAddress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Issue 15, items 4 and 5: what a visitor costs Redis, and how far the approximate mode is from
 * the truth. Drives N simulated visitors (each on one or two of 20 endpoints, skewed like real
 * traffic) through the tracker, as the worker would, against a real {@code redis-server} it starts
 * on a free loopback port, once per mode; then 10% of them return. Reports Redis memory
 * ({@code used_memory} delta), commands and bytes received by Redis per visitor, the worker's CPU
 * time per visit, and the day's figures read back (SCARD or PFCOUNT) against the truth.
 *
 * <p>visitors.max is set to twice the visitors, so that no visitor-endpoint pair is dropped locally.
 *
 * <pre>java -Xmx4g -cp bench/target/benchmarks.jar io.headcount.agent.visitors.RedisVisitorCost [visitors] [exact|approximate|both]</pre>
 */
public final class RedisVisitorCost {
    private static final int ENDPOINTS = 20;
    private static final String[] USER_AGENTS = new String[32];

    static {
        for (int i = 0; i < USER_AGENTS.length; i++) {
            USER_AGENTS[i] = "Mozilla/5.0 (X11; Linux x86_64; rv:" + (100 + i) + ".0) Gecko/20100101 Firefox/" + (100 + i) + ".0";
        }
    }

    private RedisVisitorCost() {
    }

    public static void main(String[] args) throws Exception {
        int visitors = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        String modes = args.length > 1 ? args[1] : "both";
        try (Server redis = Server.start()) {
            System.out.printf(Locale.ROOT, "%s, %,d visitors, %d endpoints%n", redis.command("INFO", "server").lines()
                    .filter(l -> l.startsWith("redis_version")).findFirst().orElse("redis"), visitors, ENDPOINTS);
            for (String mode : new String[] {"exact", "approximate"}) {
                if (modes.equals("both") || modes.equals(mode)) {
                    run(redis, visitors, mode.equals("approximate"));
                }
            }
        }
    }

    private static void run(Server redis, int visitors, boolean approximate) throws Exception {
        redis.command("FLUSHALL");
        HeadcountMetrics metrics = new HeadcountMetrics();
        RedisConnector connector = new RedisConnector(redis.url(), false, Duration.ofSeconds(5));
        RedisVisitorTracker tracker = new RedisVisitorTracker(metrics, connector, new VisitorDayClock(ZoneOffset.UTC),
                "headcount", Math.max(1000, 2 * visitors), 50_000, 30_000, 1_000_000, new SecureRandom(), approximate);
        // The dedup's cost alone, comparable across runs; the visit depth's is measured in RedisVisitorTrackerTest.
        tracker.depthFlushEvery(Long.MAX_VALUE);
        connector.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!connector.isUp() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        // The day's salt and marker first, so that the passes below measure visitors only.
        tracker.visit(IpAddress.parse("192.0.2.1"), "warm-up", -1, "/warm-up", "script");
        settle(tracker);

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long memoryBefore = redis.info("memory", "used_memory");
        long commandsBefore = redis.info("stats", "total_commands_processed");
        long bytesBefore = redis.info("stats", "total_net_input_bytes");
        long[] truth = new long[ENDPOINTS];
        SplittableRandom random = new SplittableRandom(15);
        long visits = 0;
        long cpuStart = threads.getCurrentThreadCpuTime();
        long wallStart = System.nanoTime();
        for (int v = 0; v < visitors; v++) {
            int first = endpoint(random);
            visits += visit(tracker, v, first);
            truth[first]++;
            if (random.nextInt(10) < 3) {
                int second = (first + 1 + random.nextInt(ENDPOINTS - 1)) % ENDPOINTS;
                visits += visit(tracker, v, second);
                truth[second]++;
            }
            if ((v & 1023) == 0) {
                tracker.poll();
                while (tracker.pending() > 50_000) {
                    Thread.sleep(1);
                    tracker.poll();
                }
            }
        }
        settle(tracker);
        double cpuNewNanos = threads.getCurrentThreadCpuTime() - cpuStart;
        double wallNew = (System.nanoTime() - wallStart) / 1e9;
        long memoryAfter = redis.info("memory", "used_memory");
        long commandsNew = redis.info("stats", "total_commands_processed") - commandsBefore;
        long bytesNew = redis.info("stats", "total_net_input_bytes") - bytesBefore;

        // 10% return, each to an endpoint of theirs (the first one, drawn again from the same seed).
        SplittableRandom again = new SplittableRandom(15);
        long returning = 0;
        long cpuReturn = threads.getCurrentThreadCpuTime();
        for (int v = 0; v < visitors; v++) {
            int first = endpoint(again);
            if (again.nextInt(10) < 3) {
                again.nextInt(ENDPOINTS - 1);
            }
            if (v % 10 == 0) {
                returning += visit(tracker, v, first);
            }
            if ((v & 1023) == 0) {
                tracker.poll();
            }
        }
        settle(tracker);
        double cpuReturnNanos = threads.getCurrentThreadCpuTime() - cpuReturn;
        long commandsReturn = redis.info("stats", "total_commands_processed") - commandsBefore - commandsNew;

        TodayFigures today = waitForFigures(tracker);
        long figure = today.visitors().getOrDefault("browser", 0L);
        System.out.printf(Locale.ROOT, "%n== %s mode ==%n", approximate ? "approximate" : "exact");
        System.out.printf(Locale.ROOT, "new visitors: %,d (%,d visits) in %.1f s; Redis memory +%,d bytes = %.1f bytes/visitor;"
                        + " %,d commands = %.3f/visitor; %,d bytes sent = %.1f bytes/visitor; worker CPU %.2f us/visit%n",
                visitors, visits, wallNew, memoryAfter - memoryBefore, (memoryAfter - memoryBefore) / (double) visitors,
                commandsNew, commandsNew / (double) visitors, bytesNew, bytesNew / (double) visitors,
                cpuNewNanos / visits / 1000);
        System.out.printf(Locale.ROOT, "returning visitors: %,d; commands %,d (marker checks, 1 a second, included); worker CPU %.2f us/visit%n",
                returning, commandsReturn, cpuReturnNanos / returning / 1000);
        System.out.printf(Locale.ROOT, "day: truth %,d, figure %,d, error %+.3f%%; untracked %,d%n",
                visitors, figure, 100.0 * (figure - visitors) / visitors, tracker.untracked());
        Map<String, Map<String, Long>> byEndpoint = today.endpointVisitors();
        double worst = 0;
        double sumAbs = 0;
        for (int e = 0; e < ENDPOINTS; e++) {
            long value = byEndpoint.getOrDefault("/e" + e, Map.of()).getOrDefault("browser", 0L);
            double error = 100.0 * (value - truth[e]) / truth[e];
            worst = Math.max(worst, Math.abs(error));
            sumAbs += Math.abs(error);
            if (e < 3 || e == ENDPOINTS - 1) {
                System.out.printf(Locale.ROOT, "  /e%d: truth %,d, figure %,d, error %+.3f%%%n", e, truth[e], value, error);
            }
        }
        System.out.printf(Locale.ROOT, "endpoints: mean |error| %.3f%%, worst %.3f%%%n", sumAbs / ENDPOINTS, worst);
        tracker.close();
    }

    private static int visit(RedisVisitorTracker tracker, int visitor, int endpoint) {
        String address = (10 + (visitor >>> 24)) + "." + ((visitor >>> 16) & 255) + "." + ((visitor >>> 8) & 255) + "." + (visitor & 255);
        int agent = visitor & (USER_AGENTS.length - 1);
        tracker.visit(IpAddress.parse(address), USER_AGENTS[agent], agent, "/e" + endpoint, "browser");
        return 1;
    }

    /** Skewed like real traffic: endpoint k with a weight of 1/(k+1). */
    private static int endpoint(SplittableRandom random) {
        double total = 0;
        for (int k = 0; k < ENDPOINTS; k++) {
            total += 1.0 / (k + 1);
        }
        double pick = random.nextDouble() * total;
        for (int k = 0; k < ENDPOINTS; k++) {
            pick -= 1.0 / (k + 1);
            if (pick <= 0) {
                return k;
            }
        }
        return ENDPOINTS - 1;
    }

    private static void settle(RedisVisitorTracker tracker) throws InterruptedException {
        do {
            tracker.poll();
            Thread.sleep(1);
        } while (!tracker.settled() || tracker.pending() > 0);
    }

    private static TodayFigures waitForFigures(RedisVisitorTracker tracker) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            TodayFigures figures = tracker.today();
            if (!figures.visitors().isEmpty()) {
                return figures;
            }
            Thread.sleep(100);
        }
        return tracker.today();
    }

    /** redis-server from PATH on a free loopback port, nothing persisted. */
    private static final class Server implements AutoCloseable {
        private final Process process;
        private final int port;

        private Server(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static Server start() throws IOException, InterruptedException {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            Process process;
            try {
                process = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                        "--save", "", "--appendonly", "no").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            } catch (IOException e) {
                throw new IOException("redis-server is not on PATH: install Debian's redis-server", e);
            }
            Server server = new Server(process, port);
            for (int i = 0; i < 100; i++) {
                try {
                    if (server.command("PING").contains("PONG")) {
                        return server;
                    }
                } catch (IOException notYet) {
                    Thread.sleep(100);
                }
            }
            server.close();
            throw new IOException("redis-server did not answer on port " + port);
        }

        String url() {
            return "redis://127.0.0.1:" + port;
        }

        long info(String section, String field) throws IOException {
            for (String line : command("INFO", section).split("\r\n")) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).trim());
                }
            }
            throw new IOException("no " + field + " in INFO " + section);
        }

        /** One command, its raw reply. */
        String command(String... words) throws IOException {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                socket.setSoTimeout(60_000);
                StringBuilder request = new StringBuilder("*").append(words.length).append("\r\n");
                for (String word : words) {
                    request.append('$').append(word.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(word).append("\r\n");
                }
                OutputStream out = socket.getOutputStream();
                out.write(request.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
                socket.shutdownOutput();
                InputStream in = socket.getInputStream();
                return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
