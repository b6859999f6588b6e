package io.headcount.agent.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.agent.bootstrap.RequestEvent;
import io.headcount.testsupport.HostileInputs;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The client-hint parser on generated hostile input (see {@link HostileInputs}), alone and spliced
 * into well-formed fields: no exception, every label one of the contract's values, the client
 * kind never changed. A failure names its seed and case.
 */
class ClientHintsPropertiesTest {
    private static final int CASES = 400;
    private static final Set<String> BROWSERS = Set.of("Chrome", "Firefox", "Safari", "Edge", "Opera",
            "Samsung Internet", "Internet Explorer", "unknown");
    private static final Set<String> OSES = Set.of("Windows", "macOS", "Linux", "Android", "iOS", "ChromeOS", "unknown");
    private static final Set<String> DEVICES = Set.of("desktop", "mobile", "tablet", "unknown");

    private final UserAgentInfo chrome = new UserAgentClassifier().classify(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36");
    private final UserAgentInfo script = new UserAgentInfo("script", "curl", "unknown", "script");

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 5);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void hostileHintsGiveOnlyTheContractsValues(long seed) {
        List<String> inputs = HostileInputs.strings(seed, CASES);
        for (int i = 0; i < inputs.size(); i++) {
            // Cut as the sink cuts every value the client sends.
            String hostile = inputs.get(i).length() > RequestEvent.MAX_VALUE_LENGTH
                    ? inputs.get(i).substring(0, RequestEvent.MAX_VALUE_LENGTH) : inputs.get(i);
            String[][] fields = {
                {hostile, hostile, hostile},
                {"\"Google Chrome\";v=\"" + hostile + "\", \"Chromium\"", "?1", "\"" + hostile + "\""},
                {"\"" + hostile + "\", \"Chromium\";v=\"131\"", "?0" + hostile, "\"Android\";" + hostile},
                {hostile + ", \"Microsoft Edge\"", hostile + "?1", hostile + "\"Windows\""},
            };
            for (String[] field : fields) {
                String where = "seed " + seed + " case " + i;
                UserAgentInfo info;
                try {
                    info = ClientHints.apply(chrome, field[0], field[1], field[2]);
                    assertEquals(script.toString(), ClientHints.apply(script, field[0], field[1], field[2]).toString(), where);
                } catch (RuntimeException e) {
                    throw new AssertionError(where, e);
                }
                assertEquals("browser", info.client, where);
                assertTrue(BROWSERS.contains(info.browser), where + " gave " + info);
                assertTrue(OSES.contains(info.os), where + " gave " + info);
                assertTrue(DEVICES.contains(info.device), where + " gave " + info);
            }
        }
    }
}
