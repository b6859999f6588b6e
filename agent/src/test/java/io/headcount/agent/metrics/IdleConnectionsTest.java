package io.headcount.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Idle and slow clients cannot keep a scrape out (issue 10, finding 2). */
class IdleConnectionsTest {
    @Test
    void fiveHundredIdleConnectionsDoNotStopAScrape() throws Exception {
        try (MetricsServer server = TestServers.start(TestServers.registry(100))) {
            List<Socket> idle = new ArrayList<>();
            try {
                for (int i = 0; i < 500; i++) {
                    Socket socket = RawHttp.plain(server.port());
                    if (i % 2 == 0) {
                        // Half send a first byte, as a slow client would, half nothing at all.
                        socket.getOutputStream().write('G');
                    }
                    idle.add(socket);
                }
                long start = System.nanoTime();
                RawHttp.Answer answer = RawHttp.get(server.port(), "/metrics");
                long millis = (System.nanoTime() - start) / 1_000_000;
                System.out.printf("[figures] java %s, scrape with 500 idle connections open: %d in %d ms; server holds %d"
                        + " connections%n", System.getProperty("java.version"), answer.status, millis, server.openConnections());
                assertEquals(200, answer.status);
                assertTrue(server.openConnections() <= 64, "at most the cap: " + server.openConnections());
                assertTrue(TestServers.awaitErrors(server, 500 - 64) >= 500 - 64, "each eviction is counted: " + server.errors().count());
            } finally {
                for (Socket socket : idle) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void aClientThatStopsMidHeadIsClosedAtTheHeadDeadline() throws Exception {
        MetricsServer.Limits limits = new MetricsServer.Limits();
        limits.headMillis = 300;
        limits.readTimeoutMillis = 60_000;
        try (MetricsServer server = MetricsServer.builder(TestServers.registry(1), () -> { })
                .address("127.0.0.1", 0).limits(limits).start();
             Socket slow = RawHttp.plain(server.port())) {
            slow.getOutputStream().write("GET /metrics HTTP/1.1\r\n".getBytes());
            slow.setSoTimeout(10_000);
            assertEquals(-1, readOrReset(slow));
            TestServers.awaitNoConnections(server);
            assertEquals(0, server.openConnections());
            assertEquals(1, TestServers.awaitErrors(server, 1));
        }
    }

    @Test
    void anIdleClientIsClosedAtTheReadTimeout() throws Exception {
        MetricsServer.Limits limits = new MetricsServer.Limits();
        limits.readTimeoutMillis = 200;
        try (MetricsServer server = MetricsServer.builder(TestServers.registry(1), () -> { })
                .address("127.0.0.1", 0).limits(limits).start();
             Socket idle = RawHttp.plain(server.port())) {
            idle.getOutputStream().write('G');
            idle.setSoTimeout(10_000);
            assertEquals(-1, readOrReset(idle));
            TestServers.awaitNoConnections(server);
            assertEquals(1, TestServers.awaitErrors(server, 1));
        }
    }

    private static int readOrReset(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read();
        } catch (java.net.SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            return -1;
        }
    }
}
