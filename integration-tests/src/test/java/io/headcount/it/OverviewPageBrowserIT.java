package io.headcount.it;

import static io.headcount.it.harness.PrometheusText.labels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.it.harness.AppProcess;
import io.headcount.it.harness.FreePorts;
import io.headcount.it.harness.HeadlessChromium;
import io.headcount.it.harness.Http;
import io.headcount.it.harness.MetricsEndpoint;
import io.headcount.it.harness.PrometheusText;
import io.headcount.it.harness.UserAgents;
import io.headcount.it.harness.Visit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The overview page as an operator sees it: the test app with the agent gets a known mix of browsers,
 * OSs and devices, a crawler, scripts, referrers and 404s; then Debian's headless Chromium loads
 * {@code http://127.0.0.1:<metrics port>/} and every figure of the DOM it rendered is compared with
 * the scrape of {@code /metrics} taken right after, and with what the traffic implies. The screenshot
 * it takes is {@code target/overview.png} (the README's picture is one of these).
 */
class OverviewPageBrowserIT {
    private static final String GOOGLE_SEARCH = "https://www.google.com/search?q=headcount";
    private static final String GOOGLE_HOME = "https://www.google.com/";
    private static final String HACKER_NEWS = "https://news.ycombinator.com/item?id=42424242";
    private static final String DUCKDUCKGO = "https://duckduckgo.com/";
    private static final String GITHUB = "https://github.com/acme/shop";
    private static final String INTERNAL = Visit.INTERNAL;
    private static final String ORDER = "/api/orders/3f1c2a4e-7b5d-4e8f-9a0b-1c2d3e4f5a6b";
    private static final Path SCREENSHOT = Path.of("target", "overview.png");
    /** The DOM chromium rendered, kept for whoever looks into a failure. */
    private static final Path DOM = Path.of("target", "overview.html");
    private static final int BAR_WIDTH = 240;
    private static final Pattern ROW = Pattern.compile(
            "<tr><th scope=\"row\">(.*?)</th><td class=\"n\">(.*?)</td><td><svg [^>]*><rect width=\"(\\d+)\"");

    private static final List<Visit> TRAFFIC = List.of(
            // Eight people in browsers (the same Chrome from two addresses is two) ...
            new Visit(UserAgents.CHROME_WINDOWS, "203.0.113.10", GOOGLE_SEARCH,
                    "GET /index.html", "GET /api/users", "GET /api/users/42"),
            new Visit(UserAgents.SAFARI_IPHONE, "203.0.113.11", HACKER_NEWS,
                    "GET /index.html", "GET /shop/products/7", "GET " + ORDER),
            new Visit(UserAgents.SAFARI_IPAD, "203.0.113.12", DUCKDUCKGO,
                    "GET /index.html", "GET /shop/products/9"),
            new Visit(UserAgents.FIREFOX_LINUX, "203.0.113.13", INTERNAL,
                    "GET /api/users/7", "POST /api/orders", "GET /api/forward"),
            new Visit(UserAgents.EDGE_WINDOWS, "203.0.113.14", GITHUB,
                    "GET /api/include", "GET /api/boom"),
            new Visit(UserAgents.SAMSUNG_ANDROID, "203.0.113.15", GOOGLE_HOME,
                    "GET /shop/products/3", "GET /api/users/0"),
            new Visit(UserAgents.SAFARI_MAC, "203.0.113.16", null,
                    "GET /api/users", "GET /api/sysprops"),
            new Visit(UserAgents.CHROME_WINDOWS, "203.0.113.17", GOOGLE_SEARCH,
                    "GET /index.html"),
            // ... a crawler (no visitor) ...
            new Visit(UserAgents.GOOGLEBOT, "66.249.66.1", null,
                    "GET /index.html", "GET /robots.txt", "GET /api/users/1"),
            // ... and two scripts; BREW is no HTTP method, and the servlet answers 501.
            new Visit(UserAgents.CURL, "198.51.100.7", null,
                    "GET /api/users", "BREW /api/users"),
            new Visit(UserAgents.PYTHON_REQUESTS, "198.51.100.8", null,
                    "GET /wp-login.php", "GET /api/orders/not-an-order"));

    private static final int COUNTED_REQUESTS = 25;
    private static final int UNIQUE_VISITORS = 10;

    private static AppProcess app;
    private static String pageUrl;
    private static HttpResponse<String> served;
    private static HeadlessChromium.Page rendered;
    private static HeadlessChromium.Page screenshot;
    private static PrometheusText scrape;

    @BeforeAll
    static void sendTrafficThenLoadThePageInChromium() {
        // First, so that a machine without chromium fails at once, saying what to install.
        HeadlessChromium chromium = HeadlessChromium.find();
        int metricsPort = FreePorts.pick();
        app = AppProcess.named("overview-page")
                .agent("port=" + metricsPort)
                .start();
        Visit.sendAll(TRAFFIC, app, (request, status) -> { });
        MetricsEndpoint metrics = new MetricsEndpoint(metricsPort);
        // The worker counts on its own thread: the page is loaded once everything shows.
        metrics.scrapeUntil(s -> s.sum("headcount_requests_total") >= COUNTED_REQUESTS
                && s.sum("headcount_requests_by_client_total") >= COUNTED_REQUESTS
                && s.sum("headcount_requests_by_referrer_total") >= COUNTED_REQUESTS
                && s.sum("headcount_unique_visitors_total") >= UNIQUE_VISITORS);

        pageUrl = "http://127.0.0.1:" + metricsPort + "/";
        try {
            rendered = chromium.dumpDom(pageUrl);
            scrape = metrics.scrape();
            Files.writeString(DOM, rendered.dom());
            screenshot = chromium.screenshot(pageUrl, SCREENSHOT, 1200, 1600);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + app.output(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        served = new Http().get(pageUrl).send();
    }

    @AfterAll
    static void stopApp() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void visitorsByClientKindAreTheScrapesFigures() {
        // The exact figure of the visitor day where the agent serves it, else the counter since
        // start, and the heading says which.
        boolean today = !scrape.series("headcount_unique_visitors_today").isEmpty();
        String source = today ? "headcount_unique_visitors_today" : "headcount_unique_visitors_total";
        List<String> expected = fromScrape(source, "client", Integer.MAX_VALUE);
        assertEquals(List.of("browser = 8", "script = 2"), expected, source + " after the traffic");
        assertEquals(expected, rows("visitors"));

        String visitors = section("visitors");
        assertTrue(visitors.contains(today ? "<h2>Unique visitors today</h2>" : "<h2>Unique visitors since the agent started</h2>"),
                visitors);
        assertTrue(visitors.contains("<span class=\"figure\">" + UNIQUE_VISITORS + "</span>"), visitors);
    }

    @Test
    void topEndpointsAreTheScrapesFigures() {
        // Eleven endpoints were asked for; the page shows the ten most asked for, ties in name order.
        List<String> expected = fromScrape("headcount_requests_total", "endpoint", 10);
        assertEquals(List.of("/index.html = 5", "/api/users = 4", "not_found = 4", "/api/users/{id} = 3",
                "/shop/products/{id} = 3", "/api/boom = 1", "/api/forward = 1", "/api/include = 1", "/api/orders = 1",
                "/api/orders/{id} = 1"), expected);
        assertEquals(expected, rows("endpoints"));
        assertEquals(1.0, scrape.sumBy("headcount_requests_total", "endpoint")
                .get(labels("endpoint", "/api/sysprops")), "the eleventh, left off the page");
    }

    @Test
    void clientKindsBrowsersOsAndDevicesAreTheScrapesFigures() {
        assertSection(List.of("browser = 18", "script = 4", "bot = 3"), "clients",
                "headcount_requests_total", "client", Integer.MAX_VALUE);
        assertSection(List.of("Safari = 7", "Chrome = 4", "Firefox = 3", "bot = 3", "Edge = 2",
                        "Samsung Internet = 2", "curl = 2", "python-requests = 2"), "browsers",
                "headcount_requests_by_client_total", "browser", Integer.MAX_VALUE);
        assertSection(List.of("unknown = 7", "Windows = 6", "iOS = 5", "Linux = 3", "Android = 2", "macOS = 2"), "os",
                "headcount_requests_by_client_total", "os", Integer.MAX_VALUE);
        assertSection(List.of("desktop = 11", "mobile = 5", "script = 4", "bot = 3", "tablet = 2"), "devices",
                "headcount_requests_by_client_total", "device", Integer.MAX_VALUE);
    }

    @Test
    void referrersAndStatusClassesAreTheScrapesFigures() {
        assertSection(List.of("direct = 9", "google.com = 6", "internal = 3", "news.ycombinator.com = 3",
                        "duckduckgo.com = 2", "github.com = 2"), "referrers",
                "headcount_requests_by_referrer_total", "referrer", 10);
        // Status classes in their own order, not by count.
        List<String> expected = byName(sums("headcount_requests_total", "status_class"));
        assertEquals(List.of("2xx = 19", "4xx = 4", "5xx = 2"), expected);
        assertEquals(expected, rows("status"));
        assertTrue(rendered.dom().contains(COUNTED_REQUESTS + " requests counted since the agent started"), rendered.dom());
    }

    @Test
    void eachBarIsItsRowsShareOfTheLargestInItsSection() {
        for (String id : List.of("visitors", "endpoints", "clients", "browsers", "os", "devices", "referrers", "status")) {
            List<String[]> shown = new ArrayList<>();
            double max = 0;
            Matcher row = ROW.matcher(section(id));
            while (row.find()) {
                shown.add(new String[] {row.group(1), row.group(2), row.group(3)});
                max = Math.max(max, Double.parseDouble(row.group(2)));
            }
            assertFalse(shown.isEmpty(), id);
            List<String> expected = new ArrayList<>();
            List<String> widths = new ArrayList<>();
            for (String[] nameFigureWidth : shown) {
                expected.add(nameFigureWidth[0] + " " + Math.round(BAR_WIDTH * Double.parseDouble(nameFigureWidth[1]) / max));
                widths.add(nameFigureWidth[0] + " " + nameFigureWidth[2]);
            }
            assertEquals(expected, widths, id);
        }
    }

    @Test
    void thePageLoadsNothingAndLinksNowhereButMetrics() {
        assertEquals(200, served.statusCode());
        assertEquals("default-src 'none'; style-src 'unsafe-inline'",
                served.headers().firstValue("Content-Security-Policy").orElse("(none)"));
        String dom = rendered.dom();
        for (String loader : List.of("<script", "<link", "<img", "<iframe", "<object", "<embed", "<form", "src=",
                "srcset=", "url(", "@import", "http://", "https://")) {
            assertFalse(dom.contains(loader), "the page holds " + loader + ":\n" + dom);
        }
        Matcher href = Pattern.compile("href=\"([^\"]*)\"").matcher(dom);
        List<String> links = new ArrayList<>();
        while (href.find()) {
            links.add(href.group(1));
        }
        assertEquals(List.of("metrics"), links);

        // What chromium fetched for the page: the page itself, and the icon every browser asks its
        // origin for on its own (the page names none); nothing on any other host or path.
        for (HeadlessChromium.Page run : List.of(rendered, screenshot)) {
            List<String> forThePage = new ArrayList<>();
            for (HeadlessChromium.Request request : run.requests()) {
                // Made for the page, wherever to; the rest is the browser's own (update and account
                // checks, which find no host here).
                if (request.isolationKey.startsWith("http://127.0.0.1") || request.url.startsWith("http://127.0.0.1")) {
                    forThePage.add(request.url);
                }
            }
            assertTrue(forThePage.contains(pageUrl), "chromium did not load " + pageUrl + ": " + run.requests());
            forThePage.removeIf(url -> url.equals(pageUrl) || url.equals(pageUrl + "favicon.ico"));
            assertEquals(List.of(), forThePage, "requests beyond the page");
        }
    }

    @Test
    void noRawAddressOrUserAgentReachesThePage() {
        String dom = rendered.dom();
        for (Visit visit : TRAFFIC) {
            assertFalse(dom.contains(visit.address()), visit.address());
            assertFalse(dom.contains(visit.userAgent()) || dom.contains("Mozilla") || dom.contains("KHTML"), visit.userAgent());
        }
        assertFalse(dom.contains("3f1c2a4e") || dom.contains("q=headcount"), "ids and queries are not shown");
    }

    @Test
    void theScreenshotIsAPictureOfTheWholeWindow() throws IOException {
        byte[] png = Files.readAllBytes(SCREENSHOT);
        assertTrue(png.length > 8 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG at " + SCREENSHOT);
        // IHDR: width and height, big-endian, at bytes 16 and 20.
        assertEquals(1200, ByteBuffer.wrap(png, 16, 4).getInt());
        assertEquals(1600, ByteBuffer.wrap(png, 20, 4).getInt());
    }

    private static void assertSection(List<String> expected, String id, String metric, String label, int top) {
        List<String> fromScrape = fromScrape(metric, label, top);
        assertEquals(expected, fromScrape, metric + " by " + label + " after the traffic");
        assertEquals(fromScrape, rows(id), "section " + id + " against the scrape");
    }

    /** The page's rule, applied to the scrape: summed by one label, highest first, ties by name, zeros left out. */
    private static List<String> fromScrape(String metric, String label, int top) {
        Map<String, Double> sums = sums(metric, label);
        List<Map.Entry<String, Double>> rows = new ArrayList<>(sums.entrySet());
        rows.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        List<String> shown = new ArrayList<>();
        for (Map.Entry<String, Double> row : rows.subList(0, Math.min(top, rows.size()))) {
            shown.add(row.getKey() + " = " + whole(row.getValue()));
        }
        return shown;
    }

    private static List<String> byName(Map<String, Double> sums) {
        List<String> shown = new ArrayList<>();
        sums.forEach((value, sum) -> shown.add(value + " = " + whole(sum)));
        return shown;
    }

    /** Label value to sum, non-zero only, in label value order. */
    private static Map<String, Double> sums(String metric, String label) {
        Map<String, Double> sums = new TreeMap<>();
        Map<String, Double> byLabel = scrape.sumBy(metric, label);
        for (String value : scrape.labelValues(metric, label)) {
            Double sum = byLabel.get(labels(label, value));
            if (sum != null) {
                sums.put(value, sum);
            }
        }
        return sums;
    }

    private static String whole(double value) {
        assertEquals(Math.rint(value), value, "counts are whole");
        return Long.toString((long) value);
    }

    /** The rows of one section of the rendered DOM, as "name = figure". */
    private static List<String> rows(String id) {
        List<String> rows = new ArrayList<>();
        Matcher row = ROW.matcher(section(id));
        while (row.find()) {
            rows.add(text(row.group(1)) + " = " + text(row.group(2)));
        }
        return rows;
    }

    private static String section(String id) {
        String dom = rendered.dom();
        int start = dom.indexOf("<section id=\"" + id + "\">");
        assertTrue(start >= 0, "no section " + id + " in the DOM chromium rendered:\n" + dom);
        return dom.substring(start, dom.indexOf("</section>", start));
    }

    /** Text as the DOM serializes it, back to characters. */
    private static String text(String serialized) {
        return serialized.replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", "\u00a0").replace("&amp;", "&");
    }
}
