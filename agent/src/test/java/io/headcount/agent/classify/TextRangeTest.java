package io.headcount.agent.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TextRangeTest {
    @Test
    void trimsAsStringTrimDoesWithinThePart() {
        String text = "x \t a b \u0001 y";
        assertEquals(4, TextRange.trimStart(text, 1, 10));
        assertEquals(7, TextRange.trimEnd(text, 4, 10));
        assertEquals(" \t a b \u0001 ".trim(), text.substring(4, 7));
        assertEquals(4, TextRange.trimStart(text, 4, 4));
        assertEquals(4, TextRange.trimEnd(text, 4, 4));
        assertEquals(3, TextRange.trimEnd(text, 3, 3));
    }

    @Test
    void blankMeansOnlyWhatTrimRemoves() {
        assertTrue(TextRange.isBlank("a \t\u0000 b", 1, 5));
        assertTrue(TextRange.isBlank("ab", 1, 1));
        assertFalse(TextRange.isBlank("a \u00a0 b", 1, 4));
        assertFalse(TextRange.isBlank("a \u007f b", 1, 4));
    }

    @Test
    void searchesOnlyWithinThePart() {
        String text = "a:b,c:d";
        assertEquals(1, TextRange.indexOf(text, ':', 0, 3));
        assertEquals(-1, TextRange.indexOf(text, ':', 2, 5));
        assertEquals(5, TextRange.indexOf(text, ':', 2, 7));
        assertEquals(-1, TextRange.indexOf(text, ':', 1, 1));
    }
}
