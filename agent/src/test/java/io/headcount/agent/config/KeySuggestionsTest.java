package io.headcount.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeySuggestionsTest {
    private static final List<String> KEYS = SettingDefinitions.keys();

    @Test
    void sameLettersIgnoringSeparatorsAndCaseMatch() {
        assertEquals("trusted-proxies", KeySuggestions.closest("TRUSTED_PROXIES", KEYS));
        assertEquals("redis.url", KeySuggestions.closest("redisUrl", KEYS));
        assertEquals("queue.capacity", KeySuggestions.closest("queue-capacity", KEYS));
    }

    @Test
    void headcountPrefixIsIgnored() {
        assertEquals("day.zone", KeySuggestions.closest("headcount.day.zone", KEYS));
        assertEquals("port", KeySuggestions.closest("HEADCOUNT_PORT", KEYS));
    }

    @Test
    void upToTwoEditsAway() {
        assertEquals("port", KeySuggestions.closest("prot", KEYS));
        assertEquals("enabled", KeySuggestions.closest("enable", KEYS));
        assertEquals("visitors.max", KeySuggestions.closest("visitor.mx", KEYS));
        assertNull(KeySuggestions.closest("visit.mx", KEYS));
    }

    @Test
    void closestWinsAndTiesGoToTheEarlierKey() {
        assertEquals("host", KeySuggestions.closest("hosts", KEYS));
        assertEquals("host", KeySuggestions.closest("post", KEYS));
    }

    @Test
    void farKeysGetNoSuggestion() {
        assertNull(KeySuggestions.closest("colour", KEYS));
        assertNull(KeySuggestions.closest("", KEYS));
    }

    @Test
    void levenshteinCountsInsertionsDeletionsAndSubstitutions() {
        assertEquals(0, KeySuggestions.levenshtein("port", "port"));
        assertEquals(2, KeySuggestions.levenshtein("prot", "port"));
        assertEquals(1, KeySuggestions.levenshtein("ports", "port"));
        assertEquals(3, KeySuggestions.levenshtein("kitten", "sitting"));
        // Lengths more than 2 apart are far enough without the table: a 5 MB key costs nothing.
        assertEquals(3, KeySuggestions.levenshtein("x".repeat(5_000_000), "port"));
        assertEquals(null, KeySuggestions.closest("x".repeat(5_000_000), java.util.List.of("port", "host")));
        assertEquals(3, KeySuggestions.levenshtein("", "host"));
    }
}
