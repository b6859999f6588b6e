package io.headcount.agent.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
    void userAgentsInOneSetAreToldApartAndTheEightMostRecentStay() {
        // A cache of 8 is one set: every User-Agent falls in it.
        List<String> inOneSet = new ArrayList<>();
        for (char c = 'a'; c < 'a' + 12; c++) {
            inOneSet.add(differentAt(198, c));
        }
        UserAgentCache cache = new UserAgentCache(8, classifier);
        List<UserAgentCache.Entry> entries = new ArrayList<>();
        for (String userAgent : inOneSet) {
            entries.add(cache.get(userAgent));
        }
        for (int i = 0; i < 12; i++) {
            assertEquals(i + 1, entries.get(i).id, inOneSet.get(i));
        }
        // The set holds the 8 most recent; the first 4 were dropped and come back under new numbers.
        for (int i = 4; i < 12; i++) {
            assertSame(entries.get(i), cache.get(new String(inOneSet.get(i))), inOneSet.get(i));
        }
        assertEquals(13, cache.get(inOneSet.get(0)).id);
        assertEquals(8, cache.size());
    }

    @Test
    void aSetDropsItsLeastRecentlyUsedEntry() {
        List<String> inOneSet = new ArrayList<>();
        for (char c = 'a'; c < 'a' + 9; c++) {
            inOneSet.add(differentAt(198, c));
        }
        UserAgentCache cache = new UserAgentCache(8, classifier);
        for (int i = 0; i < 8; i++) {
            cache.get(inOneSet.get(i));
        }
        UserAgentCache.Entry oldest = cache.get(inOneSet.get(0)); // used again: now the most recent
        cache.get(inOneSet.get(8)); // takes the place of inOneSet[1], now the least recent
        assertSame(oldest, cache.get(inOneSet.get(0)));
        assertEquals(10, cache.get(inOneSet.get(1)).id);
    }

    @Test
    void theHashSeesEveryCharacterAndTheLength() {
        assertEquals(200, LONG.length());
        assertNotEquals(hash(CHROME), hash(CHROME + " "));
        assertNotEquals(hash(""), hash("\0"));
        assertNotEquals(hash("curl/8.5.0"), hash("curl/8.6.0"));
        for (int i = 0; i < LONG.length(); i++) {
            assertNotEquals(hash(LONG), hash(differentAt(i, '~')), "at " + i);
        }
        String veryLong = LONG.repeat(4); // two chunks and a tail
        assertEquals(hash(veryLong), hash(new String(veryLong)));
        for (int i : new int[] {0, 255, 256, 300, 511, 512, 799}) {
            String changed = veryLong.substring(0, i) + '~' + veryLong.substring(i + 1);
            assertNotEquals(hash(veryLong), hash(changed), "at " + i);
        }
    }

    @Test
    void theCorpusUserAgentsAllHashApartAndSpreadOverTheSetsAsRandomNumbersWould() throws Exception {
        Set<String> userAgents = new HashSet<>();
        for (String file : UserAgentCorpusTest.BROWSER_FILES) {
            for (Map<String, String> row : UapYaml.read(UserAgentCorpusTest.corpus(file))) {
                userAgents.add(row.get("user_agent_string"));
            }
        }
        Set<Integer> hashes = new HashSet<>();
        int[] perSet = new int[1024]; // the sets of the worker's 8,192-entry cache
        for (String userAgent : userAgents) {
            int hash = hash(userAgent);
            hashes.add(hash);
            perSet[hash & 1023]++;
        }
        assertEquals(userAgents.size(), hashes.size());
        int fullest = 0;
        for (int count : perSet) {
            fullest = Math.max(fullest, count);
        }
        // 14.2 a set on average; 14,514 random numbers in 1,024 sets fill the fullest with 26 to 34
        // (ten seeds), so the hash spreads them as random numbers would.
        assertEquals(14_514, userAgents.size());
        assertEquals(30, fullest);
    }

    @Test
    void charactersThatShareTheirLowByteShareAHashAndAreToldApart() {
        String latin = "agent a";
        String other = "agent \u0161"; // low byte 0x61, 'a'
        assertEquals(hash(latin), hash(other));
        UserAgentCache cache = new UserAgentCache(64, classifier);
        UserAgentCache.Entry first = cache.get(latin);
        UserAgentCache.Entry second = cache.get(other);
        assertEquals(1, first.id);
        assertEquals(2, second.id);
        assertSame(first, cache.get(new String(latin)));
        assertSame(second, cache.get(new String(other)));
    }

    /** The last word is read whole and masked: what the scratch held past the key must not count. */
    @Test
    void theHashOfAKeyIsTheSameWhateverTheScratchHeldBefore() {
        byte[] dirty = new byte[UserAgentCache.SCRATCH];
        java.util.Arrays.fill(dirty, (byte) 0xA5);
        for (int length = 0; length <= 2 * UserAgentCache.CHUNK + 9; length++) {
            String key = LONG.repeat(4).substring(0, length);
            assertEquals(hash(key), UserAgentCache.hash(key, dirty), "length " + length);
            java.util.Arrays.fill(dirty, (byte) 0xA5);
        }
    }

    @Test
    void theCapacityIsAPowerOfTwoOfAtLeastOneSet() {
        assertThrows(IllegalArgumentException.class, () -> new UserAgentCache(100, classifier));
        assertThrows(IllegalArgumentException.class, () -> new UserAgentCache(4, classifier));
    }

    private static String differentAt(int index, char c) {
        return LONG.substring(0, index) + c + LONG.substring(index + 1);
    }

    private static int hash(String userAgent) {
        return UserAgentCache.hash(userAgent, new byte[UserAgentCache.SCRATCH]);
    }

    private static String labels(UserAgentInfo info) {
        return info.client + "/" + info.browser + "/" + info.os + "/" + info.device;
    }
}
