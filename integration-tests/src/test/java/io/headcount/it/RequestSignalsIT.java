package io.headcount.it;

import static io.headcount.it.harness.PrometheusText.labels;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.headcount.it.harness.AppProcess;
import io.headcount.it.harness.FreePorts;
import io.headcount.it.harness.Http;
import io.headcount.it.harness.MetricsEndpoint;
import io.headcount.it.harness.PrometheusText;
import io.headcount.it.harness.UserAgents;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Consent signals, the signed-in share and client hints, end to end: the test app with the agent
 * ({@code auth.cookie=remember-me}), requests that carry {@code Sec-GPC}, {@code DNT}, a user
 * principal (the test app's valve signs in whoever {@code X-Test-User} names), an
 * {@code Authorization} header, the session cookie, and Chromium's client hints; one scrape.
 */
class RequestSignalsIT {
    private static final String CHROME_ANDROID = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36"
            + " (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
    private static final int REQUESTS = 8;

    private static AppProcess app;
    private static PrometheusText scrape;
    private static final List<String> notOk = new ArrayList<>();

    @BeforeAll
    static void sendAndScrape() {
        int metricsPort = FreePorts.pick();
        app = AppProcess.named("request-signals")
                .agent("port=" + metricsPort + ",auth.cookie=remember-me")
                .appArgs("--http-server-port", "0")
                .start();
        // Opted out: counted as requests, never as visitors.
        send(UserAgents.CHROME_WINDOWS, "203.0.113.20", "Sec-GPC", "1");
        send(UserAgents.CHROME_WINDOWS, "203.0.113.20", "Sec-GPC", "1");
        send(UserAgents.FIREFOX_LINUX, "203.0.113.21", "DNT", "1");
        // Visitors: an anonymous Safari; signed in by the container, by a header and by the cookie.
        send(UserAgents.SAFARI_IPHONE, "203.0.113.22");
        send(UserAgents.CHROME_WINDOWS, "203.0.113.23", "X-Test-User", "ada",
                "Sec-CH-UA", "\"Microsoft Edge\";v=\"143\", \"Chromium\";v=\"143\", \"Not A(Brand\";v=\"24\"",
                "Sec-CH-UA-Mobile", "?0", "Sec-CH-UA-Platform", "\"Windows\"");
        send(UserAgents.CURL, "198.51.100.9", "Authorization", "Bearer not-a-real-token");
        send(CHROME_ANDROID, "203.0.113.24", "Cookie", "theme=dark; remember-me=t0k",
                "Sec-CH-UA", "\"Google Chrome\";v=\"131\", \"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\"",
                "Sec-CH-UA-Mobile", "?0", "Sec-CH-UA-Platform", "\"Android\"");
        // A cookie cleared at sign-out is no session.
        send(UserAgents.FIREFOX_LINUX, "203.0.113.25", "Cookie", "remember-me=; theme=dark");
        try {
            scrape = new MetricsEndpoint(metricsPort).scrapeUntil(s -> s.sum("headcount_requests_total") >= REQUESTS);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + app.output(), e);
        }
    }

    private static void send(String userAgent, String address, String... headers) {
        Http.Request request = new Http().get(app.url("/api/users")).userAgent(userAgent).forwardedFor(address);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        int status = request.status();
        if (status != 200) {
            notOk.add(userAgent + " got " + status);
        }
    }

    @AfterAll
    static void stopApp() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void everyRequestWasServedAndCounted() {
        assertEquals(List.of(), notOk);
        assertEquals(REQUESTS, scrape.sum("headcount_requests_total"));
    }

    @Test
    void gpcAndDntRequestsAreCountedAsOptedOutAndAddNoVisitor() {
        assertEquals(3.0, scrape.valueOrZero("headcount_requests_opted_out_total"));
        // Five visitors: the three opted-out requests' two would make seven.
        assertEquals(Map.of(labels("client", "browser"), 4.0, labels("client", "script"), 1.0),
                scrape.nonZeroSeries("headcount_unique_visitors_total"));
        assertEquals(Map.of(labels("client", "browser"), 4.0, labels("client", "script"), 1.0),
                scrape.nonZeroSeries("headcount_unique_visitors_today"));
    }

    @Test
    void signedInRequestsAreThoseWithAPrincipalAnAuthorizationHeaderOrTheCookie() {
        assertEquals(Map.of(labels("auth", "authenticated"), 3.0, labels("auth", "anonymous"), 5.0),
                scrape.series("headcount_requests_by_auth_total"));
    }

    @Test
    void clientHintsDecideBrowserOsAndDevice() {
        assertEquals(Map.of(
                        labels("client", "browser", "browser", "Chrome", "os", "Windows", "device", "desktop"), 2.0,
                        labels("client", "browser", "browser", "Edge", "os", "Windows", "device", "desktop"), 1.0,
                        labels("client", "browser", "browser", "Chrome", "os", "Android", "device", "tablet"), 1.0,
                        labels("client", "browser", "browser", "Firefox", "os", "Linux", "device", "desktop"), 2.0,
                        labels("client", "browser", "browser", "Safari", "os", "iOS", "device", "mobile"), 1.0,
                        labels("client", "script", "browser", "curl", "os", "unknown", "device", "script"), 1.0),
                scrape.nonZeroSeries("headcount_requests_by_client_total"));
    }
}
