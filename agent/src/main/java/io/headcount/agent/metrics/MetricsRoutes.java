package io.headcount.agent.metrics;

import java.io.IOException;
import java.net.InetAddress;
import java.util.function.BooleanSupplier;

/**
 * What the endpoint answers to a request: exactly {@code GET} and {@code HEAD} on
 * {@code /metrics} and on {@code /}, the overview page (any query ignored), 404 for every other path, 405 for other methods, 401
 * without the configured credentials, 429 to a client that sent wrong ones too often
 * ({@link LoginThrottle}), 400 for a malformed request.
 */
final class MetricsRoutes {
    static final String METRICS_PATH = "/metrics";
    static final String OVERVIEW_PATH = "/";
    static final String ALLOWED_METHODS = "GET, HEAD";

    private final ScrapeRenderer renderer;
    /** null when no credentials are asked for. */
    private final BasicAuth auth;
    private final LoginThrottle logins = new LoginThrottle();
    private final MetricsErrors errors;

    MetricsRoutes(ScrapeRenderer renderer, BasicAuth auth, MetricsErrors errors) {
        this.renderer = renderer;
        this.auth = auth;
        this.errors = errors;
    }

    /**
     * @param head the parsed request, or null when it was malformed
     * @param client the client's address, whose wrong credentials are counted against it
     * @param waitMillis how long a scrape may wait for a free render
     * @param clientGone true when the client has closed its connection (asked before rendering)
     */
    HttpResponse respond(RequestHead head, InetAddress client, long waitMillis, BooleanSupplier clientGone)
            throws IOException, InterruptedException {
        if (head == null) {
            return HttpResponse.status(400);
        }
        // Credentials first: a client without them learns nothing, not even which paths exist.
        if (auth != null) {
            long now = System.nanoTime();
            if (!logins.mayTry(client, now)) {
                errors.record("wrong credentials too often from one client; answered 429", null);
                return HttpResponse.status(429).header("Retry-After", "1");
            }
            String authorization = head.header("Authorization");
            if (!auth.allows(authorization)) {
                // A request without credentials is how a browser asks which ones: no try spent.
                if (authorization != null) {
                    logins.failed(client, now);
                    errors.record("wrong credentials", null);
                }
                return HttpResponse.status(401).header("WWW-Authenticate", BasicAuth.CHALLENGE);
            }
        }
        boolean overview = head.path().equals(OVERVIEW_PATH);
        if (!overview && !head.path().equals(METRICS_PATH)) {
            return HttpResponse.status(404);
        }
        if (!isGetOrHead(head.method())) {
            return HttpResponse.status(405).header("Allow", ALLOWED_METHODS);
        }
        if (head.hasBody()) {
            return HttpResponse.status(413);
        }
        if (overview) {
            ScrapeRenderer.Scrape page = renderer.renderOverview(waitMillis, clientGone);
            return page == null ? HttpResponse.status(503) : HttpResponse.page(page)
                    .header("Content-Security-Policy", OverviewPage.CONTENT_SECURITY_POLICY)
                    .header("Cache-Control", "no-store")
                    .header("X-Content-Type-Options", "nosniff");
        }
        ScrapeRenderer.Scrape scrape = renderer.render(head.header("Accept"), head.header("Accept-Encoding"), waitMillis,
                clientGone);
        return scrape == null ? HttpResponse.status(503) : HttpResponse.scrape(scrape);
    }

    static boolean isGetOrHead(String method) {
        return method.equals("GET") || method.equals("HEAD");
    }
}
