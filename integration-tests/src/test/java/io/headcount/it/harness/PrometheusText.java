package io.headcount.it.harness;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One scrape in the Prometheus text format, parsed into series. A series is named by its metric name
 * and its labels written in one canonical form, sorted by label name:
 * {@code {client="browser",endpoint="/api/users"}} ({@code {}} without labels), so that expected and
 * actual series compare as plain strings and a failed assertion prints readably.
 */
public final class PrometheusText {
    private final Map<String, Map<String, Double>> byName = new TreeMap<>();

    private PrometheusText() {
    }

    public static PrometheusText parse(String text) {
        PrometheusText scrape = new PrometheusText();
        for (String line : text.split("\n")) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            scrape.addSample(line);
        }
        return scrape;
    }

    /** The canonical label string of {@code name, value, name, value, ...}. */
    public static String labels(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name, value pairs");
        }
        Map<String, String> labels = new TreeMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            labels.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return canonical(labels);
    }

    /** Every series of {@code name}: canonical labels to value, sorted; empty when there is none. */
    public Map<String, Double> series(String name) {
        return Collections.unmodifiableMap(byName.getOrDefault(name, new TreeMap<>()));
    }

    /** The series of {@code name} whose value is not 0: what a counter has actually counted. */
    public Map<String, Double> nonZeroSeries(String name) {
        Map<String, Double> counted = new TreeMap<>();
        series(name).forEach((labels, value) -> {
            if (value != 0) {
                counted.put(labels, value);
            }
        });
        return counted;
    }

    /** The value of one series, 0 when it is absent (as for a counter that never counted). */
    public double valueOrZero(String name, String... namesAndValues) {
        return series(name).getOrDefault(labels(namesAndValues), 0.0);
    }

    /** The sum over every series of {@code name}. */
    public double sum(String name) {
        return series(name).values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Sums {@code name} by the given labels only (the others are added up), dropping zero sums. */
    public Map<String, Double> sumBy(String name, String... labelNames) {
        Map<String, Double> sums = new TreeMap<>();
        series(name).forEach((labels, value) -> {
            Map<String, String> all = parseLabels(labels);
            Map<String, String> kept = new TreeMap<>();
            for (String label : labelNames) {
                kept.put(label, all.getOrDefault(label, ""));
            }
            sums.merge(canonical(kept), value, Double::sum);
        });
        sums.values().removeIf(value -> value == 0);
        return sums;
    }

    /** Every value that {@code label} takes in the series of {@code name}, zero-valued series included. */
    public Set<String> labelValues(String name, String label) {
        Set<String> values = new TreeSet<>();
        for (String labels : series(name).keySet()) {
            String value = parseLabels(labels).get(label);
            if (value != null) {
                values.add(value);
            }
        }
        return values;
    }

    /** The names of every metric in the scrape (histogram parts, such as {@code _count}, apart). */
    public List<String> names() {
        return new ArrayList<>(byName.keySet());
    }

    private void addSample(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        String name;
        Map<String, String> labels = new TreeMap<>();
        String rest;
        if (brace >= 0 && (space < 0 || brace < space)) {
            name = line.substring(0, brace);
            int end = readLabels(line, brace + 1, labels);
            rest = line.substring(end + 1).strip();
        } else {
            name = line.substring(0, space);
            rest = line.substring(space + 1).strip();
        }
        String value = rest.split("\\s+")[0];
        byName.computeIfAbsent(name, n -> new TreeMap<>()).put(canonical(labels), parseValue(value));
    }

    /** Reads {@code a="x",b="y"} from {@code start}; returns the index of the closing brace. */
    private static int readLabels(String line, int start, Map<String, String> into) {
        int i = start;
        while (true) {
            while (line.charAt(i) == ',' || line.charAt(i) == ' ') {
                i++;
            }
            if (line.charAt(i) == '}') {
                return i;
            }
            int equals = line.indexOf('=', i);
            String label = line.substring(i, equals).strip();
            i = equals + 1;
            if (line.charAt(i) != '"') {
                throw new IllegalArgumentException("label value not quoted in: " + line);
            }
            StringBuilder value = new StringBuilder();
            for (i++; line.charAt(i) != '"'; i++) {
                char c = line.charAt(i);
                if (c == '\\') {
                    char escaped = line.charAt(++i);
                    value.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    value.append(c);
                }
            }
            into.put(label, value.toString());
            i++;
        }
    }

    private static double parseValue(String value) {
        switch (value) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                return Double.parseDouble(value);
        }
    }

    private static String canonical(Map<String, String> sortedLabels) {
        StringBuilder out = new StringBuilder("{");
        sortedLabels.forEach((label, value) -> {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(label).append("=\"")
                    .append(value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
                    .append('"');
        });
        return out.append('}').toString();
    }

    private static Map<String, String> parseLabels(String canonical) {
        Map<String, String> labels = new TreeMap<>();
        readLabels(canonical, 1, labels);
        return labels;
    }
}
