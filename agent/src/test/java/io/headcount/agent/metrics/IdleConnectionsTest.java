package io.headcount.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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

    /**
     * An attacker's probe of 2026-12-07 flooded the TLS port with new connections from one address,
     * each closing the oldest connection still before its request, and so closed real scrapes in
     * their handshakes. At the cap a client's new connection now closes that client's own oldest.
     */
    @Test
    void aFloodFromOneAddressClosesItsOwnConnectionsNotAScraperStillSending() throws Exception {
        try (MetricsServer server = TestServers.start(TestServers.registry(100))) {
            List<Socket> flood = new ArrayList<>();
            try {
                for (int i = 0; i < 64; i++) {
                    flood.add(RawHttp.plain(server.port()));
                }
                Socket scraper = fromSecondAddress(server);
                scraper.setSoTimeout(10_000);
                flood.add(scraper);
                scraper.getOutputStream().write("GET /metrics HTTP/1.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
                // 100 more from the flooding address, each at the cap: before, the scraper's connection
                // became the oldest before its request was complete, and was closed.
                for (int i = 0; i < 100; i++) {
                    flood.add(RawHttp.plain(server.port()));
                }
                TestServers.awaitErrors(server, 100);
                scraper.getOutputStream().write("Host: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                RawHttp.Answer answer = RawHttp.parse(scraper.getInputStream().readAllBytes());
                assertEquals(200, answer.status);
            } finally {
                for (Socket socket : flood) {
                    socket.close();
                }
            }
        }
    }

    /**
     * An attacker's probe of 2026-12-07: 64 connections from one address that sent a scrape and never
     * read it held every rendered body and every connection place, and no scrape was answered for as
     * long as they went on. One client now has at most 4 requests answered at once; the rest get 429.
     */
    @Test
    void oneClientThatNeverReadsHoldsFourAnswersAndAnotherStillScrapes() throws Exception {
        try (MetricsServer server = TestServers.start(TestServers.registry(20_000))) {
            List<Socket> holding = new ArrayList<>();
            try {
                for (int i = 0; i < 12; i++) {
                    Socket socket = new Socket();
                    socket.setReceiveBufferSize(1024);
                    socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
                    socket.setSoTimeout(10_000);
                    socket.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"
                            .getBytes(StandardCharsets.ISO_8859_1));
                    holding.add(socket);
                }
                int rendered = 0;
                int refused = 0;
                for (Socket socket : holding) {
                    byte[] status = socket.getInputStream().readNBytes(12);
                    String line = new String(status, StandardCharsets.ISO_8859_1);
                    rendered += line.equals("HTTP/1.1 200") ? 1 : 0;
                    refused += line.equals("HTTP/1.1 429") ? 1 : 0;
                }
                assertEquals(4, rendered);
                assertEquals(8, refused);
                // Another client (another address on the loopback) scrapes the whole 2.5 MB meanwhile.
                RawHttp.Answer answer = RawHttp.send(() -> {
                    try {
                        return fromSecondAddress(server);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                assertEquals(200, answer.status);
            } finally {
                for (Socket socket : holding) {
                    socket.close();
                }
            }
            TestServers.awaitNoConnections(server);
            assertEquals(0, server.clientsWithExchanges());
        }
    }

    /**
     * An attacker's probe of 2026-12-06: 64 clients that send a complete request and then a byte
     * now and then after their answer held every place until the 30 s exchange deadline, and every
     * scrape was refused, with basic authentication on too.
     */
    @Test
    void clientsThatKeepSendingAfterTheirAnswerDoNotKeepAScrapeOut() throws Exception {
        try (MetricsServer server = TestServers.start(TestServers.registry(100))) {
            List<Socket> answered = new ArrayList<>();
            try {
                for (int i = 0; i < 64; i++) {
                    Socket socket = answered(server);
                    socket.getOutputStream().write('x');
                    answered.add(socket);
                }
                assertEquals(200, RawHttp.get(server.port(), "/metrics").status);
            } finally {
                for (Socket socket : answered) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void aClientThatKeepsSendingAfterItsAnswerIsClosedWithinASecond() throws Exception {
        MetricsServer.Limits limits = new MetricsServer.Limits();
        limits.readTimeoutMillis = 60_000;
        limits.exchangeMillis = 120_000;
        try (MetricsServer server = TestServers.start(limits);
             Socket trickler = answered(server)) {
            // A byte every 100 ms: no pause reaches the drain's one second between reads, and the
            // exchange deadline is two minutes away, so only the drain's own deadline closes it.
            int bytes = 0;
            try {
                while (bytes < 300 && server.openConnections() > 0) {
                    trickler.getOutputStream().write('x');
                    bytes++;
                    Thread.sleep(100);
                }
            } catch (IOException closedByTheServer) {
                // What is expected.
            }
            TestServers.awaitNoConnections(server);
            assertEquals(0, server.openConnections());
            assertTrue(bytes < 300, "closed while the client was still sending, after " + bytes + " bytes");
        }
    }

    @Test
    void aClientThatStopsMidHeadIsClosedAtTheHeadDeadline() throws Exception {
        MetricsServer.Limits limits = new MetricsServer.Limits();
        limits.headMillis = 300;
        limits.readTimeoutMillis = 60_000;
        try (MetricsServer server = TestServers.start(limits);
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
        try (MetricsServer server = TestServers.start(limits);
             Socket idle = RawHttp.plain(server.port())) {
            idle.getOutputStream().write('G');
            idle.setSoTimeout(10_000);
            assertEquals(-1, readOrReset(idle));
            TestServers.awaitNoConnections(server);
            assertEquals(1, TestServers.awaitErrors(server, 1));
        }
    }

    /** A connection from 127.0.0.2: another client than the tests' others, to the server's per-client bounds. */
    private static Socket fromSecondAddress(MetricsServer server) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress("127.0.0.2", 0));
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
        return socket;
    }

    /** A connection that sent a complete request and has read its whole answer, a 404. */
    private static Socket answered(MetricsServer server) throws IOException {
        Socket socket = RawHttp.plain(server.port());
        socket.getOutputStream().write("GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
        socket.setSoTimeout(30_000);
        assertTrue(new String(socket.getInputStream().readAllBytes()).startsWith("HTTP/1.1 404 "));
        return socket;
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
