package io.headcount.agent.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientVersionTest {
    @Test
    void twoToFourNumbersWithAnOptionalShortPreReleaseSuffix() {
        for (String version : List.of("1.2", "0.1.7", "10.20.30.40", "2024.01.15", "12345678.0",
                "1.2.3-rc.1", "2.0.0-SNAPSHOT", "1.0-beta2", "1.2.3-0123456789abcdef")) {
            assertTrue(ClientVersion.wellFormed(version), version);
        }
    }

    @Test
    void everythingElseIsMalformed() {
        for (String version : List.of("", "1", "v1.2.3", "1.2.3.4.5", "1..2", "1.2.", ".1.2", "123456789.1",
                "1.2.3+sha.abc", "1.2.3-", "1.2.3-rc..1", "1.2.3-.rc", "1.2.3-rc.", "1.2.3-0123456789abcdefg",
                "1.2.3 ", " 1.2.3", "1.2.3-rc_1", "1.2.3-r\u00e9", "\u0661.\u0662", "1.2\n", "latest")) {
            assertFalse(ClientVersion.wellFormed(version), version);
        }
        assertFalse(ClientVersion.wellFormed(null));
    }

    @Test
    void theLongestWellFormedVersionIsTheBound() {
        String longest = "12345678.12345678.12345678.12345678-abcdefghijklmnop";
        assertEquals(ClientVersion.MAX_LENGTH, longest.length());
        assertTrue(ClientVersion.wellFormed(longest));
    }

    @Test
    void eachClientKeepsItsFirst32VersionsThenOther() {
        ClientVersions versions = new ClientVersions();
        for (int i = 0; i < 32; i++) {
            assertEquals("1." + i, versions.admit("kci-dev", "1." + i));
        }
        assertEquals("other", versions.admit("kci-dev", "2.0"));
        assertEquals("1.0", versions.admit("kci-dev", "1.0"));
        assertEquals("other", versions.admit("kci-dev", "other"));
        assertEquals("2.0", versions.admit("app", "2.0"), "the cap is per client");
    }
}
