package io.headcount.agent.config;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.headcount.testsupport.HostileInputs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property tests over generated hostile text (issue 10, Deliver 8) for every setting: each value
 * is either parsed or rejected with one line that names the key, never an exception of another
 * kind, a line break or an unbounded message.
 */
class SettingsPropertyTest {
    /** Well past the 200 characters a value is cut to in a message, plus the allowed text. */
    private static final int MAX_MESSAGE_LENGTH = 1200;

    static Stream<Arguments> hostileValuePerSetting() {
        List<String> values = HostileInputs.strings(0x5e771_6L, 60);
        List<Arguments> out = new ArrayList<>();
        for (Setting<?> setting : SettingDefinitions.ALL) {
            for (String value : values) {
                out.add(Arguments.of(setting.key(), value));
            }
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("hostileValuePerSetting")
    void everySettingParsesOrGivesOneLine(String key, String value) {
        // As a system property: the agent argument would cut the value at commas.
        try {
            Settings settings = SettingsLoader.load(null, Map.of("headcount." + key, value), Map.of());
            assertNotNull(settings.toString());
        } catch (InvalidSettingsException e) {
            String message = e.getMessage();
            // A value that parses can still fail the check of settings that go together (a user
            // name without a password), in a line of its own form.
            boolean together = message.startsWith("Setting '" + key + "' needs ");
            assertTrue(together || message.startsWith("Invalid value '"), message);
            assertTrue(message.contains(together ? "(system property headcount." + key + ")"
                    : " for setting '" + key + "' (system property headcount." + key + ")"), message);
            assertTrue(message.length() <= MAX_MESSAGE_LENGTH, message);
            assertTrue(message.chars().noneMatch(c -> c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029),
                    message);
        } catch (RuntimeException e) {
            fail("setting " + key + " threw " + e, e);
        }
    }

    @ParameterizedTest
    @MethodSource("hostileValuePerSetting")
    void theAgentArgumentParsesOrGivesOneLine(String key, String value) {
        try {
            SettingsLoader.load(key + "=" + value, Map.of(), Map.of());
        } catch (InvalidSettingsException e) {
            String message = e.getMessage();
            assertTrue(message.length() <= MAX_MESSAGE_LENGTH + 1000, message);
            assertTrue(message.chars().noneMatch(c -> c == '\n' || c == '\r'), message);
        } catch (RuntimeException e) {
            fail("agent argument " + key + " threw " + e, e);
        }
    }
}
