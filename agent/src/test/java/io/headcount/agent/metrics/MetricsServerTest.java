package io.headcount.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MetricsServerTest {
    private final PrometheusRegistry registry = TestServers.registry(3);
    private final AtomicInteger scrapes = new AtomicInteger();
    private MetricsServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private int start() throws IOException {
        server = MetricsServer.builder(registry, scrapes::incrementAndGet).address("127.0.0.1", 0).start();
        return server.port();
    }

    private int startWithAuth() throws IOException {
        server = MetricsServer.builder(registry, scrapes::incrementAndGet).address("127.0.0.1", 0)
                .basicAuth("prometheus", "s3cret pass".getBytes(StandardCharsets.UTF_8)).start();
        return server.port();
    }

    @Test
    void getMetricsAnswersTheTextFormatAndRunsBeforeScrapeFirst() throws IOException {
        RawHttp.Answer answer = RawHttp.get(start(), "/metrics");
        assertEquals(200, answer.status);
        assertEquals("text/plain; version=0.0.4; charset=utf-8", answer.header("Content-Type"));
        assertEquals("close", answer.header("Connection"));
        assertEquals(String.valueOf(answer.body.length), answer.header("Content-Length"));
        assertTrue(answer.text().contains("test_requests_total{client=\"browser\",endpoint=\"/api/"
                + "x".repeat(80) + "/2\"} 2.0\n"), answer.text());
        assertEquals(1, scrapes.get());
    }

    @Test
    void theQueryIsIgnored() throws IOException {
        assertEquals(200, RawHttp.get(start(), "/metrics?name[]=x&debug=1").status);
    }

    @Test
    void headAnswersTheHeadersOfGetWithoutABody() throws IOException {
        int port = start();
        RawHttp.Answer get = RawHttp.get(port, "/metrics");
        RawHttp.Answer head = RawHttp.send(port, "HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(200, head.status);
        assertEquals(get.header("Content-Length"), head.header("Content-Length"));
        assertEquals(0, head.body.length);
    }

    @Test
    void openMetricsWhenAskedFor() throws IOException {
        RawHttp.Answer answer = RawHttp.send(start(), "GET /metrics HTTP/1.1\r\nHost: x\r\n"
                + "Accept: application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5\r\n\r\n");
        assertEquals(200, answer.status);
        assertEquals("application/openmetrics-text; version=1.0.0; charset=utf-8", answer.header("Content-Type"));
        assertTrue(answer.text().endsWith("# EOF\n"), answer.text());
    }

    @Test
    void gzipWhenAccepted() throws IOException {
        int port = start();
        byte[] plain = RawHttp.get(port, "/metrics").body;
        RawHttp.Answer zipped = RawHttp.send(port, "GET /metrics HTTP/1.1\r\nHost: x\r\nAccept-Encoding: br, gzip\r\n\r\n");
        assertEquals("gzip", zipped.header("Content-Encoding"));
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body))) {
            assertArrayEquals(plain, in.readAllBytes());
        }
        RawHttp.Answer refused = RawHttp.send(port, "GET /metrics HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip;q=0\r\n\r\n");
        assertNull(refused.header("Content-Encoding"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/index.html", "/metricsXYZ", "/metrics/", "/metrics/../x", "/metrics;x", "/METRICS", "//metrics",
        "http://127.0.0.1/metrics", "*"})
    void everyOtherPathIsNotFound(String path) throws IOException {
        RawHttp.Answer answer = RawHttp.get(start(), path);
        assertEquals(404, answer.status);
        assertEquals("404 Not Found\n", answer.text());
        assertEquals(0, scrapes.get());
    }

    @Test
    void theOverviewPageAtTheRootIsSelfContainedHtml() throws IOException {
        int port = start();
        RawHttp.Answer answer = RawHttp.get(port, "/?refresh=1");
        assertEquals(200, answer.status);
        assertEquals("text/html; charset=utf-8", answer.header("Content-Type"));
        assertEquals("default-src 'none'; style-src 'unsafe-inline'", answer.header("Content-Security-Policy"));
        assertEquals("no-store", answer.header("Cache-Control"));
        assertEquals("nosniff", answer.header("X-Content-Type-Options"));
        assertTrue(answer.text().startsWith("<!DOCTYPE html>"), answer.text());
        assertEquals(1, scrapes.get());
        assertEquals(405, RawHttp.send(port, "POST / HTTP/1.1\r\nHost: x\r\n\r\n").status);
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "FOO", "get"})
    void otherMethodsAreNotAllowed(String method) throws IOException {
        RawHttp.Answer answer = RawHttp.send(start(), method + " /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(405, answer.status);
        assertEquals("GET, HEAD", answer.header("Allow"));
        assertEquals(0, scrapes.get());
    }

    @Test
    void aPostWithABodyIsAnsweredWholeBeforeTheClose() throws IOException {
        RawHttp.Answer answer = RawHttp.send(start(), "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n"
                + "a".repeat(5000));
        assertEquals(405, answer.status);
    }

    @Test
    void aGetWithABodyIsRefused() throws IOException {
        assertEquals(413, RawHttp.send(start(), "GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc").status);
        assertEquals(413, RawHttp.send(start(), "GET /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n").status);
        assertEquals(413, RawHttp.send(start(), "GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 010\r\n\r\n").status);
    }

    @Test
    void aContentLengthOfZeroIsNoBodyHoweverItIsWritten() throws IOException {
        for (String zero : new String[] {"0", "00", "000000"}) {
            assertEquals(200, RawHttp.send(start(), "GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: " + zero
                    + "\r\n\r\n").status, zero);
            server.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET /metrics\r\n\r\n",
        "GET /metrics HTTP/2.0\r\nHost: x\r\n\r\n",
        "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
        "GET /metrics HTTP/1.1\r\n\r\n",
        "GET  /metrics HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /met rics HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /metrics HTTP/1.1\r\nHost : x\r\n\r\n",
        "GET /metrics HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",
        "GET /metrics HTTP/1.1\r\nHost: x\r\nX: a\u0000b\r\n\r\n",
        "GET /metrics HTTP/1.1\r\nHost: x\rY: z\r\n\r\n",
        "GET /metrics HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n",
        "GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
        "GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 1, 1\r\n\r\n",
        "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003\r\n\r\n",
    })
    void malformedRequestsAreBadRequests(String request) throws IOException {
        assertEquals(400, RawHttp.send(start(), request).status);
        assertEquals(0, scrapes.get());
    }

    @Test
    void http10AndBareLineFeedsAreUnderstood() throws IOException {
        int port = start();
        assertEquals(200, RawHttp.send(port, "GET /metrics HTTP/1.0\r\n\r\n").status);
        assertEquals(200, RawHttp.send(port, "\r\nGET /metrics HTTP/1.1\nHost: x\n\n").status);
    }

    @Test
    void aHeadLongerThan8KiBIsRefused() throws IOException {
        RawHttp.Answer answer = RawHttp.send(start(), "GET /metrics HTTP/1.1\r\nHost: x\r\nX: " + "a".repeat(9000) + "\r\n\r\n");
        assertEquals(431, answer.status);
    }

    @Test
    void withoutCredentialsEveryRequestIsUnauthorized() throws IOException {
        int port = startWithAuth();
        RawHttp.Answer answer = RawHttp.get(port, "/metrics");
        assertEquals(401, answer.status);
        assertEquals("Basic realm=\"headcount\"", answer.header("WWW-Authenticate"));
        assertEquals(401, RawHttp.get(port, "/other").status);
        assertEquals(0, scrapes.get());
    }

    @ParameterizedTest
    @ValueSource(strings = {"prometheus:s3cret pas", "prometheus:s3cret pass ", "Prometheus:s3cret pass", "prometheus",
        ":s3cret pass", "prometheus:s3cret pass\u0000"})
    void wrongCredentialsAreUnauthorized(String credentials) throws IOException {
        String encoded = Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
        RawHttp.Answer answer = RawHttp.send(startWithAuth(), "GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Basic "
                + encoded + "\r\n\r\n");
        assertEquals(401, answer.status);
        assertEquals(0, scrapes.get());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer cHJvbWV0aGV1czpzM2NyZXQgcGFzcw==", "Basic !!!", "Basic", "Basic "})
    void otherAuthorizationSchemesAreUnauthorized(String authorization) throws IOException {
        assertEquals(401, RawHttp.send(startWithAuth(), "GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: "
                + authorization + "\r\n\r\n").status);
    }

    @Test
    void rightCredentialsScrape() throws IOException {
        String encoded = Base64.getEncoder().encodeToString("prometheus:s3cret pass".getBytes(StandardCharsets.UTF_8));
        int port = startWithAuth();
        assertEquals(200, RawHttp.send(port, "GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: basic " + encoded
                + "\r\n\r\n").status);
        assertEquals(404, RawHttp.send(port, "GET /x HTTP/1.1\r\nHost: x\r\nAuthorization: Basic " + encoded
                + "\r\n\r\n").status);
        assertEquals(200, RawHttp.send(port, "GET / HTTP/1.1\r\nHost: x\r\nAuthorization: Basic " + encoded
                + "\r\n\r\n").status);
        assertEquals(401, RawHttp.send(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n").status);
        assertEquals(2, scrapes.get());
    }

    /** An attacker's probe of 2026-12-06 guessed 6,300 passwords a second, uncounted and unlogged. */
    @Test
    void wrongCredentialsAreCountedAndThrottledPerClient() throws IOException {
        String wrong = "GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Basic "
                + Base64.getEncoder().encodeToString("prometheus:guess".getBytes(StandardCharsets.UTF_8)) + "\r\n\r\n";
        String right = "GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Basic "
                + Base64.getEncoder().encodeToString("prometheus:s3cret pass".getBytes(StandardCharsets.UTF_8)) + "\r\n\r\n";
        int port = startWithAuth();
        for (int i = 0; i < LoginThrottle.BURST; i++) {
            // Asking without credentials, as a browser does first, spends no try.
            assertEquals(401, RawHttp.get(port, "/metrics").status);
            assertEquals(401, RawHttp.send(port, wrong).status);
        }
        RawHttp.Answer throttled = RawHttp.send(port, wrong);
        assertEquals(429, throttled.status);
        assertEquals("1", throttled.header("Retry-After"));
        // Nor are right credentials read from that client now: no answer tells a guess apart.
        assertEquals(429, RawHttp.send(port, right).status);
        assertEquals(LoginThrottle.BURST + 2, server.errors().count());
        // Another client scrapes as before.
        assertEquals(200, RawHttp.send(() -> fromAddress("127.0.0.2", port), right.getBytes(StandardCharsets.US_ASCII)).status);
        assertEquals(1, scrapes.get());
    }

    private static Socket fromAddress(String local, int port) {
        try {
            Socket socket = new Socket();
            socket.bind(new InetSocketAddress(local, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aClientThatConnectsAndClosesIsNotAnError() throws Exception {
        int port = start();
        RawHttp.plain(port).close();
        RawHttp.get(port, "/metrics");
        TestServers.awaitNoConnections(server);
        assertEquals(0, server.errors().count());
    }
}
