package io.headcount.it.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.it.harness.AppProcess;
import io.headcount.it.harness.FreePorts;
import io.headcount.it.harness.Http;
import io.headcount.it.harness.MetricsEndpoint;
import io.headcount.it.harness.PrometheusText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, item 3: Redis over TLS for real. A {@code redis-server} serving TLS only
 * ({@code port 0}, {@code tls-port}) with a certificate from a CA the test makes; the agent, given
 * {@code rediss://} and {@code redis.tls.ca-file}, connects and counts. A certificate that does not
 * name the host, or a CA the agent was not told of, is refused with one clear line and never
 * answered in plain text. The password appears in no log line, metric or exception message.
 */
class RedisTlsIT {
    private static final String PASSWORD = "tls-Secret-7f3a91";
    private static final int VISITORS = 40;

    private final TestCertificates certificates = new TestCertificates();
    private final List<RedisNode> servers = new ArrayList<>();
    private final List<AppProcess> apps = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AppProcess app : apps) {
            app.close();
        }
        for (RedisNode server : servers) {
            server.close();
        }
    }

    /** A TLS-only Redis with the given certificate, requiring {@link #PASSWORD}. */
    private RedisNode tlsServer(Path[] keyAndCertificate) {
        int port = FreePorts.pick();
        RedisNode server = RedisNode.start("redis-server", port, List.of(
                "port 0", "tls-port " + port,
                "tls-cert-file " + keyAndCertificate[1], "tls-key-file " + keyAndCertificate[0],
                "tls-ca-cert-file " + certificates.caCertificate(), "tls-auth-clients no",
                "requirepass " + PASSWORD, "appendonly no"),
                List.of("--tls", "--insecure", "-a", PASSWORD, "--no-auth-warning"));
        servers.add(server);
        return server;
    }

    private AppProcess app(String name, int metricsPort, String settings) {
        AppProcess app = AppProcess.named(name).agent("port=" + metricsPort + "," + settings).launch();
        apps.add(app);
        return app.awaitReady();
    }

    private static void assertNoPassword(AppProcess app, MetricsEndpoint metrics) {
        String scrape = new Http().get(metrics.url()).send().body();
        assertFalse(app.output().contains(PASSWORD), "the password appears in the app's output:\n" + app.output());
        assertFalse(scrape.contains(PASSWORD), "the password appears in a scrape");
    }

    @Test
    void rediss_withThePrivateCaFile_connectsAndCountsEveryVisitorOnce() throws Exception {
        RedisNode redis = tlsServer(certificates.server("redis-good", "IP:127.0.0.1,DNS:localhost"));
        int metricsPort = FreePorts.pick();
        MetricsEndpoint metrics = new MetricsEndpoint(metricsPort);
        AppProcess app = app("redis-tls-good", metricsPort, "redis.url=rediss://:" + PASSWORD + "@127.0.0.1:" + redis.port()
                + ",redis.tls.ca-file=" + certificates.caCertificate());
        metrics.scrapeUntil(text -> text.valueOrZero("headcount_redis_up") == 1.0);

        VisitorTraffic traffic = new VisitorTraffic(15_3);
        List<VisitorTraffic.Visit> visits = traffic.plan(0, VISITORS, 2, 3);
        traffic.send(visits, i -> app, 0);
        PrometheusText scrape = metrics.scrapeUntil(text -> text.sum("headcount_requests_total") == visits.size()
                && text.sum("headcount_visitors_pending") == 0
                && text.valueOrZero("headcount_unique_visitors_today", "client", "browser") == VISITORS);
        System.out.println("TLS: " + visits.size() + " requests, counted " + scrape.sum("headcount_unique_visitors_total")
                + " of " + VISITORS + " visitors, gauge " + scrape.valueOrZero("headcount_unique_visitors_today", "client", "browser"));
        assertEquals(VISITORS, scrape.sum("headcount_unique_visitors_total"));
        assertEquals(VISITORS, scrape.valueOrZero("headcount_unique_visitors_today", "client", "browser"));
        assertEquals(0, scrape.sum("headcount_visitors_inexact_total"));
        assertEquals(1.0, scrape.valueOrZero("headcount_redis_up"));
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        assertEquals(String.valueOf(VISITORS), redis.cli("SCARD", "headcount:" + today + ":visitors:browser"));
        assertEquals(1, app.stderrLines().stream().filter(line -> line.contains("127.0.0.1:" + redis.port() + " (TLS) is up")).count(),
                app.output());
        // The server only speaks TLS: every client it knows of came over it.
        assertTrue(redis.cli("CLIENT", "LIST").lines().count() >= 2, redis.cli("CLIENT", "LIST"));
        assertNoPassword(app, metrics);
    }

    @Test
    void aCertificateThatDoesNotNameTheHostOrComesFromAnUnknownCaIsRefusedWithOneLine() throws Exception {
        RedisNode wrongName = tlsServer(certificates.server("redis-elsewhere", "DNS:redis.elsewhere.example"));
        RedisNode good = tlsServer(certificates.server("redis-good", "IP:127.0.0.1"));
        int mismatchPort = FreePorts.pick();
        int unknownCaPort = FreePorts.pick();
        AppProcess mismatch = app("redis-tls-mismatch", mismatchPort, "redis.url=rediss://:" + PASSWORD + "@127.0.0.1:"
                + wrongName.port() + ",redis.tls.ca-file=" + certificates.caCertificate() + ",redis.timeout-ms=500");
        // No redis.tls.ca-file: the JVM's trusted CAs do not know the test's CA.
        AppProcess unknownCa = app("redis-tls-unknown-ca", unknownCaPort, "redis.url=rediss://:" + PASSWORD + "@127.0.0.1:"
                + good.port() + ",redis.timeout-ms=500");
        List<MetricsEndpoint> metrics = List.of(new MetricsEndpoint(mismatchPort), new MetricsEndpoint(unknownCaPort));
        List<AppProcess> both = List.of(mismatch, unknownCa);
        for (int i = 0; i < 2; i++) {
            AppProcess app = both.get(i);
            // The line comes with the first refused handshake (a first try may time out on a busy machine);
            // retries go on (errors grow) without another line.
            assertTrue(app.awaitStderr(line -> line.contains("TLS certificate was refused"), Duration.ofSeconds(60)) != null,
                    app.output());
            double errors = metrics.get(i).scrape().valueOrZero("headcount_redis_errors_total");
            metrics.get(i).scrapeUntil(text -> text.valueOrZero("headcount_redis_errors_total") >= errors + 2);
            for (int visitor = 0; visitor < 5; visitor++) {
                assertEquals(200, new Http().get(app.url("/api/users")).userAgent(VisitorTraffic.userAgent(visitor))
                        .forwardedFor(VisitorTraffic.address(visitor)).status());
            }
            PrometheusText scrape = metrics.get(i).scrapeUntil(text -> text.sum("headcount_requests_total") == 5);
            assertEquals(0.0, scrape.valueOrZero("headcount_redis_up"));
            assertEquals(5, scrape.sum("headcount_requests_total"));
            List<String> refused = app.stderrLines().stream().filter(line -> line.contains("TLS certificate was refused")).toList();
            System.out.println("TLS refused: " + refused);
            assertEquals(1, refused.size(), app.output());
            assertTrue(refused.get(0).contains("[headcount]") && refused.get(0).contains("not connecting without TLS"), refused.get(0));
            assertEquals(0, app.stderrLines().stream().filter(line -> line.contains(" is up")).count(), app.output());
            assertNoPassword(app, metrics.get(i));
        }
        assertTrue(mismatch.stderrLines().stream().anyMatch(line -> line.contains("TLS certificate was refused")
                && line.toLowerCase().contains("127.0.0.1")), mismatch.output());
    }

    @Test
    void aCaFileThatHoldsNoCertificateIsOneLineAtStartAndTheAppRuns() throws Exception {
        Path notPem = Files.createTempFile("headcount-not-a-ca-", ".pem");
        Files.writeString(notPem, "not a certificate\n");
        int metricsPort = FreePorts.pick();
        AppProcess app = app("redis-tls-bad-ca-file", metricsPort, "redis.url=rediss://:" + PASSWORD + "@127.0.0.1:" + FreePorts.pick()
                + ",redis.tls.ca-file=" + notPem);
        String line = app.awaitStderr(text -> text.contains("redis.tls.ca-file"), Duration.ofSeconds(20));
        assertTrue(line != null && line.contains("holds no") && line.contains("[headcount]"), app.output());
        assertEquals(200, new Http().get(app.url("/api/users")).status());
        assertFalse(app.output().contains(PASSWORD), app.output());
    }
}
