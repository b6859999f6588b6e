package io.headcount.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients that go away mid-exchange leave nothing behind: open files back where they were and heap
 * after a full collection flat (issue 10, finding 1). The figures are printed for the record.
 */
class MetricsServerLeakTest {
    private static final int CLIENTS = 2_000;
    /** Open files the JVM itself may open meanwhile (class files, a JIT log): not ours. */
    private static final long SLACK_FILES = 10;
    private static final long SLACK_HEAP_BYTES = 8L * 1024 * 1024;
    private static final byte[] SCRAPE = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private static MetricsServer server;
    private static int bodyBytes;

    @BeforeAll
    static void start() throws IOException {
        // Thousands of renders in a few seconds, far past the render budget, which is not what is tested here.
        MetricsServer.Limits limits = new MetricsServer.Limits();
        limits.renderBurstNanos = Long.MAX_VALUE / 4;
        server = MetricsServer.builder(TestServers.registry(8_000), () -> { }).address("127.0.0.1", 0).limits(limits).start();
        RawHttp.Answer answer = RawHttp.get(server.port(), "/metrics");
        assertEquals(200, answer.status);
        bodyBytes = answer.body.length;
        assertTrue(bodyBytes > 1_000_000, "a large scrape: " + bodyBytes);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Something that clients do to the server. */
    private interface Clients {
        void run(int count) throws Exception;
    }

    @Test
    void abortedScrapesOfALargeScrapeLeaveOpenFilesAndHeapFlat() throws Exception {
        assertFlatAfter("aborted scrapes", MetricsServerLeakTest::abortScrapes);
    }

    @Test
    void halfSentRequestsLeaveOpenFilesAndHeapFlat() throws Exception {
        assertFlatAfter("half-sent requests", MetricsServerLeakTest::halfSend);
    }

    private static void assertFlatAfter(String what, Clients clients) throws Exception {
        clients.run(50);
        TestServers.awaitNoConnections(server);
        long filesBefore = TestServers.openFiles();
        long heapBefore = TestServers.heapAfterGc();
        long errorsBefore = server.errors().count();

        clients.run(CLIENTS);

        TestServers.awaitNoConnections(server);
        long errors = TestServers.awaitErrors(server, errorsBefore + CLIENTS) - errorsBefore;
        long filesAfter = TestServers.awaitOpenFilesAtMost(filesBefore + SLACK_FILES);
        long heapAfter = TestServers.heapAfterGc();
        System.out.printf("[figures] java %s, %d %s of a %d-byte scrape: open files %d -> %d, heap after GC %.1f -> %.1f MB,"
                        + " errors counted %d%n", System.getProperty("java.version"), CLIENTS, what, bodyBytes,
                filesBefore, filesAfter, heapBefore / 1048576.0, heapAfter / 1048576.0, errors);
        assertEquals(0, server.openConnections());
        assertTrue(filesAfter <= filesBefore + SLACK_FILES, filesBefore + " -> " + filesAfter + " open files");
        assertTrue(heapAfter <= heapBefore + SLACK_HEAP_BYTES, heapBefore + " -> " + heapAfter + " bytes of heap");
        // A client that resets after its whole answer reached the kernel's buffers did not fail
        // anything the server can see, so not every aborted scrape is an error; most are.
        assertTrue(errors >= CLIENTS * 2 / 3, "failed exchanges are counted: " + errors);
        assertEquals(200, RawHttp.get(server.port(), "/metrics").status);
    }

    /**
     * Sends a whole scrape request and goes away: a third close at once, a third reset at once
     * (linger 0), and a third wait for the answer to start, with a small receive window so that the
     * server's write is still blocked on them, and then reset: their writes fail. Keeps at most 32
     * in the server at a time, so that the server serves them rather than refusing them at its cap.
     */
    private static void abortScrapes(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            while (server.openConnections() >= 32) {
                Thread.sleep(1);
            }
            try (Socket socket = new Socket()) {
                if (i % 3 == 2) {
                    socket.setReceiveBufferSize(4096);
                }
                socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
                if (i % 3 != 0) {
                    socket.setSoLinger(true, 0);
                }
                OutputStream out = socket.getOutputStream();
                out.write(SCRAPE);
                out.flush();
                if (i % 3 == 2) {
                    socket.setSoTimeout(10_000);
                    socket.getInputStream().read();
                }
            }
        }
    }

    private static void halfSend(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            while (server.openConnections() >= 32) {
                Thread.sleep(1);
            }
            try (Socket socket = RawHttp.plain(server.port())) {
                OutputStream out = socket.getOutputStream();
                out.write(SCRAPE, 0, 1 + i % (SCRAPE.length - 2));
                out.flush();
            }
        }
    }
}
