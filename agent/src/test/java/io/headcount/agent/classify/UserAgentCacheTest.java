package io.headcount.agent.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UserAgentCacheTest {
    private static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"
            + " (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
    private static final String LONG = CHROME + " " + CHROME.substring(0, 88);

    private final UserAgentClassifier classifier = new UserAgentClassifier();

    @Test
    void aUserAgentSeenAgainGivesTheSameEntryAsAnotherStringOfTheSameText() {
        UserAgentCache cache = new UserAgentCache(64, classifier);
        UserAgentCache.Entry first = cache.get(CHROME);
        assertSame(first, cache.get(new String(CHROME)));
        assertEquals(1, first.id);
        assertEquals("browser/Chrome/Windows/desktop", labels(first.info));
        assertEquals(labels(classifier.classify(CHROME)), labels(first.info));
        assertEquals(1, cache.size());
    }

    @Test
    void noUserAgentIsTheEmptyOne() {
        UserAgentCache cache = new UserAgentCache(64, classifier);
        assertSame(cache.get(null), cache.get(""));
        assertEquals(labels(classifier.classify("")), labels(cache.get(null).info));
    }

    @Test
    void staysWithinItsCapacityAndNumbersAreNeverReused() {
        UserAgentCache cache = new UserAgentCache(256, classifier);
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            UserAgentCache.Entry entry = cache.get("tool-" + i + "/1.0");
            assertEquals(i + 1, entry.id);
            ids.add(entry.id);
            assertTrue(cache.size() <= Math.min(i + 1, 256), "after " + (i + 1));
        }
        assertEquals(20_000, ids.size());
        assertEquals(256, cache.size());
    }

    @Test
    void userAgentsWhoseSamplesAgreeShareASetAndAreToldApart() {
        // 200 characters sample every 2nd from the end: the ones in between are not hashed.
        List<String> sameHash = new ArrayList<>();
        for (char c = 'a'; c < 'a' + 12; c++) {
            sameHash.add(differentAt(198, c));
        }
        assertEquals(200, LONG.length());
        for (String userAgent : sameHash) {
            assertEquals(UserAgentCache.sampledHash(sameHash.get(0)), UserAgentCache.sampledHash(userAgent));
        }
        UserAgentCache cache = new UserAgentCache(1024, classifier);
        List<UserAgentCache.Entry> entries = new ArrayList<>();
        for (String userAgent : sameHash) {
            entries.add(cache.get(userAgent));
        }
        for (int i = 0; i < 12; i++) {
            assertEquals(i + 1, entries.get(i).id, sameHash.get(i));
        }
        // The set holds the 8 most recent; the first 4 were dropped and come back under new numbers.
        for (int i = 4; i < 12; i++) {
            assertSame(entries.get(i), cache.get(new String(sameHash.get(i))), sameHash.get(i));
        }
        assertEquals(13, cache.get(sameHash.get(0)).id);
        assertEquals(8, cache.size());
    }

    @Test
    void aSetDropsItsLeastRecentlyUsedEntry() {
        List<String> sameHash = new ArrayList<>();
        for (char c = 'a'; c < 'a' + 9; c++) {
            sameHash.add(differentAt(198, c));
        }
        UserAgentCache cache = new UserAgentCache(1024, classifier);
        for (int i = 0; i < 8; i++) {
            cache.get(sameHash.get(i));
        }
        UserAgentCache.Entry oldest = cache.get(sameHash.get(0)); // used again: now the most recent
        cache.get(sameHash.get(8)); // takes the place of sameHash[1], now the least recent
        assertSame(oldest, cache.get(sameHash.get(0)));
        assertEquals(10, cache.get(sameHash.get(1)).id);
    }

    @Test
    void theSampledHashSeesTheLengthAndTheEnd() {
        assertNotEquals(UserAgentCache.sampledHash(CHROME), UserAgentCache.sampledHash(CHROME + " "));
        assertNotEquals(UserAgentCache.sampledHash(CHROME),
                UserAgentCache.sampledHash(CHROME.replace("Safari/537.36", "Safari/537.37")));
        assertNotEquals(UserAgentCache.sampledHash("curl/8.5.0"), UserAgentCache.sampledHash("curl/8.6.0"));
        // Up to 127 characters, every one counts.
        assertNotEquals(UserAgentCache.sampledHash(CHROME), UserAgentCache.sampledHash(CHROME.replace("120.", "121.")));
    }

    @Test
    void theCapacityIsAPowerOfTwoOfAtLeastOneSet() {
        assertThrows(IllegalArgumentException.class, () -> new UserAgentCache(100, classifier));
        assertThrows(IllegalArgumentException.class, () -> new UserAgentCache(4, classifier));
    }

    private static String differentAt(int index, char c) {
        return LONG.substring(0, index) + c + LONG.substring(index + 1);
    }

    private static String labels(UserAgentInfo info) {
        return info.client + "/" + info.browser + "/" + info.os + "/" + info.device;
    }
}
