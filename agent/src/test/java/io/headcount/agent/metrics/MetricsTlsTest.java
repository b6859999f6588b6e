package io.headcount.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.agent.config.MetricsAccess;
import io.headcount.agent.config.Settings;
import io.headcount.agent.config.SettingsLoader;
import io.headcount.testsupport.TestKeystore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS from a PKCS#12 keystore, configured through the settings as an operator would. */
class MetricsTlsTest {
    @TempDir
    static Path dir;
    private static MetricsServer server;
    private static SSLContext client;

    @BeforeAll
    static void start() throws Exception {
        Path keystore = TestKeystore.create(dir);
        Files.writeString(dir.resolve("keystore-password"), TestKeystore.PASSWORD + "\n");
        Settings settings = SettingsLoader.load("host=127.0.0.1,port=0,metrics.username=prometheus,"
                + "metrics.password-env=SCRAPE_PASSWORD,metrics.tls.keystore=" + keystore
                + ",metrics.tls.keystore-password-file=" + dir.resolve("keystore-password"), Map.of(),
                Map.of("SCRAPE_PASSWORD", "pa55word"));
        MetricsAccess access = MetricsAccess.read(settings, Map.of("SCRAPE_PASSWORD", "pa55word"));
        server = MetricsServer.builder(TestServers.registry(3), () -> { }).address("127.0.0.1", 0)
                .basicAuth(access.username(), access.password()).tls(access.tls()).start();
        client = TestKeystore.clientTrusting(keystore);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Socket tls() {
        try {
            SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket();
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
            return socket;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RawHttp.Answer scrape(String credentials) throws IOException {
        String authorization = credentials == null ? "" : "Authorization: Basic "
                + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)) + "\r\n";
        return RawHttp.send(MetricsTlsTest::tls, ("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n" + authorization + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aScrapeOverTlsWithTheRightCredentialsAnswers() throws IOException {
        RawHttp.Answer answer = scrape("prometheus:pa55word");
        assertEquals(200, answer.status);
        assertTrue(answer.text().contains("test_requests_total"), answer.text());
    }

    @Test
    void wrongCredentialsOverTlsAreUnauthorized() throws IOException {
        assertEquals(401, scrape("prometheus:wrong").status);
        assertEquals(401, scrape(null).status);
    }

    @Test
    void plainHttpToTheTlsPortIsClosedCountedAndLeavesNothingOpen() throws Exception {
        long errorsBefore = server.errors().count();
        long filesBefore = TestServers.openFiles();
        for (int i = 0; i < 200; i++) {
            RawHttp.Answer answer = RawHttp.get(server.port(), "/metrics");
            assertEquals(-1, answer.status);
        }
        TestServers.awaitNoConnections(server);
        assertEquals(errorsBefore + 200, TestServers.awaitErrors(server, errorsBefore + 200));
        long filesAfter = TestServers.awaitOpenFilesAtMost(filesBefore + 10);
        assertTrue(filesAfter <= filesBefore + 10, filesBefore + " -> " + filesAfter);
        assertEquals(200, scrape("prometheus:pa55word").status);
    }
}
