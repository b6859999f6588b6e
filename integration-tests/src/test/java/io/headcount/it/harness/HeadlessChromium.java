package io.headcount.it.harness;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's {@code chromium} in headless mode, one run per page: the DOM it rendered, or a
 * screenshot, and the URLs of every request it sent for the page (from its net log). Each run has a
 * fresh profile and may reach no host but 127.0.0.1. Where chromium is missing it fails saying what
 * to install; it never skips.
 */
public final class HeadlessChromium {
    private static final Duration RUN_LIMIT = Duration.ofSeconds(90);
    private static final String INSTALL = "install Debian's chromium package (as root: apt-get update && apt-get install -y"
            + " chromium; .ci/run does it when chromium is missing)";

    private final Path binary;

    private HeadlessChromium(Path binary) {
        this.binary = binary;
    }

    /** {@code /usr/bin/chromium}, else {@code chromium} on PATH; fails with what to install when neither is there. */
    public static HeadlessChromium find() {
        List<Path> candidates = new ArrayList<>();
        candidates.add(Path.of("/usr/bin/chromium"));
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            candidates.add(Path.of(entry.isEmpty() ? "." : entry, "chromium"));
        }
        for (Path candidate : candidates) {
            if (Files.isExecutable(candidate)) {
                return new HeadlessChromium(candidate);
            }
        }
        throw new AssertionError("chromium is neither /usr/bin/chromium nor on PATH, so this test cannot load the"
                + " overview page in a real browser: " + INSTALL);
    }

    /** What one run produced. */
    public static final class Page {
        private final String dom;
        private final List<Request> requests;

        private Page(String dom, List<Request> requests) {
            this.dom = dom;
            this.requests = requests;
        }

        /** The DOM after rendering, serialized ({@code --dump-dom}); empty for a screenshot run. */
        public String dom() {
            return dom;
        }

        /** Every URL request in the net log, the browser's own background ones included. */
        public List<Request> requests() {
            return requests;
        }
    }

    /** One request from the net log, with the site it was made for. */
    public static final class Request {
        /** {@code "<top frame site> <frame site>"}; {@code "null null"} for the browser's own. */
        public final String isolationKey;
        public final String url;

        Request(String isolationKey, String url) {
            this.isolationKey = isolationKey;
            this.url = url;
        }

        @Override
        public String toString() {
            return url + " (for " + isolationKey + ")";
        }
    }

    /** Loads {@code url} and returns the DOM it rendered. */
    public Page dumpDom(String url) {
        return run(url, List.of("--dump-dom"));
    }

    /** Loads {@code url} in a window of the given size and writes what it shows to {@code png}. */
    public Page screenshot(String url, Path png, int width, int height) {
        try {
            Files.createDirectories(png.toAbsolutePath().getParent());
            Files.deleteIfExists(png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Page page = run(url, List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height));
        if (!Files.isRegularFile(png)) {
            throw new AssertionError("chromium wrote no screenshot to " + png);
        }
        return page;
    }

    private Page run(String url, List<String> action) {
        Path dir;
        try {
            dir = Files.createTempDirectory("headcount-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path out = dir.resolve("stdout.html");
        Path err = dir.resolve("stderr.txt");
        Path netLog = dir.resolve("net-log.json");
        List<String> command = new ArrayList<>(List.of(binary.toString(),
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                // Tests reach 127.0.0.1 only: the browser's own update and account checks find no host.
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                "--user-data-dir=" + dir.resolve("profile"),
                "--log-net-log=" + netLog));
        command.addAll(action);
        command.add(url);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + command, e);
        }
        try {
            if (!process.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                kill(process);
                throw new AssertionError("chromium did not finish loading " + url + " within " + RUN_LIMIT.toSeconds()
                        + " s and was killed; its output:\n" + read(err));
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("chromium exited " + process.exitValue() + " loading " + url + ":\n" + read(err));
            }
            return new Page(read(out), requests(read(netLog)));
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            delete(dir);
        }
    }

    /** The renderer and helper processes first, then the browser itself: only what this run started. */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The URL requests of a net log: one {@code URL_REQUEST_START_JOB} event each. */
    static List<Request> requests(String netLog) {
        Map<String, Object> log = JsonReader.object(JsonReader.parse(netLog));
        Map<String, Object> types = JsonReader.object(JsonReader.object(log.get("constants")).get("logEventTypes"));
        Object startJob = types.get("URL_REQUEST_START_JOB");
        List<Request> requests = new ArrayList<>();
        for (Object event : JsonReader.array(log.get("events"))) {
            Map<String, Object> fields = JsonReader.object(event);
            Object params = fields.get("params");
            if (startJob.equals(fields.get("type")) && params instanceof Map) {
                Map<String, Object> request = JsonReader.object(params);
                if (request.get("url") != null) {
                    requests.add(new Request(String.valueOf(request.get("network_isolation_key")),
                            String.valueOf(request.get("url"))));
                }
            }
        }
        return requests;
    }

    private static String read(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A temporary profile left behind does no harm.
        }
    }
}
