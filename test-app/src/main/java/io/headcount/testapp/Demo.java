package io.headcount.testapp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code demo [--agent PATH] [--exit]}: runs this app in a child JVM with the Headcount agent, sends it
 * a little traffic, and prints where the metrics are and what they say. It then keeps the app running
 * until Ctrl-C, or stops at once with {@code --exit}. The app itself still knows nothing of the agent:
 * the agent comes in only through {@code -javaagent} on the child's command line.
 */
final class Demo {
    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(60);
    private static final Duration METRICS_LIMIT = Duration.ofSeconds(10);

    private final String[] args;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    Demo(String[] args) {
        this.args = args;
    }

    /** Runs the demo and returns the process exit status. */
    int run() throws IOException, InterruptedException {
        Path agent = Path.of("agent", "target", "headcount-agent.jar");
        boolean exit = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--agent") && i + 1 < args.length) {
                agent = Path.of(args[++i]);
            } else if (args[i].equals("--exit")) {
                exit = true;
            } else {
                System.err.println("demo: unknown argument " + args[i]
                        + "; usage: java -jar headcount-test-app.jar demo [--agent PATH] [--exit]");
                return 2;
            }
        }
        agent = agent.toAbsolutePath().normalize();
        if (!Files.isRegularFile(agent)) {
            System.err.println("demo: no agent jar at " + agent + "\n"
                    + "      build it with ./mvnw -B -DskipTests package (from the project root),"
                    + " or pass --agent PATH");
            return 2;
        }

        int[] ports = freePorts(2);
        int appPort = ports[0];
        int metricsPort = ports[1];
        Process app = startApp(agent, appPort, metricsPort);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(app), "stop-demo-app"));
        CountDownLatch ready = new CountDownLatch(1);
        echo(app.getInputStream(), ready);
        echo(app.getErrorStream(), ready);
        System.out.println("Starting the test app with the agent: " + agent);
        if (!awaitReady(app, ready)) {
            System.err.println("demo: the app did not start (its output is above)");
            return 1;
        }

        System.out.println();
        System.out.println("Sending traffic to http://localhost:" + appPort + "/ (status in brackets):");
        int counted = new DemoTraffic(appPort).send();

        String metricsUrl = "http://localhost:" + metricsPort + "/metrics";
        String scrape = scrapeWhenCounted(metricsUrl, counted);
        System.out.println();
        if (scrape == null) {
            System.out.println("No metrics at " + metricsUrl + ": the agent did not start its endpoint"
                    + " (see the app's output above).");
        } else {
            System.out.println("Metrics: " + metricsUrl + " (headcount_* series; histogram buckets and sums left out):");
            System.out.println();
            printHeadcountLines(scrape);
        }
        System.out.println();
        if (exit) {
            return scrape == null ? 1 : 0;
        }
        System.out.println("The app runs on: http://localhost:" + appPort + "/  Visit it and reload "
                + metricsUrl + " to see yourself counted. Ctrl-C stops it.");
        return app.waitFor();
    }

    private static Process startApp(Path agent, int appPort, int metricsPort) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java,
                "-javaagent:" + agent,
                "-Dheadcount.port=" + metricsPort,
                "-cp", System.getProperty("java.class.path"),
                TestApp.class.getName(),
                "--port", Integer.toString(appPort)));
        return new ProcessBuilder(command).start();
    }

    /** Copies the child's output to ours, marked as the app's, and notes when it says it is ready. */
    private static void echo(InputStream stream, CountDownLatch ready) {
        Thread thread = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    System.out.println("  app | " + line);
                    if (line.startsWith(TestApp.READY_PREFIX)) {
                        ready.countDown();
                    }
                }
            } catch (IOException e) {
                // The child has gone; its exit is reported elsewhere.
            }
        }, "demo-app-output");
        thread.setDaemon(true);
        thread.start();
    }

    private static boolean awaitReady(Process app, CountDownLatch ready) throws InterruptedException {
        long deadline = System.nanoTime() + STARTUP_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (ready.await(100, TimeUnit.MILLISECONDS)) {
                return true;
            }
            if (!app.isAlive()) {
                return false;
            }
        }
        return false;
    }

    /**
     * Scrapes until the request counters add up to what was sent (the agent counts on a worker
     * thread, so the last requests may show a moment later), or the time limit passes. Returns the
     * last scrape, or null when the endpoint never answered.
     */
    private String scrapeWhenCounted(String url, int counted) throws InterruptedException {
        long deadline = System.nanoTime() + METRICS_LIMIT.toNanos();
        String last = null;
        do {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    last = response.body();
                    if (requestsTotal(last) >= counted) {
                        return last;
                    }
                }
            } catch (IOException e) {
                // Not up yet, or not there at all: try again until the deadline.
            }
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        return last;
    }

    private static double requestsTotal(String scrape) {
        double total = 0;
        for (String line : scrape.split("\n")) {
            if (line.startsWith("headcount_requests_total{")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    private static void printHeadcountLines(String scrape) {
        String family = null;
        for (String line : scrape.split("\n")) {
            if (!line.startsWith("headcount_") || line.contains("_bucket{") || line.contains("_sum{")) {
                continue;
            }
            String name = line.substring(0, line.indexOf('{') > 0 ? line.indexOf('{') : line.indexOf(' '));
            String thisFamily = name.replaceFirst("_count$", "");
            if (family != null && !family.equals(thisFamily)) {
                System.out.println();
            }
            family = thisFamily;
            System.out.println("  " + line);
        }
    }

    private static int[] freePorts(int count) throws IOException {
        // All sockets stay open until every port is chosen, so the ports differ.
        ServerSocket[] sockets = new ServerSocket[count];
        int[] ports = new int[count];
        try {
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0);
                ports[i] = sockets[i].getLocalPort();
            }
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
        return ports;
    }

    private static void stop(Process app) {
        if (!app.isAlive()) {
            return;
        }
        app.destroy();
        try {
            if (!app.waitFor(5, TimeUnit.SECONDS)) {
                app.destroyForcibly();
            }
        } catch (InterruptedException e) {
            app.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
