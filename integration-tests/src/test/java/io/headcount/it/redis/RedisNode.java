package io.headcount.it.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code redis-server} or {@code redis-sentinel} process that a test starts on a loopback port
 * with arguments of its own (TLS, replication, sentinel, cluster), in a temporary directory of its
 * own, and stops by its own handle. A missing program fails the test saying what to install.
 */
final class RedisNode implements AutoCloseable {
    private final String program;
    private final int port;
    private final Path dir;
    private final List<String> args;
    private final List<String> cliOptions;
    private final Path log;
    private Process process;

    private RedisNode(String program, int port, Path dir, List<String> args, List<String> cliOptions) {
        this.program = program;
        this.port = port;
        this.dir = dir;
        this.args = args;
        this.cliOptions = cliOptions;
        this.log = dir.resolve(program + ".log");
    }

    /**
     * Starts {@code program} (redis-server or redis-sentinel) with its config file written to a
     * fresh directory ({@code config} lines; {@code port} and {@code dir} are added) and waits
     * until it answers PING through redis-cli with {@code cliOptions} (TLS flags, or none).
     */
    static RedisNode start(String program, int port, List<String> config, List<String> cliOptions) {
        try {
            Path dir = Files.createTempDirectory("headcount-" + program + "-" + port + "-");
            List<String> lines = new ArrayList<>();
            if (config.stream().noneMatch(line -> line.startsWith("port "))) {
                lines.add("port " + port);
            }
            lines.addAll(config);
            lines.add("dir " + dir);
            lines.add("bind 127.0.0.1");
            lines.add("daemonize no");
            lines.add("save \"\"");
            RedisNode node = new RedisNode(program, port, dir, lines, cliOptions);
            node.startAgain();
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The program's absolute path, or a failure that says how to install it (never a skipped test). */
    static String require(String program) {
        String pkg = program.equals("redis-cli") ? "redis-tools" : program;
        return onPath(program, "this test runs a real one; install Debian's " + pkg + " (.ci/run does it when missing)");
    }

    static String requireOpenssl() {
        return onPath("openssl", "the TLS test makes its CA with it; install Debian's openssl");
    }

    private static String onPath(String program, String why) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, program);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new AssertionError(program + " is not on PATH: " + why);
    }

    /** Starts the process again with the same configuration (its data directory is kept). */
    void startAgain() throws IOException {
        Path conf = dir.resolve(program + ".conf");
        // A sentinel rewrites its config file, so it is written once only.
        if (!Files.exists(conf)) {
            Files.write(conf, args, StandardCharsets.UTF_8);
        }
        process = new ProcessBuilder(require(program), conf.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (cliQuietly("PING").equals("PONG")) {
                return;
            }
            if (!process.isAlive()) {
                throw new IOException(program + " on port " + port + " exited: " + Files.readString(log));
            }
            sleep(100);
        }
        throw new IOException(program + " did not answer on port " + port + ": " + Files.readString(log));
    }

    int port() {
        return port;
    }

    Path dir() {
        return dir;
    }

    long pid() {
        return process.pid();
    }

    /** Runs redis-cli against this node and returns its output, trimmed; fails when redis-cli fails. */
    String cli(String... words) {
        List<String> command = new ArrayList<>(List.of(require("redis-cli"), "-h", "127.0.0.1", "-p", String.valueOf(port)));
        command.addAll(cliOptions);
        command.addAll(Arrays.asList(words));
        try {
            Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!cli.waitFor(30, TimeUnit.SECONDS) || cli.exitValue() != 0) {
                throw new AssertionError("redis-cli " + String.join(" ", words) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String cliQuietly(String... words) {
        try {
            return cli(words);
        } catch (AssertionError | RuntimeException e) {
            return "";
        }
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGKILL, as a crash would. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
