package io.headcount.it.harness;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The test app running in a child JVM ({@code java [jvm args] -jar headcount-test-app.jar --port 0
 * [app args]}), optionally with the agent; or another app jar that takes {@code --port N} and prints
 * {@code <its name> listening on port <port>} alike, such as the matrix apps. Its output is kept in
 * memory and copied to {@code target/app-logs/<name>.log}. {@link #close()} stops this one process,
 * by its own handle.
 */
public final class AppProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("^[\\w.-]+ listening on port (\\d+)$");
    private static final Pattern PING = Pattern.compile("^headcount-test-app ping server on port (\\d+)$");
    private static final Duration START_LIMIT = Duration.ofSeconds(60);

    private final String name;
    private final Process process;
    private final Path logFile;
    private final BufferedWriter log;
    private final Lines stdout = new Lines();
    private final Lines stderr = new Lines();
    private int port;
    private int pingPort;

    private AppProcess(String name, List<String> command) throws IOException {
        this.name = name;
        Path logs = Path.of(System.getProperty("headcount.it.logs", "target/app-logs"));
        Files.createDirectories(logs);
        this.logFile = logs.resolve(name + ".log");
        this.log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
        log.write("$ " + String.join(" ", command) + System.lineSeparator());
        this.process = new ProcessBuilder(command).start();
        copy(process.getInputStream(), stdout, "out| ");
        copy(process.getErrorStream(), stderr, "err| ");
    }

    /**
     * Starts any command, such as a container's own launcher, logged as an app is; waiting until it
     * serves is the caller's ({@link #awaitReady()} knows only the test apps' ready line).
     */
    public static AppProcess command(String name, List<String> command) {
        try {
            return new AppProcess(name, command);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts describing a child JVM; {@code name} names its log file. */
    public static Builder named(String name) {
        return new Builder(name);
    }

    /** What to start. */
    public static final class Builder {
        private final String name;
        private final List<String> jvmArgs = new ArrayList<>();
        private final List<String> appArgs = new ArrayList<>();
        private Path jar;
        private Path java;

        private Builder(String name) {
            this.name = name;
        }

        /** Adds {@code -javaagent:<agent jar>}, with {@code =agentArgs} unless that is null. */
        public Builder agent(String agentArgs) {
            String agent = "-javaagent:" + TestJars.agent();
            jvmArgs.add(agentArgs == null ? agent : agent + "=" + agentArgs);
            return this;
        }

        public Builder jvmArg(String arg) {
            jvmArgs.add(arg);
            return this;
        }

        /** Runs this jar instead of the test app. */
        public Builder jar(Path appJar) {
            this.jar = appJar;
            return this;
        }

        /** Runs the app with this {@code java} binary instead of the default one. */
        public Builder java(Path javaBinary) {
            this.java = javaBinary;
            return this;
        }

        public Builder appArgs(String... args) {
            appArgs.addAll(List.of(args));
            return this;
        }

        /** Starts the process without waiting: see {@link AppProcess#awaitReady()}. */
        public AppProcess launch() {
            List<String> command = new ArrayList<>();
            command.add(java == null ? AppProcess.java() : java.toString());
            command.add("-Xmx256m");
            command.addAll(jvmArgs);
            command.addAll(List.of("-jar", (jar == null ? TestJars.testApp() : jar).toString(), "--port", "0"));
            command.addAll(appArgs);
            try {
                return new AppProcess(name, command);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Starts the process and waits until the app serves. */
        public AppProcess start() {
            AppProcess app = launch();
            try {
                return app.awaitReady();
            } catch (RuntimeException | Error e) {
                app.close();
                throw e;
            }
        }
    }

    /**
     * The java binary for the app: {@code headcount.it.java} when set (to try the agent on another
     * JDK), else the one running the tests.
     */
    private static String java() {
        String configured = System.getProperty("headcount.it.java", "");
        if (!configured.isBlank()) {
            return configured;
        }
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Waits until the app says it listens; fails with its output if it exits or takes too long. */
    public AppProcess awaitReady() {
        String ready = stdout.await(line -> READY.matcher(line).matches(), START_LIMIT);
        if (ready == null) {
            throw new IllegalStateException("test app '" + name + "' did not start (exit "
                    + (process.isAlive() ? "none, still running" : process.exitValue()) + ")\n" + output());
        }
        port = number(READY, ready);
        String ping = stdout.first(line -> PING.matcher(line).matches());
        pingPort = ping == null ? -1 : number(PING, ping);
        return this;
    }

    /** The process id of the app's JVM. */
    public long pid() {
        return process.pid();
    }

    /** The app's HTTP port. */
    public int port() {
        return port;
    }

    /** The port of the app's JDK {@code /ping} server, or -1 without {@code --http-server-port}. */
    public int pingPort() {
        return pingPort;
    }

    /** {@code http://127.0.0.1:<port><path>}. */
    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** The lines the app wrote to stderr so far. */
    public List<String> stderrLines() {
        return stderr.snapshot();
    }

    /** The lines the app wrote to stdout so far. */
    public List<String> stdoutLines() {
        return stdout.snapshot();
    }

    /**
     * Waits until a stderr line matches and returns it, or null once {@code limit} passes or the
     * stream ends. Waiting is needed because an agent may log from its own threads after the app is up.
     */
    public String awaitStderr(Predicate<String> match, Duration limit) {
        return stderr.await(match, limit);
    }

    /** Everything the app wrote so far, for failure messages. */
    public String output() {
        StringBuilder all = new StringBuilder("--- stdout of " + name + " ---\n");
        stdoutLines().forEach(line -> all.append(line).append('\n'));
        all.append("--- stderr of ").append(name).append(" ---\n");
        stderrLines().forEach(line -> all.append(line).append('\n'));
        return all.append("--- (also in ").append(logFile).append(") ---").toString();
    }

    /** Stops the app: SIGTERM to this process, then a forced kill if it lingers. */
    @Override
    public void close() {
        ChildProcesses.stop(process);
        synchronized (log) {
            try {
                log.close();
            } catch (IOException e) {
                // Nothing more to write.
            }
        }
    }

    private void copy(InputStream stream, Lines lines, String prefix) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lines.add(line);
                    writeLog(prefix + line);
                }
            } catch (IOException e) {
                writeLog(prefix + "(output lost: " + e + ")");
            } finally {
                lines.end();
            }
        }, "app-output-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    private void writeLog(String line) {
        synchronized (log) {
            try {
                log.write(line);
                log.newLine();
                log.flush();
            } catch (IOException e) {
                // The in-memory copy is what the tests read; the file is for people.
            }
        }
    }

    private static int number(Pattern pattern, String line) {
        Matcher matcher = pattern.matcher(line);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(line);
        }
        return Integer.parseInt(matcher.group(1));
    }

    /** One output stream's lines, which test threads read while the copying thread adds to them. */
    private static final class Lines {
        private final List<String> lines = new ArrayList<>();
        private boolean ended;

        synchronized void add(String line) {
            lines.add(line);
            notifyAll();
        }

        synchronized void end() {
            ended = true;
            notifyAll();
        }

        synchronized List<String> snapshot() {
            return List.copyOf(lines);
        }

        synchronized String first(Predicate<String> match) {
            for (String line : lines) {
                if (match.test(line)) {
                    return line;
                }
            }
            return null;
        }

        synchronized String await(Predicate<String> match, Duration limit) {
            long deadline = System.nanoTime() + limit.toNanos();
            while (true) {
                String found = first(match);
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (found != null || ended || left <= 0) {
                    return found;
                }
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
    }
}
