package io.headcount.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class LabelTableTest {
    @Test
    void findsEachOfManyEntriesThroughItsGrowthAndByEqualLabelsOfOtherInstances() {
        LabelTable<Integer> table = new LabelTable<>(4096);
        for (int i = 0; i < 3000; i++) {
            table.put("/e" + i, "GET", "2xx", "browser", i);
        }
        assertEquals(3000, table.size());
        for (int i = 0; i < 3000; i++) {
            assertEquals(i, table.get(new String("/e" + i), new String("GET"), "2xx", "browser"));
        }
        assertNull(table.get("/e0", "POST", "2xx", "browser"));
        assertNull(table.get("/e0", "GET", "2xx", "bot"));
        assertNull(table.get("/e3000", "GET", "2xx", "browser"));
    }

    @Test
    void labelsWhoseHashesCollideAreToldApart() {
        // "Aa" and "BB" share String's hash, so these keys share one slot's hash.
        LabelTable<String> table = new LabelTable<>(16);
        table.put("Aa", "x", "y", "z", "first");
        table.put("BB", "x", "y", "z", "second");
        assertEquals("first", table.get("Aa", "x", "y", "z"));
        assertEquals("second", table.get("BB", "x", "y", "z"));
        assertNull(table.get("Ab", "x", "y", "z"));
    }

    @Test
    void manyLabelsOfOneHashAreEachFoundBesideOthers() {
        // Built from "Aa" and "BB", which share String's hash: 2^11 endpoints of one hash, as a
        // client could choose its paths, among 1,000 ordinary ones.
        LabelTable<String> table = new LabelTable<>(4096);
        for (int i = 0; i < 1000; i++) {
            table.put("/ordinary/" + i, "GET", "2xx", "browser", "ordinary " + i);
        }
        for (int i = 0; i < 1 << 11; i++) {
            table.put(colliding(i, 11), "GET", "2xx", "browser", "colliding " + i);
        }
        assertEquals(1000 + (1 << 11), table.size());
        for (int i = 0; i < 1000; i++) {
            assertEquals("ordinary " + i, table.get("/ordinary/" + i, "GET", "2xx", "browser"));
        }
        for (int i = 0; i < 1 << 11; i++) {
            assertEquals("colliding " + i, table.get(colliding(i, 11), "GET", "2xx", "browser"));
        }
        assertNull(table.get(colliding(0, 12), "GET", "2xx", "browser"));
    }

    /** The {@code bits}-bit number {@code n} spelt with "Aa" for 0 and "BB" for 1: every such word has one hash. */
    private static String colliding(int n, int bits) {
        StringBuilder word = new StringBuilder();
        for (int bit = 0; bit < bits; bit++) {
            word.append((n >> bit & 1) == 0 ? "Aa" : "BB");
        }
        return word.toString();
    }

    @Test
    void nullLabelsAreLabelsLikeAnyOther() {
        LabelTable<String> table = new LabelTable<>(16);
        table.put(null, "x", null, "z", "nulls");
        assertEquals("nulls", table.get(null, "x", null, "z"));
        assertNull(table.get("null", "x", null, "z"));
    }

    @Test
    void aNewEntryPastTheMostStartsTheTableAgainWithItAlone() {
        LabelTable<Integer> table = new LabelTable<>(100);
        for (int i = 0; i < 100; i++) {
            table.put("/e" + i, "GET", "2xx", "browser", i);
        }
        assertEquals(100, table.size());
        assertEquals(99, table.get("/e99", "GET", "2xx", "browser"));
        table.put("/e100", "GET", "2xx", "browser", 100);
        assertEquals(1, table.size());
        assertEquals(100, table.get("/e100", "GET", "2xx", "browser"));
        assertNull(table.get("/e99", "GET", "2xx", "browser"));
    }
}
