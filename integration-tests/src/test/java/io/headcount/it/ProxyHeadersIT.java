package io.headcount.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.headcount.it.harness.AppProcess;
import io.headcount.it.harness.FreePorts;
import io.headcount.it.harness.Http;
import io.headcount.it.harness.MetricsEndpoint;
import io.headcount.it.harness.PrometheusText;
import io.headcount.it.harness.UserAgents;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 finding 3 and issue 17, replayed against the test app with the packaged agent: the
 * test plays the proxy on loopback (trusted by default) and the clients behind it.
 */
class ProxyHeadersIT {
    private static final int REQUESTS = 100;

    @Test
    void clientSentForwardedValuesBehindAProxyThatAppendsXForwardedForAreOneVisitor() {
        int metricsPort = FreePorts.pick();
        try (AppProcess app = AppProcess.named("proxy-headers").agent("port=" + metricsPort)
                .appArgs("--http-server-port", "0").start()) {
            Http http = new Http();
            for (int i = 0; i < REQUESTS; i++) {
                // nginx's $proxy_add_x_forwarded_for appends the real client; Forwarded passes through.
                http.get(app.url("/api/users")).userAgent(UserAgents.CHROME_WINDOWS)
                        .header("Forwarded", "for=198.51.100." + i).forwardedFor("203.0.113.77").status();
            }
            // HAProxy's option forwardfor adds its own line below the client's X-Forwarded-For.
            http.get(app.url("/api/users")).userAgent(UserAgents.CHROME_WINDOWS)
                    .header("X-Forwarded-For", "198.51.100.250").header("X-Forwarded-For", "203.0.113.77").status();
            PrometheusText scrape = scrape(app, metricsPort, REQUESTS + 1);

            assertEquals(1.0, scrape.valueOrZero("headcount_unique_visitors_total", "client", "browser"),
                    app.output());
            assertEquals(0.0, scrape.valueOrZero("headcount_forwarded_ignored_total"));
        }
    }

    @Test
    void headersFromAnUntrustedPeerAreCountedAndLoggedOnceWithThePeersNetwork() {
        int metricsPort = FreePorts.pick();
        try (AppProcess app = AppProcess.named("proxy-headers-untrusted")
                .agent("port=" + metricsPort + ",trusted-proxies=")
                .appArgs("--http-server-port", "0").start()) {
            Http http = new Http();
            for (int i = 0; i < 30; i++) {
                http.get(app.url("/api/users")).userAgent(UserAgents.CHROME_WINDOWS)
                        .forwardedFor("198.51.100." + i).status();
            }
            http.get(app.url("/api/users")).userAgent(UserAgents.CHROME_WINDOWS)
                    .header("Forwarded", "for=198.51.100.99").status();
            http.get(app.url("/api/users")).userAgent(UserAgents.CHROME_WINDOWS).status();
            PrometheusText scrape = scrape(app, metricsPort, 32);

            // Forwarded is not the forwarded-header, so it is never read: only the 30 X-Forwarded-For requests count.
            assertEquals(30.0, scrape.valueOrZero("headcount_forwarded_ignored_total"), app.output());
            assertEquals(1.0, scrape.valueOrZero("headcount_unique_visitors_total", "client", "browser"));
            List<String> lines = app.stderrLines().stream().filter(line -> line.contains("ignored X-Forwarded-For"))
                    .map(line -> line.substring(line.indexOf(" WARN ") + 1)).toList();
            assertEquals(List.of("WARN [headcount] ignored X-Forwarded-For headers from a peer in 127.0.0.0/24,"
                    + " which is outside trusted-proxies: such requests' visitors are counted by the peer's address."
                    + " If a proxy or load balancer there forwards requests to this app, add its addresses to the"
                    + " setting trusted-proxies; headcount_forwarded_ignored_total counts these requests"
                    + " (this line repeats at most once an hour)"), lines);
        }
    }

    @Test
    void withForwardedAsTheHeaderItsForValuesAreTheClientsAndXForwardedForIsIgnored() {
        int metricsPort = FreePorts.pick();
        try (AppProcess app = AppProcess.named("proxy-headers-forwarded")
                .agent("port=" + metricsPort + ",forwarded-header=Forwarded")
                .appArgs("--http-server-port", "0").start()) {
            Http http = new Http();
            for (int i = 0; i < 10; i++) {
                // A proxy that writes RFC 7239 appends the client it saw; the client's own
                // X-Forwarded-For (a new address each time) passes through and must not count.
                http.get(app.url("/api/users")).userAgent(UserAgents.CHROME_WINDOWS)
                        .forwardedFor("192.0.2." + i).header("Forwarded", "for=198.51.100." + (i % 3)).status();
            }
            PrometheusText scrape = scrape(app, metricsPort, 10);

            assertEquals(3.0, scrape.valueOrZero("headcount_unique_visitors_total", "client", "browser"),
                    app.output());
            assertEquals(0.0, scrape.valueOrZero("headcount_forwarded_ignored_total"));
        }
    }

    private static PrometheusText scrape(AppProcess app, int metricsPort, int requests) {
        try {
            return new MetricsEndpoint(metricsPort).scrapeUntil(s -> s.sum("headcount_requests_total") >= requests);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + app.output(), e);
        }
    }
}
