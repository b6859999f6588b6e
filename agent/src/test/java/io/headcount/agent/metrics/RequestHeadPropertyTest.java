package io.headcount.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.testsupport.HostileInputs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile request lines and header values, parsed directly and sent over a socket: the parser never
 * throws and accepts only tokens and visible ASCII; the server answers one of a few statuses or
 * closes, and leaves no connection open.
 */
class RequestHeadPropertyTest {
    private static final Set<Integer> ANSWERS = Set.of(-1, 200, 400, 401, 404, 405, 413, 431);

    private static MetricsServer server;
    private static long filesBefore;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(TestServers.registry(3));
        RawHttp.get(server.port(), "/metrics");
        filesBefore = TestServers.openFiles();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            TestServers.awaitNoConnections(server);
            assertEquals(0, server.openConnections());
            long filesAfter = TestServers.awaitOpenFilesAtMost(filesBefore + 10);
            assertTrue(filesAfter <= filesBefore + 10, filesBefore + " -> " + filesAfter + " open files");
        } finally {
            server.close();
        }
    }

    static List<Arguments> requests() {
        List<Arguments> cases = new ArrayList<>();
        int i = 0;
        for (String hostile : HostileInputs.strings(10, 120)) {
            String request;
            switch (i++ % 4) {
                case 0:
                    request = hostile + "\r\n\r\n";
                    break;
                case 1:
                    request = "GET " + hostile + " HTTP/1.1\r\nHost: x\r\n\r\n";
                    break;
                case 2:
                    request = "GET /metrics HTTP/1.1\r\nHost: x\r\nAccept: " + hostile + "\r\nAccept-Encoding: "
                            + hostile + "\r\n\r\n";
                    break;
                default:
                    request = hostile + " /metrics HTTP/1.1\r\n" + hostile + ": " + hostile + "\r\nHost: x\r\n\r\n";
                    break;
            }
            cases.add(Arguments.of(i, request));
        }
        return cases;
    }

    @ParameterizedTest
    @MethodSource("requests")
    void theParserNeverThrowsAndKeepsOnlyTokensAndVisibleAscii(int index, String request) {
        for (String text : new String[] {request, asIso(request.getBytes(StandardCharsets.UTF_8))}) {
            RequestHead head = RequestHead.parse(text);
            if (head != null) {
                assertTrue(head.method().matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+"), head.method());
                assertTrue(head.path().matches("[\\x21-\\x7e]*"), head.path());
            }
            ScrapeRenderer.acceptsGzip(text);
        }
    }

    @ParameterizedTest
    @MethodSource("requests")
    void theServerAnswersABoundedStatusOrCloses(int index, String request) throws Exception {
        for (byte[] bytes : new byte[][] {request.getBytes(StandardCharsets.UTF_8), request.getBytes(StandardCharsets.ISO_8859_1)}) {
            RawHttp.Answer answer = RawHttp.send(() -> RawHttp.plain(server.port()), bytes);
            assertTrue(ANSWERS.contains(answer.status), "case " + index + " answered " + answer.status);
        }
        TestServers.awaitNoConnections(server);
        assertEquals(0, server.errors().unexpected(), "case " + index + " made the server fail in its own code");
    }

    private static String asIso(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
