package io.headcount.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.it.harness.AppProcess;
import io.headcount.it.harness.FreePorts;
import io.headcount.testsupport.TestKeystore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged agent with basic auth and TLS configured as an operator would: files, one line each. */
class MetricsAccessControlIT {
    private static final String PASSWORD = "correct horse battery";

    @TempDir
    static Path dir;
    private static AppProcess app;
    private static HttpClient client;
    private static int metricsPort;

    @BeforeAll
    static void start() throws Exception {
        Path keystore = TestKeystore.create(dir);
        Path password = Files.writeString(dir.resolve("metrics-password"), PASSWORD + "\n");
        Path keystorePassword = Files.writeString(dir.resolve("keystore-password"), TestKeystore.PASSWORD + "\n");
        metricsPort = FreePorts.pick();
        app = AppProcess.named("metrics-access-control")
                .agent("port=" + metricsPort + ",host=127.0.0.1,metrics.username=prometheus,metrics.password-file=" + password)
                .jvmArg("-Dheadcount.metrics.tls.keystore=" + keystore)
                .jvmArg("-Dheadcount.metrics.tls.keystore-password-file=" + keystorePassword)
                .start();
        client = HttpClient.newBuilder().sslContext(TestKeystore.clientTrusting(keystore))
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    private static HttpResponse<String> scrape(String credentials) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + metricsPort + "/metrics"))
                .timeout(Duration.ofSeconds(10));
        if (credentials != null) {
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The endpoint starts in the background after the app's first request or a few seconds. */
    private static HttpResponse<String> awaitScrape(String credentials) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            try {
                return scrape(credentials);
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    @Test
    void rightCredentialsOverTlsScrape() throws Exception {
        HttpResponse<String> response = awaitScrape("prometheus:" + PASSWORD);
        assertEquals(200, response.statusCode(), app.output());
        assertTrue(response.body().contains("headcount_metrics_errors_total"), response.body());
    }

    @Test
    void wrongOrMissingCredentialsAreUnauthorized() throws Exception {
        HttpResponse<String> wrong = awaitScrape("prometheus:wrong");
        assertEquals(401, wrong.statusCode());
        assertEquals("Basic realm=\"headcount\"", wrong.headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals(401, scrape(null).statusCode());
    }

    @Test
    void plainHttpToTheTlsPortFailsAndThePasswordIsNeverPrinted() throws Exception {
        awaitScrape(null);
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThrows(IOException.class, () -> plain.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()));
        assertTrue(app.output().contains("metrics at https://127.0.0.1:" + metricsPort + "/metrics (basic authentication)"),
                app.output());
        assertFalse(app.output().contains(PASSWORD), app.output());
        assertFalse(app.output().contains(TestKeystore.PASSWORD), app.output());
    }
}
