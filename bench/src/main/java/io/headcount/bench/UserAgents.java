package io.headcount.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Real User-Agent strings for the benchmarks: the ua-parser project's test cases from the shared
 * corpus when it can be found, else a built-in list widened by version numbers.
 *
 * <p>The corpus is looked up at {@code -Dcorpus.dir=<dir>}, then at {@code ../shared/corpus}
 * and {@code ../../shared/corpus} relative to the working directory (the worktree root or
 * {@code bench/}). Without it the figures are still meaningful, only less varied.
 */
public final class UserAgents {
    /** Today's common browsers, bots and tools: they lead every pool, as they lead real traffic. */
    static final List<String> COMMON = List.of(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
            "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
            "Mozilla/5.0 (iPad; CPU OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 OPR/114.0.0.0",
            "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36",
            "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
            "curl/8.5.0",
            "python-requests/2.32.3",
            "Go-http-client/1.1",
            "Java-http-client/21.0.5",
            "okhttp/4.12.0",
            "Wget/1.21.4");

    /** Templates the fallback widens with version numbers, as real traffic carries many versions. */
    private static final List<String> TEMPLATES = List.of(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.%d.%d Safari/537.36",
            "Mozilla/5.0 (Linux; Android %d; Pixel %d) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 Mobile Safari/537.36",
            "Mozilla/5.0 (iPhone; CPU iPhone OS %d_%d like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/%d.0 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:%d.0) Gecko/20100101 Firefox/%d.%d",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_%d) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/%d.%d Safari/605.1.15");

    private UserAgents() {
    }

    /**
     * @return {@code count} distinct User-Agents: the common ones first, then corpus strings in a
     *     shuffled order fixed by {@code seed}, then synthesized ones if the corpus runs short
     */
    public static List<String> distinct(int count, long seed) {
        Set<String> pool = new LinkedHashSet<>(COMMON);
        List<String> corpus = new ArrayList<>(corpus());
        Collections.shuffle(corpus, new Random(seed));
        for (int i = 0; i < corpus.size() && pool.size() < count; i++) {
            pool.add(corpus.get(i));
        }
        Random random = new Random(seed);
        while (pool.size() < count) {
            pool.add(synthesized(random));
        }
        List<String> result = new ArrayList<>(pool);
        return result.size() > count ? new ArrayList<>(result.subList(0, count)) : result;
    }

    /** Every distinct User-Agent of the ua-parser corpus, in file order; empty when it is absent. */
    public static List<String> corpus() {
        Path dir = corpusDirectory();
        if (dir == null) {
            return List.of();
        }
        Set<String> strings = new LinkedHashSet<>();
        for (String file : List.of("uap-core/tests/test_ua.yaml", "uap-core/tests/test_device.yaml",
                "uap-core/tests/test_os.yaml", "uap-core/test_resources/pgts_browser_list.yaml",
                "uap-core/test_resources/firefox_user_agent_strings.yaml",
                "uap-core/test_resources/opera_mini_user_agent_strings.yaml")) {
            Path path = dir.resolve(file);
            if (Files.isReadable(path)) {
                readUserAgentStrings(path, strings);
            }
        }
        return new ArrayList<>(strings);
    }

    /** Where the corpus was found, for the benchmark's log; "built-in list" when it was not. */
    public static String source() {
        Path dir = corpusDirectory();
        return dir == null ? "built-in list" : dir.toAbsolutePath().normalize().toString();
    }

    private static Path corpusDirectory() {
        List<String> candidates = new ArrayList<>();
        String configured = System.getProperty("corpus.dir");
        if (configured != null && !configured.isBlank()) {
            candidates.add(configured);
        }
        candidates.add("../shared/corpus");
        candidates.add("../../shared/corpus");
        for (String candidate : candidates) {
            Path dir = Paths.get(candidate);
            if (Files.isDirectory(dir.resolve("uap-core"))) {
                return dir;
            }
        }
        return null;
    }

    private static void readUserAgentStrings(Path yaml, Set<String> into) {
        try {
            for (String line : Files.readAllLines(yaml, StandardCharsets.UTF_8)) {
                String trimmed = line.trim();
                String key = "- user_agent_string:";
                if (!trimmed.startsWith(key)) {
                    continue;
                }
                String value = unquote(trimmed.substring(key.length()).trim());
                if (!value.isEmpty()) {
                    into.add(value);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + yaml, e);
        }
    }

    /** The two YAML scalar quotings the corpus uses; plain scalars pass as they are. */
    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
            return value.substring(1, value.length() - 1).replace("''", "'");
        }
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return value;
    }

    private static String synthesized(Random random) {
        String template = TEMPLATES.get(random.nextInt(TEMPLATES.size()));
        return String.format(template, 60 + random.nextInt(80), random.nextInt(9000), random.nextInt(300));
    }
}
