package io.headcount.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.testsupport.HostileInputs;
import io.prometheus.metrics.core.metrics.Gauge;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OverviewPageTest {
    private static final Pattern ROW = Pattern.compile(
            "<tr><th scope=\"row\">(.*?)</th><td class=\"n\">(.*?)</td><td><svg viewBox=\"0 0 240 14\""
                    + " preserveAspectRatio=\"none\" width=\"100%\" height=\"14\" aria-hidden=\"true\">"
                    + "<rect width=\"(\\d+)\" height=\"14\" fill=\"#3b7dd8\"/></svg></td></tr>");

    /** The request counters of a known day: 13 requests in all. */
    private static HeadcountMetrics knownTraffic() {
        HeadcountMetrics metrics = new HeadcountMetrics();
        for (int i = 0; i < 4; i++) {
            metrics.request("/api/users", "GET", "2xx", "browser", "Chrome", "Windows", "desktop", "news.ycombinator.com", 0.01);
        }
        for (int i = 0; i < 3; i++) {
            metrics.request("/api/users/{id}", "GET", "2xx", "browser", "Safari", "iOS", "mobile", "google.com", 0.02);
        }
        metrics.request("/api/users/{id}", "POST", "5xx", "browser", "Safari", "iOS", "mobile", "direct", 0.3);
        metrics.request("not_found", "GET", "4xx", "browser", "Firefox", "Linux", "desktop", "direct", 0.001);
        metrics.request("not_found", "GET", "4xx", "bot", "bot", "unknown", "bot", "direct", 0.001);
        metrics.request("/shop/products/{id}", "GET", "2xx", "script", "curl", "unknown", "script", "internal", 0.005);
        metrics.request("/shop/products/{id}", "GET", "3xx", "script", "curl", "unknown", "script", "internal", 0.005);
        metrics.request("/a<b>&\"c'", "GET", "2xx", "unknown", "unknown", "unknown", "unknown", "other", 0.005);
        metrics.uniqueVisitor("browser").inc(3);
        metrics.uniqueVisitor("script").inc();
        return metrics;
    }

    @Test
    void showsEachLabelsSumsHighestFirstWithBarsScaledToTheHighest() {
        HeadcountMetrics metrics = knownTraffic();
        Gauge today = Gauge.builder(HeadcountMetrics.PROPERTIES).name("headcount_unique_visitors_today")
                .help("today").labelNames("client").register(metrics.registry());
        today.labelValues("browser").set(2);
        today.labelValues("script").set(1);
        today.labelValues("unknown").set(0);

        String page = OverviewPage.render(metrics.registry().scrape());

        assertEquals(rows("browser", "2", 240, "script", "1", 120), section(page, "visitors"));
        assertTrue(page.contains("<h2>Unique visitors today</h2>\n<p><span class=\"figure\">3</span>"), page);
        assertEquals(rows("/api/users", "4", 240, "/api/users/{id}", "4", 240, "/shop/products/{id}", "2", 120,
                "not_found", "2", 120, "/a&lt;b&gt;&amp;&quot;c&#39;", "1", 60), section(page, "endpoints"));
        assertEquals(rows("browser", "9", 240, "script", "2", 53, "bot", "1", 27, "unknown", "1", 27),
                section(page, "clients"));
        assertEquals(rows("Chrome", "4", 240, "Safari", "4", 240, "curl", "2", 120, "Firefox", "1", 60,
                "bot", "1", 60, "unknown", "1", 60), section(page, "browsers"));
        assertEquals(rows("Windows", "4", 240, "iOS", "4", 240, "unknown", "4", 240, "Linux", "1", 60),
                section(page, "os"));
        assertEquals(rows("desktop", "5", 240, "mobile", "4", 192, "script", "2", 96, "bot", "1", 48,
                "unknown", "1", 48), section(page, "devices"));
        assertEquals(rows("news.ycombinator.com", "4", 240, "direct", "3", 180, "google.com", "3", 180,
                "internal", "2", 120, "other", "1", 60), section(page, "referrers"));
        assertEquals(rows("2xx", "9", 240, "3xx", "1", 27, "4xx", "2", 53, "5xx", "1", 27), section(page, "status"));
        assertTrue(page.contains("13 requests counted since the agent started; visitors of the current visitor day"), page);
    }

    @Test
    void withoutTheDayGaugeTheVisitorCounterIsShownAsWhatItIs() {
        String page = OverviewPage.render(knownTraffic().registry().scrape());

        assertTrue(page.contains("<h2>Unique visitors since the agent started</h2>\n<p><span class=\"figure\">4</span>"), page);
        assertFalse(page.contains("today"), page);
        assertEquals(rows("browser", "3", 240, "script", "1", 80), section(page, "visitors"));
    }

    @Test
    void anEmptyRegistrySaysNothingIsCountedYet() {
        String page = OverviewPage.render(new HeadcountMetrics().registry().scrape());

        assertTrue(page.contains("<span class=\"figure\">0</span>"), page);
        for (String id : List.of("visitors", "endpoints", "clients", "browsers", "os", "devices", "referrers", "status")) {
            assertTrue(sectionText(page, id).contains("nothing counted yet"), id);
        }
    }

    @Test
    void selfContainedNoScriptNoExternalAssetNoLinkOutside() {
        String page = OverviewPage.render(knownTraffic().registry().scrape());

        assertTrue(page.startsWith("<!DOCTYPE html>\n"));
        assertFalse(page.contains("<script"), "no script");
        assertFalse(page.contains("http:") || page.contains("https:") || page.contains("src="), "no external asset");
        assertFalse(page.contains("<img") || page.contains("<link"), "no external asset");
        assertTrue(page.contains("<a href=\"metrics\">/metrics</a>"), "the only link, relative to the page");
    }

    @Test
    void topTenOnlyForEndpoints() {
        HeadcountMetrics metrics = new HeadcountMetrics();
        for (int i = 1; i <= 12; i++) {
            for (int n = 0; n < i; n++) {
                metrics.request("/e" + i, "GET", "2xx", "browser", "Chrome", "Linux", "desktop", "direct", 0.01);
            }
        }
        Map<String, String> endpoints = values(section(OverviewPage.render(metrics.registry().scrape()), "endpoints"));
        assertEquals(List.of("/e12", "/e11", "/e10", "/e9", "/e8", "/e7", "/e6", "/e5", "/e4", "/e3"),
                List.copyOf(endpoints.keySet()));
        assertEquals("12", endpoints.get("/e12"));
    }

    static Stream<String> hostileLabelValues() {
        return HostileInputs.strings(20261203L, 200).stream();
    }

    /** Label values come from requests: whatever they hold, the page's markup stays the page's. */
    @ParameterizedTest
    @MethodSource("hostileLabelValues")
    void anyLabelValueIsShownAsTextOnly(String value) {
        String shown = OverviewPage.escape(value);
        assertFalse(shown.contains("<") || shown.contains(">") || shown.contains("\"") || shown.contains("'"), shown);

        assertEquals(pageWithEndpointAndReferrer("zzlabelzz").replace("zzlabelzz", shown), pageWithEndpointAndReferrer(value),
                "the page with the value is the page with a plain word, the value escaped in its place");
    }

    private static String pageWithEndpointAndReferrer(String value) {
        HeadcountMetrics metrics = new HeadcountMetrics();
        metrics.request(value, "GET", "2xx", "browser", "Chrome", "Linux", "desktop", value, 0.01);
        return OverviewPage.render(metrics.registry().scrape());
    }

    @Test
    void numbersAreWholeUnlessTheyAreNot() {
        assertEquals("0", OverviewPage.number(0));
        assertEquals("12345678", OverviewPage.number(12345678));
        assertEquals("2.50", OverviewPage.number(2.5));
    }

    /** name, value, bar width, as they appear. */
    private static List<String> rows(Object... nameValueWidth) {
        List<String> rows = new java.util.ArrayList<>();
        for (int i = 0; i < nameValueWidth.length; i += 3) {
            rows.add(nameValueWidth[i] + " = " + nameValueWidth[i + 1] + " [" + nameValueWidth[i + 2] + "]");
        }
        return rows;
    }

    private static List<String> section(String page, String id) {
        List<String> rows = new java.util.ArrayList<>();
        Matcher row = ROW.matcher(sectionText(page, id));
        while (row.find()) {
            rows.add(row.group(1) + " = " + row.group(2) + " [" + row.group(3) + "]");
        }
        return rows;
    }

    private static Map<String, String> values(List<String> rows) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String row : rows) {
            values.put(row.substring(0, row.indexOf(" = ")), row.substring(row.indexOf(" = ") + 3, row.indexOf(" [")));
        }
        return values;
    }

    private static String sectionText(String page, String id) {
        int start = page.indexOf("<section id=\"" + id + "\">");
        assertTrue(start >= 0, "section " + id + " in\n" + page);
        return page.substring(start, page.indexOf("</section>", start));
    }
}
