package io.headcount.it.prometheus;

import io.headcount.it.harness.JsonReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where the project's PromQL lives: the Grafana dashboard, the rules file and docs/metrics.md. */
final class PromQlSources {
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.+),\\s*(\\w+)\\)");

    private PromQlSources() {
    }

    static Path docs() {
        return Path.of(System.getProperty("headcount.docs.dir", "../docs")).toAbsolutePath().normalize();
    }

    static Path dashboardFile() {
        return docs().resolve("grafana/headcount.json");
    }

    static Path rulesFile() {
        return docs().resolve("prometheus/headcount-rules.yml");
    }

    static Map<String, Object> dashboard() {
        return JsonReader.object(JsonReader.parse(read(dashboardFile())));
    }

    /** Every panel, those inside collapsed rows included. */
    static List<Map<String, Object>> panels(Map<String, Object> dashboard) {
        List<Map<String, Object>> panels = new ArrayList<>();
        for (Object item : JsonReader.array(dashboard.get("panels"))) {
            Map<String, Object> panel = JsonReader.object(item);
            panels.add(panel);
            if (panel.get("panels") != null) {
                for (Object inner : JsonReader.array(panel.get("panels"))) {
                    panels.add(JsonReader.object(inner));
                }
            }
        }
        return panels;
    }

    /** Every target's {@code expr} of the dashboard, in panel order. */
    static List<String> dashboardExpressions() {
        List<String> expressions = new ArrayList<>();
        for (Map<String, Object> panel : panels(dashboard())) {
            if (panel.get("targets") != null) {
                for (Object target : JsonReader.array(panel.get("targets"))) {
                    expressions.add((String) JsonReader.object(target).get("expr"));
                }
            }
        }
        return expressions;
    }

    /**
     * The expressions of panels with a 1-day interval (the daily bars): Grafana evaluates them at
     * midnight UTC, one step a day.
     */
    static List<String> dailyExpressions() {
        List<String> expressions = new ArrayList<>();
        for (Map<String, Object> panel : panels(dashboard())) {
            if ("1d".equals(panel.get("interval"))) {
                for (Object target : JsonReader.array(panel.get("targets"))) {
                    expressions.add((String) JsonReader.object(target).get("expr"));
                }
            }
        }
        return expressions;
    }

    /**
     * The dashboard's query variables as PromQL: Grafana's {@code label_values(selector, label)}
     * lists the values of {@code label} in {@code group by (label) (selector)}.
     */
    static List<String> variableExpressions() {
        List<String> expressions = new ArrayList<>();
        for (Object item : JsonReader.array(JsonReader.object(dashboard().get("templating")).get("list"))) {
            Map<String, Object> variable = JsonReader.object(item);
            if ("query".equals(variable.get("type"))) {
                Matcher query = LABEL_VALUES.matcher((String) variable.get("definition"));
                if (!query.matches()) {
                    throw new AssertionError("variable " + variable.get("name") + ": not label_values(selector, label): "
                            + variable.get("definition"));
                }
                expressions.add("group by (" + query.group(2) + ") (" + query.group(1) + ")");
            }
        }
        return expressions;
    }

    /** How many rules the YAML file declares, to check that Prometheus loaded them all. */
    static int declaredRules() {
        int rules = 0;
        for (String line : read(rulesFile()).split("\n")) {
            if (line.strip().startsWith("- record:") || line.strip().startsWith("- alert:")) {
                rules++;
            }
        }
        return rules;
    }

    /**
     * Every expression of docs/metrics.md's {@code ```promql} blocks: one per line, comment lines
     * ({@code #}) and blank lines left out.
     */
    static List<String> metricsDocExpressions() {
        List<String> expressions = new ArrayList<>();
        boolean inBlock = false;
        for (String line : read(docs().resolve("metrics.md")).split("\n")) {
            if (!inBlock && line.strip().equals("```promql")) {
                inBlock = true;
            } else if (inBlock && line.strip().equals("```")) {
                inBlock = false;
            } else if (inBlock && !line.isBlank() && !line.strip().startsWith("#")) {
                expressions.add(line.strip());
            }
        }
        return expressions;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
