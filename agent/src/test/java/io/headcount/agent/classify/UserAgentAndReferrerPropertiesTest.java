package io.headcount.agent.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.testsupport.HostileInputs;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The User-Agent and Referer classifiers on generated hostile input (see {@link HostileInputs}):
 * no exception, and every label one of the contract's values. A failure names its seed and case.
 */
class UserAgentAndReferrerPropertiesTest {
    private static final int CASES = 400;
    private static final Set<String> CLIENTS = Set.of("browser", "script", "bot", "unknown");
    private static final Set<String> BROWSERS = Set.of("Chrome", "Firefox", "Safari", "Edge", "Opera",
            "Samsung Internet", "Internet Explorer", "bot", "unknown");
    private static final Set<String> OSES = Set.of("Windows", "macOS", "Linux", "Android", "iOS", "ChromeOS", "unknown");
    private static final Set<String> DEVICES = Set.of("desktop", "mobile", "tablet", "bot", "script", "unknown");
    /** A lower-case host name or IPv4 address, or a bracketed IPv6 literal. */
    /** A lower-case host name whose labels neither start nor end with '-', or a bracketed IPv6 literal. */
    private static final Pattern HOST = Pattern.compile(
            "(?=[a-z0-9.-]{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*|\\[[0-9a-f:.]+\\]");

    private final UserAgentClassifier userAgents = new UserAgentClassifier();

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 5);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void userAgentLabelsAreTheContractsValues(long seed) {
        Set<String> tools = ScriptTools.names();
        List<String> inputs = HostileInputs.strings(seed, CASES);
        for (int i = 0; i < inputs.size(); i++) {
            for (String ua : new String[] {inputs.get(i), "Mozilla/5.0 " + inputs.get(i), "curl/8" + inputs.get(i)}) {
                UserAgentInfo info;
                try {
                    info = userAgents.classify(ua);
                } catch (RuntimeException e) {
                    throw new AssertionError(where(seed, i), e);
                }
                String where = where(seed, i) + " gave " + info;
                assertTrue(CLIENTS.contains(info.client), where);
                assertTrue(OSES.contains(info.os), where);
                assertTrue(DEVICES.contains(info.device), where);
                switch (info.client) {
                    case "script":
                        assertTrue(tools.contains(info.browser), where);
                        assertEquals("script", info.device, where);
                        break;
                    case "bot":
                        assertEquals("bot", info.browser, where);
                        assertEquals("bot", info.device, where);
                        break;
                    default:
                        assertTrue(BROWSERS.contains(info.browser) && !info.browser.equals("bot"), where);
                        break;
                }
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void referrersAreDirectInternalOtherOrALowerCaseHost(long seed) {
        List<String> inputs = new ArrayList<>(HostileInputs.strings(seed, CASES));
        // One usable host for certain, so that the pairs below reach internal whatever the seed.
        inputs.add("Shop.Example.");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < inputs.size(); i++) {
            String hostile = inputs.get(i);
            String[][] pairs = {
                {hostile, hostile}, {hostile, "shop.example"}, {"https://" + hostile, "shop.example"},
                {"https://" + hostile + "/x", hostile}, {"//" + hostile, null}, {"https://shop.example/" + hostile, "shop.example"},
            };
            for (String[] pair : pairs) {
                String referrer;
                try {
                    referrer = ReferrerClassifier.classify(pair[0], pair[1]);
                } catch (RuntimeException e) {
                    throw new AssertionError(where(seed, i), e);
                }
                boolean fixed = referrer.equals("direct") || referrer.equals("internal") || referrer.equals("other");
                assertTrue(fixed || HOST.matcher(referrer).matches(), where(seed, i) + " gave " + referrer);
                seen.add(fixed ? referrer : "host");
            }
        }
        // The generator reaches every kind of answer, so the checks above are not vacuous.
        assertEquals(Set.of("direct", "internal", "other", "host"), seen);
    }

    private static String where(long seed, int i) {
        return "seed " + seed + " case " + i;
    }
}
