package io.headcount.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis server for one test, on a free loopback port: {@code redis-server} from PATH, else
 * the Redis binary shipped in the {@code com.github.codemonstur:embedded-redis} artifact. Nothing
 * is persisted unless {@link #startPersistent()} asked for it (an append-only file in a temporary
 * directory of its own), and the machine's own Redis is never touched.
 */
public final class RedisServerProcess implements AutoCloseable {
    private static final String EMBEDDED_BINARY = "/redis-server-6.2.6-v5-linux-amd64";

    private final int port;
    private final String password;
    private final Path log;
    /** The data directory when persistent, else null. */
    private final Path dir;
    private Process process;

    private RedisServerProcess(int port, String password, Path dir) throws IOException {
        this.port = port;
        this.password = password;
        this.dir = dir;
        this.log = Files.createTempFile("redis-" + port + "-", ".log");
    }

    /** A server that keeps its data across {@link #stop()} and {@link #startAgain()} (append-only file, fsync always). */
    public static RedisServerProcess startPersistent() throws IOException {
        RedisServerProcess redis = new RedisServerProcess(TestPorts.free(), null, Files.createTempDirectory("redis-data-"));
        redis.startAgain();
        return redis;
    }

    public static RedisServerProcess start() throws IOException {
        return start(null);
    }

    public static RedisServerProcess start(String password) throws IOException {
        RedisServerProcess redis = new RedisServerProcess(TestPorts.free(), password, null);
        redis.startAgain();
        return redis;
    }

    public int port() {
        return port;
    }

    public String url() {
        return password == null ? "redis://127.0.0.1:" + port : "redis://:" + password + "@127.0.0.1:" + port;
    }

    /** Starts the server again on the same port after {@link #kill()} or {@link #stop()}: empty unless persistent. */
    public void startAgain() throws IOException {
        List<String> command = new ArrayList<>(List.of(binary().toString(), "--port", String.valueOf(port),
                "--bind", "127.0.0.1", "--save", "", "--daemonize", "no"));
        if (dir == null) {
            command.addAll(List.of("--appendonly", "no"));
        } else {
            command.addAll(List.of("--appendonly", "yes", "--appendfsync", "always", "--dir", dir.toString()));
        }
        if (password != null) {
            command.add("--requirepass");
            command.add(password);
        }
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (answersPing()) {
                return;
            }
            if (!process.isAlive()) {
                throw new IOException("redis-server exited: " + Files.readString(log));
            }
            sleep(50);
        }
        throw new IOException("redis-server did not answer on port " + port + ": " + Files.readString(log));
    }

    /** The server's process id. */
    public long pid() {
        return process.pid();
    }

    /** Stops the server as an operator would (SIGTERM): a persistent one keeps its data. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Freezes the server (SIGSTOP): connections stay open and nothing is answered. */
    public void suspend() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /** Lets a {@link #suspend() frozen} server run again (SIGCONT). */
    public void resume() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", signal, String.valueOf(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill " + signal + " " + process.pid() + " failed");
        }
    }

    /** Kills the server (SIGKILL), as a crash would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Sends one command in the inline protocol and returns the raw reply. */
    public String command(String... words) throws IOException {
        return commandWithPassword(password, words);
    }

    /** As {@link #command}, authenticated with another password than the server's first one (null: none). */
    public String commandWithPassword(String password, String... words) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            StringBuilder request = new StringBuilder();
            if (password != null) {
                request.append(encode("AUTH", password));
            }
            request.append(encode(words));
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            String reply = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            return password == null ? reply : reply.substring(reply.indexOf("\r\n") + 2);
        }
    }

    private static String encode(String... words) {
        StringBuilder resp = new StringBuilder("*").append(words.length).append("\r\n");
        for (String word : words) {
            resp.append('$').append(word.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(word).append("\r\n");
        }
        return resp.toString();
    }

    private boolean answersPing() {
        try {
            return command("PING").startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            if (process.isAlive()) {
                try {
                    resume();
                } catch (IOException e) {
                    // Not suspended, or already gone.
                }
            }
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static Path binary() throws IOException {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, "redis-server");
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        Path extracted = Path.of(System.getProperty("java.io.tmpdir"), "headcount-test-redis-server-6.2.6");
        if (!Files.isExecutable(extracted)) {
            try (InputStream in = RedisServerProcess.class.getResourceAsStream(EMBEDDED_BINARY)) {
                if (in == null) {
                    throw new IOException("no redis-server on PATH and no embedded-redis artifact on the class path");
                }
                Path temp = Files.createTempFile("redis-server", "");
                Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
                temp.toFile().setExecutable(true);
                Files.move(temp, extracted, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return extracted;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
