package io.headcount.testapp;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * A little traffic for the demo: a few people in real browsers (each from its own address, given in
 * {@code X-Forwarded-For} as a proxy in front of the app would), a search-engine crawler and two
 * scripts, arriving from search results, a link site, the app's own pages or directly.
 */
final class DemoTraffic {
    private static final String CHROME_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"
            + " (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private static final String SAFARI_IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X)"
            + " AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1";
    private static final String FIREFOX_LINUX = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0)"
            + " Gecko/20100101 Firefox/133.0";
    private static final String EDGE_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"
            + " (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
    private static final String SAMSUNG_ANDROID = "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36"
            + " (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36";
    private static final String GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
    private static final String CURL = "curl/8.5.0";
    private static final String PYTHON_REQUESTS = "python-requests/2.32.3";

    private static final String GOOGLE = "https://www.google.com/";
    private static final String HACKER_NEWS = "https://news.ycombinator.com/item?id=42424242";
    private static final String INTERNAL = "{internal}";
    private static final String ORDER = "/api/orders/3f1c2a4e-7b5d-4e8f-9a0b-1c2d3e4f5a6b";

    /** One client's visit: who, from which address and page, asking for which paths in order. */
    private static final class Visit {
        final String who;
        final String userAgent;
        final String address;
        final String referer;
        final List<String> requests;

        Visit(String who, String userAgent, String address, String referer, String... requests) {
            this.who = who;
            this.userAgent = userAgent;
            this.address = address;
            this.referer = referer;
            this.requests = List.of(requests);
        }
    }

    private static final List<Visit> VISITS = List.of(
            new Visit("Chrome on Windows", CHROME_WINDOWS, "203.0.113.10", GOOGLE,
                    "GET /index.html", "GET /api/users", "GET /api/users/42", "GET /api/orders/not-an-order"),
            new Visit("Safari on iPhone", SAFARI_IPHONE, "203.0.113.11", HACKER_NEWS,
                    "GET /index.html", "GET " + ORDER, "GET /shop/products/7"),
            new Visit("Firefox on Linux", FIREFOX_LINUX, "203.0.113.12", INTERNAL,
                    "GET /api/users/7", "POST /api/orders", "GET /api/forward"),
            new Visit("Edge on Windows", EDGE_WINDOWS, "203.0.113.13", null,
                    "GET /api/include", "GET /api/users?page=2", "GET /api/boom"),
            new Visit("Samsung Internet on Android", SAMSUNG_ANDROID, "203.0.113.14", GOOGLE,
                    "GET /shop/products/3", "GET /api/users/0"),
            new Visit("Googlebot", GOOGLEBOT, "66.249.66.1", null,
                    "GET /index.html", "GET /robots.txt", "GET /api/users/1"),
            new Visit("curl", CURL, "198.51.100.7", null,
                    "GET /health", "GET /api/users"),
            new Visit("python-requests", PYTHON_REQUESTS, "198.51.100.8", null,
                    "GET /api/orders", "GET /wp-login.php"));

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String base;

    DemoTraffic(int appPort) {
        this.base = "http://localhost:" + appPort;
    }

    /**
     * Sends every visit, prints one line per client, and returns how many of the requests the agent
     * counts with its default settings ({@code /health} is excluded).
     */
    int send() throws InterruptedException {
        int counted = 0;
        for (Visit visit : VISITS) {
            StringBuilder line = new StringBuilder(String.format("  %-28s", visit.who));
            for (String request : visit.requests) {
                String[] methodAndPath = request.split(" ", 2);
                line.append(' ').append(methodAndPath[0].equals("GET") ? "" : methodAndPath[0] + " ")
                        .append(methodAndPath[1]).append(" ").append(send(visit, methodAndPath[0], methodAndPath[1]));
                if (!methodAndPath[1].startsWith("/health")) {
                    counted++;
                }
            }
            System.out.println(line);
        }
        return counted;
    }

    private String send(Visit visit, String method, String path) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(10))
                .header("User-Agent", visit.userAgent)
                .header("X-Forwarded-For", visit.address)
                .method(method, method.equals("POST")
                        ? HttpRequest.BodyPublishers.ofString("{\"items\":2}")
                        : HttpRequest.BodyPublishers.noBody());
        if (visit.referer != null) {
            request.header("Referer", visit.referer.equals(INTERNAL) ? base + "/index.html" : visit.referer);
        }
        try {
            return "(" + client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode() + ")";
        } catch (IOException e) {
            return "(failed: " + e + ")";
        }
    }
}
