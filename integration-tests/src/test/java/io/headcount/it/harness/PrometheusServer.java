package io.headcount.it.harness;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A real Prometheus (the {@code prometheus} binary of Debian's package, not its system service) in a
 * child process with its own configuration and data in a temporary directory, on
 * {@code 127.0.0.1:<free port>}, scraping one target every second and evaluating rules every second.
 * Where the binaries are missing it fails with what to install; it never skips.
 */
public final class PrometheusServer implements AutoCloseable {
    private static final Duration START_LIMIT = Duration.ofSeconds(60);
    private static final String INSTALL = "install Debian's prometheus package (as root: apt-get update && apt-get install -y"
            + " prometheus; .ci/run does it when promtool or prometheus is missing)";

    private final Http http = new Http();
    private final Process process;
    private final Path dir;
    private final Path log;
    private final int port;

    private PrometheusServer(Process process, Path dir, Path log, int port) {
        this.process = process;
        this.dir = dir;
        this.log = log;
        this.port = port;
    }

    /** The path of {@code prometheus} or {@code promtool} on PATH; fails with what to install when absent. */
    public static Path binary(String name) {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(entry.isEmpty() ? "." : entry, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(name + " is not on PATH, so this test cannot check the dashboard and rules"
                + " against a real Prometheus: " + INSTALL);
    }

    /**
     * Starts Prometheus scraping {@code target} ({@code host:port}, path {@code /metrics}) as job
     * {@code job}, with {@code rules} loaded, and waits until it is ready.
     */
    public static PrometheusServer start(String job, String target, Path rules) {
        Path prometheus = binary("prometheus");
        try {
            Path dir = Files.createTempDirectory("headcount-prometheus");
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, String.join("\n",
                    "global:",
                    "  scrape_interval: 1s",
                    "  scrape_timeout: 1s",
                    "  evaluation_interval: 1s",
                    "rule_files:",
                    "  - " + quoted(rules.toAbsolutePath().toString()),
                    "scrape_configs:",
                    "  - job_name: " + quoted(job),
                    "    static_configs:",
                    "      - targets: [" + quoted(target) + "]",
                    ""));
            Path logs = Path.of(System.getProperty("headcount.it.logs", "target/app-logs"));
            Files.createDirectories(logs);
            Path log = logs.resolve("prometheus.log");
            int port = FreePorts.pick();
            List<String> command = List.of(prometheus.toString(),
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port,
                    "--log.level=warn");
            Files.writeString(log, "$ " + String.join(" ", command) + "\n");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            PrometheusServer server = new PrometheusServer(process, dir, log, port);
            try {
                server.awaitReady();
            } catch (RuntimeException | Error e) {
                server.close();
                throw e;
            }
            return server;
        } catch (IOException e) {
            throw new AssertionError("could not start " + prometheus + ": " + e, e);
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Runs an instant query now; fails with Prometheus' error message when it is not a success. */
    public List<Sample> query(String promql) {
        return query(promql, null);
    }

    /**
     * Runs an instant query at {@code time} (now when null), which is what one step of a range query
     * (a Grafana panel) evaluates.
     */
    public List<Sample> query(String promql, Instant time) {
        Map<String, Object> data = api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + (time == null ? "" : "&time=" + time.getEpochSecond()));
        String type = (String) data.get("resultType");
        List<Sample> samples = new ArrayList<>();
        if ("scalar".equals(type)) {
            samples.add(new Sample(Map.of(), number(JsonReader.array(data.get("result")).get(1))));
            return samples;
        }
        if (!"vector".equals(type)) {
            throw new AssertionError("query " + promql + " gave a " + type + ", not an instant vector");
        }
        for (Object item : JsonReader.array(data.get("result"))) {
            Map<String, Object> series = JsonReader.object(item);
            Map<String, String> labels = new TreeMap<>();
            JsonReader.object(series.get("metric")).forEach((name, value) -> labels.put(name, (String) value));
            samples.add(new Sample(labels, number(JsonReader.array(series.get("value")).get(1))));
        }
        return samples;
    }

    /** The rule groups as {@code /api/v1/rules} reports them. */
    public List<Object> ruleGroups() {
        return JsonReader.array(api("/api/v1/rules").get("groups"));
    }

    /** What Prometheus wrote, for failure messages. */
    public String output() {
        try {
            return "--- prometheus (" + log + ") ---\n" + Files.readString(log);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    private Map<String, Object> api(String path) {
        HttpResponse<String> response = http.get(url(path)).send();
        Map<String, Object> body = JsonReader.object(JsonReader.parse(response.body()));
        if (response.statusCode() != 200 || !"success".equals(body.get("status"))) {
            throw new AssertionError(path + " answered " + response.statusCode() + ": " + body.get("errorType") + ": "
                    + body.get("error"));
        }
        if (body.containsKey("warnings")) {
            throw new AssertionError(path + " warned: " + body.get("warnings"));
        }
        return JsonReader.object(body.get("data"));
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("prometheus exited with " + process.exitValue() + " before it was ready\n" + output());
            }
            if (FreePorts.isListening(port)) {
                try {
                    if (http.get(url("/-/ready")).status() == 200) {
                        return;
                    }
                } catch (UncheckedIOException e) {
                    // Not yet.
                }
            }
            sleep(200);
        }
        throw new AssertionError("prometheus was not ready within " + START_LIMIT.toSeconds() + " s\n" + output());
    }

    private static double number(Object value) {
        return Double.parseDouble((String) value);
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for prometheus", e);
        }
    }

    /** Stops this Prometheus by its own handle and removes its directory. */
    @Override
    public void close() {
        ChildProcesses.stop(process);
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One series of a query result: its labels ({@code __name__} included when kept) and value. */
    public record Sample(Map<String, String> labels, double value) {
    }
}
