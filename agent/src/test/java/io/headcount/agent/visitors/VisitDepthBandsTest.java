package io.headcount.agent.visitors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class VisitDepthBandsTest {
    @Test
    void eachBandStartsAndEndsWhereItsLabelSays() {
        long[][] cases = {
            {1, 0}, {2, 1}, {5, 1}, {6, 2}, {10, 2}, {11, 3}, {20, 3}, {21, 4}, {50, 4}, {51, 5}, {100, 5},
            {101, 6}, {500, 6}, {501, 7}, {999, 7}, {1000, 8}, {1001, 8}, {Long.MAX_VALUE, 8},
        };
        for (long[] c : cases) {
            assertEquals(c[1], VisitDepthBands.indexOf(c[0]), "requests " + c[0]);
        }
        assertEquals("1", VisitDepthBands.of(1));
        assertEquals("2-5", VisitDepthBands.of(5));
        assertEquals("501-999", VisitDepthBands.of(999));
        assertEquals("1000+", VisitDepthBands.of(1000));
    }

    @Test
    void thereAreNineFixedBands() {
        assertEquals(java.util.List.of("1", "2-5", "6-10", "11-20", "21-50", "51-100", "101-500", "501-999", "1000+"),
                java.util.List.of(VisitDepthBands.LABELS));
    }

    @Test
    void aTallyAddsOneVisitorToItsClientsBand() {
        DepthTally tally = new DepthTally();
        tally.add("browser", 1);
        tally.add("browser", 3);
        tally.add("browser", 5);
        tally.add("script", 1000);
        tally.add("script", 0);
        assertEquals(1, tally.visitors("browser", "1"));
        assertEquals(2, tally.visitors("browser", "2-5"));
        assertEquals(1, tally.visitors("script", "1000+"));
        assertEquals(0, tally.visitors("script", "1"));
    }
}
