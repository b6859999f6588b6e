package io.headcount.testapp;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A JDK {@code com.sun.net.httpserver} server answering {@code /ping} with {@code pong}: the app's own
 * use of the JDK server, whose JVM-wide settings an agent must leave alone.
 */
final class PingServer {
    private PingServer() {
    }

    /** Starts the server on {@code port} (0 = a free one) and returns the port it listens on. */
    static int start(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/ping", exchange -> {
            byte[] body = "pong".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server.getAddress().getPort();
    }
}
