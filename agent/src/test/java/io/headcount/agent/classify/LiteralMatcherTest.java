package io.headcount.agent.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class LiteralMatcherTest {
    @Test
    void reportsEveryOccurrenceIncludingOverlapsAndSuffixes() {
        LiteralMatcher matcher = new LiteralMatcher(List.of("he", "she", "his", "hers"));
        List<String> found = new ArrayList<>();
        matcher.scan("ushers", (literal, start, end) -> {
            found.add(literal + "@" + start + "-" + end);
            return false;
        });
        assertEquals(List.of("1@1-4", "0@2-4", "3@2-6"), found);
    }

    @Test
    void stopsWhenTheListenerSaysSo() {
        LiteralMatcher matcher = new LiteralMatcher(List.of("a"));
        int[] calls = {0};
        assertTrue(matcher.scan("aaaa", (literal, start, end) -> ++calls[0] == 2));
        assertEquals(2, calls[0]);
    }

    @Test
    void isCaseSensitiveAndIgnoresEmptyLiterals() {
        LiteralMatcher matcher = new LiteralMatcher(List.of("", "Bot"));
        assertFalse(matcher.scan("bot", (literal, start, end) -> true));
        assertTrue(matcher.scan("xBot", (literal, start, end) -> true));
        assertFalse(matcher.scan("", (literal, start, end) -> true));
    }

    @Test
    void duplicateLiteralsAreBothReported() {
        LiteralMatcher matcher = new LiteralMatcher(List.of("ab", "ab"));
        List<Integer> found = new ArrayList<>();
        matcher.scan("ab", (literal, start, end) -> found.add(literal) && false);
        assertEquals(List.of(0, 1), found);
    }

    @Test
    void failLinksFindMatchesAfterPartialOnes() {
        LiteralMatcher matcher = new LiteralMatcher(List.of("abcd", "bce", "c"));
        List<String> found = new ArrayList<>();
        matcher.scan("abce", (literal, start, end) -> found.add(literal + "@" + start) && false);
        assertEquals(List.of("2@2", "1@1"), found);
    }

    @Test
    void findsWhatASearchForEachLiteralFinds() {
        // A small alphabet, ASCII and not, so that literals share prefixes and fail chains run deep.
        String alphabet = "abc\u00e9\u20ac\u007f";
        Random random = new Random(14);
        for (int round = 0; round < 300; round++) {
            List<String> literals = new ArrayList<>();
            for (int i = 1 + random.nextInt(12); i > 0; i--) {
                literals.add(randomText(random, alphabet, 1 + random.nextInt(4)));
            }
            String text = randomText(random, alphabet, random.nextInt(60));
            TreeSet<String> expected = new TreeSet<>();
            for (int id = 0; id < literals.size(); id++) {
                for (int at = text.indexOf(literals.get(id)); at >= 0; at = text.indexOf(literals.get(id), at + 1)) {
                    expected.add(id + "@" + at);
                }
            }
            TreeSet<String> found = new TreeSet<>();
            new LiteralMatcher(literals).scan(text, (literal, start, end) -> found.add(literal + "@" + start) && false);
            assertEquals(expected, found, literals + " in " + text);
        }
    }

    private static String randomText(Random random, String alphabet, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    @Test
    void handlesCharactersOutsideAscii() {
        LiteralMatcher matcher = new LiteralMatcher(List.of("\u65e5\u672c", "\ud83d\ude00"));
        List<Integer> found = new ArrayList<>();
        matcher.scan("x\u65e5\u672c\ud83d\ude00", (literal, start, end) -> found.add(start) && false);
        assertEquals(List.of(1, 3), found);
    }
}
