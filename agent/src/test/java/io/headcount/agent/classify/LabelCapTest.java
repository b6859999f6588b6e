package io.headcount.agent.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LabelCapTest {
    @Test
    void firstDistinctValuesAreAdmittedThenOther() {
        LabelCap cap = new LabelCap(2);
        assertEquals("/a", cap.admit("/a"));
        assertEquals("/b", cap.admit("/b"));
        assertEquals("other", cap.admit("/c"));
        assertEquals("/a", cap.admit("/a"));
        assertEquals("/b", cap.admit("/b"));
        assertEquals("other", cap.admit("/d"));
        assertEquals(2, cap.size());
    }

    @Test
    void repeatedValuesTakeOnePlace() {
        LabelCap cap = new LabelCap(2);
        for (int i = 0; i < 10; i++) {
            assertEquals("/a", cap.admit("/a"));
        }
        assertEquals("/b", cap.admit("/b"));
        assertEquals(2, cap.size());
    }

    @Test
    void alwaysAllowedValuesPassWithoutTakingAPlace() {
        LabelCap cap = new LabelCap(1, "not_found", "direct", "internal");
        assertEquals("not_found", cap.admit("not_found"));
        assertEquals("direct", cap.admit("direct"));
        assertEquals("other", cap.admit("other"));
        assertEquals(0, cap.size());
        assertEquals("google.com", cap.admit("google.com"));
        assertEquals("other", cap.admit("bing.com"));
        assertEquals("internal", cap.admit("internal"));
        assertEquals(1, cap.size());
    }

    @Test
    void zeroOrNegativeMaxAdmitsOnlyTheAlwaysAllowed() {
        LabelCap cap = new LabelCap(0, "direct");
        assertEquals("other", cap.admit("google.com"));
        assertEquals("direct", cap.admit("direct"));
        assertEquals("other", new LabelCap(-5).admit("x"));
    }

    @Test
    void nullIsOtherAndTakesNoPlace() {
        LabelCap cap = new LabelCap(1, (String[]) null);
        assertEquals("other", cap.admit(null));
        assertEquals("x", cap.admit("x"));
        LabelCap withNulls = new LabelCap(1, "direct", null);
        assertEquals("direct", withNulls.admit("direct"));
    }

    @Test
    void valuesAreComparedExactly() {
        LabelCap cap = new LabelCap(1);
        assertEquals("/A", cap.admit("/A"));
        assertEquals("other", cap.admit("/a"));
    }

    @Test
    void reachedOnlyOnceANewValueBecomesOther() {
        LabelCap cap = new LabelCap(2, "direct");
        cap.admit("/a");
        cap.admit("/b");
        cap.admit("direct");
        cap.admit("other");
        cap.admit(null);
        cap.admit("/a");
        assertFalse(cap.reached(), "full, but nothing hidden yet");
        assertEquals("other", cap.admit("/c"));
        assertTrue(cap.reached());
        cap.admit("/a");
        assertTrue(cap.reached(), "places are never given back");
    }
}
