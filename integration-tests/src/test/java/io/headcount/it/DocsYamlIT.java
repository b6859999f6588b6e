package io.headcount.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.it.harness.AppProcess;
import io.headcount.it.harness.FreePorts;
import io.headcount.it.harness.Http;
import io.headcount.it.harness.MetricsEndpoint;
import io.headcount.it.harness.TestJars;
import io.headcount.it.harness.UserAgents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Every {@code yaml} example in README.md and docs/ parses, and every setting and metric it names
 * is real: {@code HEADCOUNT_*} variables, {@code -Dheadcount.*} properties and agent arguments are
 * keys of the packaged agent's {@code --help}, and {@code headcount_*} names are series of a real
 * scrape of the agent (in Redis mode, so that the Redis health metrics are there too).
 */
class DocsYamlIT {
    private static final Path DOCS = Path.of(System.getProperty("headcount.docs.dir", "../docs"));
    private static final Pattern YAML_BLOCK = Pattern.compile("(?ms)^```ya?ml\\n(.*?)^```");
    private static final Pattern ENVIRONMENT = Pattern.compile("\\bHEADCOUNT_[A-Z0-9_]+");
    private static final Pattern PROPERTY = Pattern.compile("-Dheadcount\\.([A-Za-z0-9._-]+)=");
    private static final Pattern AGENT_ARGUMENT = Pattern.compile("-javaagent:[^=\\s]+=(\\S+)");
    private static final Pattern METRIC = Pattern.compile("\\bheadcount_[a-z_]*[a-z]");

    @Test
    void everyYamlExampleParsesAndNamesRealSettingsAndMetrics() throws Exception {
        Map<String, String> blocks = yamlBlocks();
        assertTrue(blocks.keySet().stream().filter(where -> where.startsWith("install.md")).count() >= 3,
                "docs/install.md has its Deployment, PodMonitor and Secret examples: " + blocks.keySet());
        Set<String> keys = settingKeys();
        Set<String> metrics = scrapedMetricNames();
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, String> block : blocks.entrySet()) {
            List<String> scalars = new ArrayList<>();
            for (Object document : new Yaml().loadAll(block.getValue())) {
                collectScalars(document, scalars);
            }
            for (String text : scalars) {
                for (String key : namedSettings(text)) {
                    if (!keys.contains(key)) {
                        unknown.add(block.getKey() + ": setting " + key + " in '" + text + "'");
                    }
                }
                Matcher metric = METRIC.matcher(text);
                while (metric.find()) {
                    if (!metrics.contains(metric.group())) {
                        unknown.add(block.getKey() + ": metric " + metric.group());
                    }
                }
            }
        }
        assertEquals(List.of(), unknown, "known settings " + keys + "\nscraped metrics " + metrics);
    }

    /** The keys a piece of YAML text names, whichever way it names them. */
    private static List<String> namedSettings(String text) {
        List<String> named = new ArrayList<>();
        Matcher environment = ENVIRONMENT.matcher(text);
        while (environment.find()) {
            named.add("env:" + environment.group());
        }
        Matcher property = PROPERTY.matcher(text);
        while (property.find()) {
            named.add(property.group(1));
        }
        Matcher argument = AGENT_ARGUMENT.matcher(text);
        while (argument.find()) {
            for (String piece : argument.group(1).split(",")) {
                int equals = piece.indexOf('=');
                if (equals > 0 && piece.substring(0, equals).matches("[A-Za-z0-9._-]+")) {
                    named.add(piece.substring(0, equals));
                }
            }
        }
        return named;
    }

    /** The {@code yaml} blocks of README.md and every docs/ page, by page and block number. */
    private static Map<String, String> yamlBlocks() throws IOException {
        Map<String, String> blocks = new java.util.TreeMap<>();
        List<Path> pages = new ArrayList<>();
        pages.add(DOCS.resolve("../README.md"));
        try (Stream<Path> files = Files.walk(DOCS)) {
            files.filter(file -> file.toString().endsWith(".md")).forEach(pages::add);
        }
        for (Path page : pages) {
            Matcher block = YAML_BLOCK.matcher(Files.readString(page, StandardCharsets.UTF_8));
            for (int n = 1; block.find(); n++) {
                blocks.put(DOCS.relativize(page).toString() + " #" + n, block.group(1));
            }
        }
        return blocks;
    }

    private static void collectScalars(Object node, List<String> scalars) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                collectScalars(key, scalars);
                collectScalars(value, scalars);
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collectScalars(item, scalars));
        } else if (node != null) {
            scalars.add(String.valueOf(node));
        }
    }

    /** The keys of the packaged agent's {@code --help} table, and each as {@code env:HEADCOUNT_...}. */
    private static Set<String> settingKeys() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process help = new ProcessBuilder(java, "-jar", TestJars.agent().toString(), "--help").start();
        help.getOutputStream().close();
        String text = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(help.waitFor(60, TimeUnit.SECONDS));
        Set<String> keys = new TreeSet<>();
        boolean table = false;
        for (String line : text.split("\n")) {
            if (line.startsWith("key ")) {
                table = true;
            } else if (table && !line.isBlank()) {
                String key = line.substring(0, line.indexOf(' '));
                keys.add(key);
                keys.add("env:HEADCOUNT_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
            }
        }
        assertTrue(keys.contains("port") && keys.contains("env:HEADCOUNT_REDIS_URL"), text);
        return keys;
    }

    private static Set<String> scrapedMetricNames() {
        int port = FreePorts.pick();
        try (AppProcess app = AppProcess.named("docs-yaml").agent("port=" + port + ",redis.url=redis://127.0.0.1:"
                + FreePorts.pick()).start()) {
            new Http().get(app.url("/api/users/1")).userAgent(UserAgents.SAFARI_IPHONE)
                    .header("Referer", "https://news.example/").forwardedFor("203.0.113.9").send();
            return new TreeSet<>(new MetricsEndpoint(port).scrapeUntil(
                    text -> text.sum("headcount_unique_visitors_total") == 1.0).names());
        }
    }
}
