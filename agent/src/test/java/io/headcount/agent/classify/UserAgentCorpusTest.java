package io.headcount.agent.classify;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Runs the classifier over every case of the public corpora in {@code ../shared/corpus} and
 * prints agreement per field, so that the figures can be quoted.
 *
 * <p>uap-core names many more browsers and systems than the contract. Agreement is measured on
 * the cases whose expected uap family maps to a contract name, with the tables below; cases of
 * any other family (Yandex Browser, Symbian OS, ...) are counted and shown but not judged.
 */
class UserAgentCorpusTest {
    /**
     * uap browser family -> contract browser. Mobile, iOS, WebView, beta and edition variants are
     * the same product for a dashboard. Left out on purpose: Firefox pre-release codenames that do
     * not say Firefox (Bon Echo, Minefield, ...), IE shells (Maxthon, MyIE2, Avant), Chrome Frame
     * (IE with a plug-in), HeadlessChrome (a bot here) and other browsers built on these engines.
     */
    static final Map<String, String> BROWSER_FAMILIES = table(
            "Chrome", "Chrome",
            "Chrome Mobile", "Chrome",
            "Chrome Mobile iOS", "Chrome",
            "Chrome Mobile WebView", "Chrome", // Android's WebView is Chromium and says Chrome/
            "Chromium", "Chrome",
            "Firefox", "Firefox",
            "Firefox Mobile", "Firefox",
            "Firefox iOS", "Firefox",
            "Firefox Beta", "Firefox",
            "Firefox Alpha", "Firefox",
            "Safari", "Safari",
            "Mobile Safari", "Safari",
            "Mobile Safari UI/WKWebView", "Safari", // iOS apps' web views are Safari's engine
            "Edge", "Edge",
            "Edge Mobile", "Edge",
            "Opera", "Opera",
            "Opera Mini", "Opera",
            "Opera Mobile", "Opera",
            "Opera Tablet", "Opera",
            "Opera GX", "Opera",
            "Opera Touch", "Opera",
            "Opera Neon", "Opera",
            "Opera Coast", "Opera",
            "Samsung Internet", "Samsung Internet",
            "IE", "Internet Explorer",
            "IE Mobile", "Internet Explorer",
            "IE Large Screen", "Internet Explorer");

    /**
     * uap OS family -> contract OS. Linux distributions are Linux; Windows Phone and Windows
     * Mobile are Windows (on a mobile device); classic Mac OS is Apple's desktop OS, macOS. Left
     * out: other systems built on Linux (Tizen, webOS, KaiOS, Chromecast, ...), the BSDs,
     * Symbian, BlackBerry, TV and watch systems.
     */
    static final Map<String, String> OS_FAMILIES = table(
            "Windows", "Windows",
            "Windows Phone", "Windows",
            "Windows Mobile", "Windows",
            "Mac OS X", "macOS",
            "Mac OS", "macOS",
            "iOS", "iOS",
            "Android", "Android",
            "Chrome OS", "ChromeOS",
            "Linux", "Linux",
            "Ubuntu", "Linux",
            "Kubuntu", "Linux",
            "Debian", "Linux",
            "Fedora", "Linux",
            "Red Hat", "Linux",
            "CentOS", "Linux",
            "Mandriva", "Linux",
            "Gentoo", "Linux",
            "Slackware", "Linux",
            "SUSE", "Linux",
            "openSUSE", "Linux",
            "Linux Mint", "Linux",
            "PCLinuxOS", "Linux",
            "Puppy", "Linux");

    /** uap device family -> contract device, for the families that say what kind of device. */
    static final Map<String, String> DEVICE_FAMILIES = table(
            "Spider", "bot",
            "iPhone", "mobile",
            "iPod", "mobile",
            "iPad", "tablet",
            "Kindle", "tablet",
            "Generic Smartphone", "mobile",
            "Generic Feature Phone", "mobile",
            "Generic Tablet", "tablet");

    static final String[] BROWSER_FILES = {
        "uap-core/tests/test_ua.yaml",
        "uap-core/test_resources/firefox_user_agent_strings.yaml",
        "uap-core/test_resources/opera_mini_user_agent_strings.yaml",
        "uap-core/test_resources/pgts_browser_list.yaml",
    };
    static final String[] OS_FILES = {
        "uap-core/tests/test_os.yaml",
        "uap-core/test_resources/additional_os_tests.yaml",
    };
    static final String DEVICE_FILE = "uap-core/tests/test_device.yaml";
    static final String CRAWLER_FILE = "crawler-user-agents/crawler-user-agents.json";

    private final UserAgentClassifier classifier = new UserAgentClassifier();

    @Test
    void browserAgreesWithUapCoreOnContractBrowsers() throws IOException {
        Tally total = new Tally("browser, all files");
        for (String file : BROWSER_FILES) {
            Tally tally = new Tally("browser, " + file);
            for (Map<String, String> row : UapYaml.read(corpus(file))) {
                String expected = BROWSER_FAMILIES.get(row.get("family"));
                UserAgentInfo got = classifier.classify(row.get("user_agent_string"));
                tally.add(expected, got.browser, row);
                total.add(expected, got.browser, row);
            }
            tally.print(0);
        }
        total.print(15);
        assertTrue(total.percent() >= 97.0, "browser agreement " + total.percent() + "% is below 97%");
    }

    @Test
    void osAgreesWithUapCoreOnContractSystems() throws IOException {
        Tally total = new Tally("os, all files");
        int botsWithoutOs = 0;
        for (String file : OS_FILES) {
            Tally tally = new Tally("os, " + file);
            for (Map<String, String> row : UapYaml.read(corpus(file))) {
                String expected = OS_FAMILIES.get(row.get("family"));
                UserAgentInfo got = classifier.classify(row.get("user_agent_string"));
                tally.add(expected, got.os, row);
                total.add(expected, got.os, row);
                botsWithoutOs += expected != null && got.isBot() ? 1 : 0;
            }
            tally.print(0);
        }
        total.print(15);
        // Bots get os "unknown" on purpose (their platform claim is mimicry): say how much of the
        // disagreement that is.
        System.out.printf("os: %d of the %d disagreements are clients classified as bots%n",
                botsWithoutOs, total.judged - total.agreed);
        assertTrue(total.percent() >= 97.0, "OS agreement " + total.percent() + "% is below 97%");
    }

    @Test
    void deviceAgreesWithUapCoreWhereTheFamilySaysTheKind() throws IOException {
        Tally tally = new Tally("device, " + DEVICE_FILE);
        int spiders = 0;
        int spidersAutomated = 0;
        int others = 0;
        int othersAutomated = 0;
        for (Map<String, String> row : UapYaml.read(corpus(DEVICE_FILE))) {
            UserAgentInfo got = classifier.classify(row.get("user_agent_string"));
            tally.add(DEVICE_FAMILIES.get(row.get("family")), got.device, row);
            boolean automated = isAutomated(got);
            if ("Spider".equals(row.get("family"))) {
                spiders++;
                spidersAutomated += automated ? 1 : 0;
            } else {
                others++;
                othersAutomated += automated ? 1 : 0;
            }
        }
        tally.print(10);
        System.out.printf("device, %s: uap 'Spider' classified bot or script: %d of %d (%.2f%%);"
                + " any other family classified bot or script: %d of %d (%.2f%%)%n",
                DEVICE_FILE, spidersAutomated, spiders, percent(spidersAutomated, spiders),
                othersAutomated, others, percent(othersAutomated, others));
        // No threshold is set for devices by the contract; these floors only catch regressions.
        // Most misses are old crawlers without any bot marker and bare feature-phone names.
        assertTrue(tally.percent() >= 80.0, "device agreement " + tally.percent() + "% is below 80%");
        assertTrue(percent(spidersAutomated, spiders) >= 80.0, "spiders found: " + spidersAutomated);
        assertTrue(percent(othersAutomated, others) <= 1.0, "non-spiders taken for bots: " + othersAutomated);
    }

    @Test
    void everyCrawlerListExampleIsABotOrAScript() throws IOException {
        int total = 0;
        int automated = 0;
        int bots = 0;
        List<String> misses = new ArrayList<>();
        for (Map<String, Object> entry : CrawlerPatternsGenerator.entries(corpus(CRAWLER_FILE))) {
            Object instances = entry.get("instances");
            if (!(instances instanceof List<?> list)) {
                continue;
            }
            for (Object instance : list) {
                UserAgentInfo got = classifier.classify((String) instance);
                total++;
                if (isAutomated(got)) {
                    automated++;
                    bots += got.isBot() ? 1 : 0;
                } else {
                    misses.add(got + " <- " + instance);
                }
            }
        }
        System.out.printf("crawler-user-agents instances classified bot or script: %d of %d (%.2f%%),"
                + " of which bot %d and script %d%n", automated, total, percent(automated, total), bots,
                automated - bots);
        misses.stream().limit(20).forEach(miss -> System.out.println("  missed: " + miss));
        assertTrue(percent(automated, total) >= 99.0, "only " + percent(automated, total) + "% found");
    }

    @Test
    void almostNoContractBrowserIsTakenForABotOrAScript() throws IOException {
        int total = 0;
        List<String> automated = new ArrayList<>();
        for (String file : BROWSER_FILES) {
            for (Map<String, String> row : UapYaml.read(corpus(file))) {
                if (BROWSER_FAMILIES.containsKey(row.get("family"))) {
                    total++;
                    UserAgentInfo got = classifier.classify(row.get("user_agent_string"));
                    if (isAutomated(got)) {
                        automated.add(row.get("family") + " -> " + got + " <- " + row.get("user_agent_string"));
                    }
                }
            }
        }
        System.out.printf("uap-core contract-browser cases classified bot or script: %d of %d (%.3f%%)%n",
                automated.size(), total, percent(automated.size(), total));
        automated.forEach(line -> System.out.println("  " + line));
        assertTrue(percent(automated.size(), total) <= 0.5, automated.size() + " of " + total);
    }

    private static boolean isAutomated(UserAgentInfo info) {
        return info.isBot() || UserAgentInfo.CLIENT_SCRIPT.equals(info.client);
    }

    static Path corpus(String relative) {
        String root = System.getProperty("corpus.dir", "../../shared/corpus");
        Path path = Path.of(root).resolve(relative);
        assertTrue(Files.isRegularFile(path), "corpus file missing: " + path.toAbsolutePath());
        return path;
    }

    private static double percent(int part, int whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }

    private static Map<String, String> table(String... pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put(pairs[i], pairs[i + 1]);
        }
        return out;
    }

    /** Counts agreement on mapped cases and remembers the commonest disagreements. */
    private static final class Tally {
        final String name;
        int all;
        int judged;
        int agreed;
        final Map<String, Integer> byMismatch = new TreeMap<>();
        final Map<String, String> exampleByMismatch = new LinkedHashMap<>();

        Tally(String name) {
            this.name = name;
        }

        void add(String expected, String got, Map<String, String> row) {
            all++;
            if (expected == null) {
                return;
            }
            judged++;
            if (expected.equals(got)) {
                agreed++;
                return;
            }
            String key = row.get("family") + " -> " + got;
            byMismatch.merge(key, 1, Integer::sum);
            exampleByMismatch.putIfAbsent(key, row.get("user_agent_string"));
        }

        double percent() {
            return UserAgentCorpusTest.percent(agreed, judged);
        }

        void print(int mismatchesShown) {
            System.out.printf("%s: %d cases, %d with a contract family, %d agree (%.2f%%)%n",
                    name, all, judged, agreed, percent());
            byMismatch.entrySet().stream()
                    .sorted((a, b) -> b.getValue() - a.getValue())
                    .limit(mismatchesShown)
                    .forEach(e -> System.out.printf("  %4d x %s, e.g. %s%n", e.getValue(), e.getKey(),
                            exampleByMismatch.get(e.getKey())));
        }
    }
}
