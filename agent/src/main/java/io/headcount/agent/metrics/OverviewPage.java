package io.headcount.agent.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The overview page for operators without Grafana yet: one self-contained HTML page (inline CSS and
 * SVG bars, no script, no external asset) with today's unique visitors and the request counters
 * summed by one label each. It shows only what {@code /metrics} already shows, summed further: no
 * series of its own and nothing raw.
 *
 * <p>Pure: the page depends only on the snapshots given, so that it is tested without a server.
 */
public final class OverviewPage {
    /** The page's media type, for the response that serves it. */
    public static final String CONTENT_TYPE = "text/html; charset=utf-8";
    /**
     * A Content-Security-Policy for the response: the page needs nothing but its inline styles, so
     * a label value that got past escaping still could not load or run anything.
     */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'";

    /** Rows shown for the labels whose values are many (endpoints, referrers). */
    static final int TOP = 10;
    static final int BAR_WIDTH = 240;
    private static final int BAR_HEIGHT = 14;

    private static final String REQUESTS = "headcount_requests";
    private static final String REQUESTS_BY_CLIENT = "headcount_requests_by_client";
    private static final String REQUESTS_BY_REFERRER = "headcount_requests_by_referrer";
    private static final String VISITORS_TODAY = "headcount_unique_visitors_today";
    private static final String VISITORS = "headcount_unique_visitors";

    private OverviewPage() {
    }

    /** The page for the registry's current values ({@code PrometheusRegistry.scrape()}). */
    public static String render(MetricSnapshots snapshots) {
        StringBuilder html = new StringBuilder(8192);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Headcount overview</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:2em auto;max-width:62em;padding:0 1em;color:#222}\n")
                // Two columns where they fit, one on a phone; every table has the same three
                // columns, so that names, figures and bars line up and a bar never leaves its section.
                .append("main{display:grid;grid-template-columns:repeat(auto-fill,minmax(22em,1fr));gap:0 2.5em;")
                .append("align-items:start}\nsection{min-width:0;margin-bottom:1.5em}\n")
                .append("h2{font-size:1.05em;border-bottom:1px solid #ccc;padding-bottom:.2em}\n")
                .append("table{width:100%;border-collapse:collapse;table-layout:fixed}\n")
                .append("th{width:50%;text-align:left;font-weight:normal;padding:.1em .8em .1em 0;overflow-wrap:anywhere}\n")
                .append("td.n{width:4.5em;text-align:right;padding-right:.6em;font-variant-numeric:tabular-nums}\n")
                .append("svg{display:block}\n")
                .append(".figure{font-size:2.2em;font-weight:bold}.note{color:#666;font-size:.9em}\n")
                .append("</style>\n</head>\n<body>\n<h1>Headcount</h1>\n<main>\n");

        // The exact figure of the visitor day when the gauge is served; the counter since start is
        // labelled as what it is, not passed off as today's.
        boolean hasToday = find(snapshots, VISITORS_TODAY) != null;
        Map<String, Double> visitors = sumBy(snapshots, hasToday ? VISITORS_TODAY : VISITORS, "client");
        html.append("<section id=\"visitors\">\n<h2>")
                .append(hasToday ? "Unique visitors today" : "Unique visitors since the agent started")
                .append("</h2>\n<p><span class=\"figure\">").append(number(total(visitors)))
                .append("</span> by client kind:</p>\n");
        table(html, byCount(visitors, Integer.MAX_VALUE));
        html.append("</section>\n");

        Map<String, Double> endpoints = sumBy(snapshots, REQUESTS, "endpoint");
        section(html, "endpoints", "Top endpoints (requests)", byCount(endpoints, TOP));
        section(html, "clients", "Client kinds (requests)", byCount(sumBy(snapshots, REQUESTS, "client"), Integer.MAX_VALUE));
        section(html, "browsers", "Browsers and tools (requests)",
                byCount(sumBy(snapshots, REQUESTS_BY_CLIENT, "browser"), Integer.MAX_VALUE));
        section(html, "os", "Operating systems (requests)",
                byCount(sumBy(snapshots, REQUESTS_BY_CLIENT, "os"), Integer.MAX_VALUE));
        section(html, "devices", "Devices (requests)",
                byCount(sumBy(snapshots, REQUESTS_BY_CLIENT, "device"), Integer.MAX_VALUE));
        section(html, "referrers", "Top referrers (requests)", byCount(sumBy(snapshots, REQUESTS_BY_REFERRER, "referrer"), TOP));
        section(html, "status", "Status classes (requests)",
                byName(sumBy(snapshots, REQUESTS, "status_class")));

        html.append("</main>\n<p class=\"note\">").append(number(total(endpoints)))
                .append(" requests counted since the agent started")
                .append(hasToday ? "; visitors of the current visitor day (day.zone)" : "")
                .append(". Every figure is a sum of the series at <a href=\"metrics\">/metrics</a>.</p>\n")
                .append("</body>\n</html>\n");
        return html.toString();
    }

    private static void section(StringBuilder html, String id, String title, List<Map.Entry<String, Double>> rows) {
        html.append("<section id=\"").append(id).append("\">\n<h2>").append(title).append("</h2>\n");
        table(html, rows);
        html.append("</section>\n");
    }

    private static void table(StringBuilder html, List<Map.Entry<String, Double>> rows) {
        if (rows.isEmpty()) {
            html.append("<p class=\"note\">nothing counted yet</p>\n");
            return;
        }
        double max = 0;
        for (Map.Entry<String, Double> row : rows) {
            max = Math.max(max, row.getValue());
        }
        html.append("<table>\n");
        for (Map.Entry<String, Double> row : rows) {
            long width = max <= 0 ? 0 : Math.round(BAR_WIDTH * row.getValue() / max);
            html.append("<tr><th scope=\"row\">").append(escape(row.getKey()))
                    .append("</th><td class=\"n\">").append(number(row.getValue()))
                    // The bar is drawn BAR_WIDTH wide and stretched to its column's width.
                    .append("</td><td><svg viewBox=\"0 0 ").append(BAR_WIDTH).append(' ').append(BAR_HEIGHT)
                    .append("\" preserveAspectRatio=\"none\" width=\"100%\" height=\"").append(BAR_HEIGHT)
                    .append("\" aria-hidden=\"true\"><rect width=\"").append(width).append("\" height=\"")
                    .append(BAR_HEIGHT).append("\" fill=\"#3b7dd8\"/></svg></td></tr>\n");
        }
        html.append("</table>\n");
    }

    /** The highest first, ties in name order; at most {@code limit}; zeros left out. */
    private static List<Map.Entry<String, Double>> byCount(Map<String, Double> sums, int limit) {
        List<Map.Entry<String, Double>> rows = byName(sums);
        rows.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        return rows.size() > limit ? rows.subList(0, limit) : rows;
    }

    /** In name order, zeros left out. */
    private static List<Map.Entry<String, Double>> byName(Map<String, Double> sums) {
        List<Map.Entry<String, Double>> rows = new ArrayList<>();
        for (Map.Entry<String, Double> entry : sums.entrySet()) {
            if (entry.getValue() > 0) {
                rows.add(entry);
            }
        }
        return rows;
    }

    /** The metric's values summed by one label, in label value order. */
    static Map<String, Double> sumBy(MetricSnapshots snapshots, String name, String label) {
        Map<String, Double> sums = new TreeMap<>();
        MetricSnapshot snapshot = find(snapshots, name);
        if (snapshot == null) {
            return sums;
        }
        for (DataPointSnapshot point : snapshot.getDataPoints()) {
            String value = point.getLabels().get(label);
            if (value != null) {
                sums.merge(value, value(point), Double::sum);
            }
        }
        return sums;
    }

    private static double value(DataPointSnapshot point) {
        if (point instanceof CounterSnapshot.CounterDataPointSnapshot) {
            return ((CounterSnapshot.CounterDataPointSnapshot) point).getValue();
        }
        if (point instanceof GaugeSnapshot.GaugeDataPointSnapshot) {
            return ((GaugeSnapshot.GaugeDataPointSnapshot) point).getValue();
        }
        return 0;
    }

    /** A counter or gauge by its name, with or without a counter's {@code _total}. */
    private static MetricSnapshot find(MetricSnapshots snapshots, String name) {
        for (MetricSnapshot snapshot : snapshots) {
            String found = snapshot.getMetadata().getPrometheusName();
            if ((snapshot instanceof CounterSnapshot || snapshot instanceof GaugeSnapshot)
                    && (found.equals(name) || found.equals(name + "_total"))) {
                return snapshot;
            }
        }
        return null;
    }

    private static double total(Map<String, Double> sums) {
        double total = 0;
        for (double value : sums.values()) {
            total += value;
        }
        return total;
    }

    /** Whole counts without a fraction; anything else with two decimals. */
    static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /** Label values come from requests, bounded but not trusted: escaped for text and attributes. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&':
                    out.append("&amp;");
                    break;
                case '<':
                    out.append("&lt;");
                    break;
                case '>':
                    out.append("&gt;");
                    break;
                case '"':
                    out.append("&quot;");
                    break;
                case '\'':
                    out.append("&#39;");
                    break;
                default:
                    out.append(c);
            }
        }
        return out.toString();
    }
}
