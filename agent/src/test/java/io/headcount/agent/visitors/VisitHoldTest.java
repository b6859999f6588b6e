package io.headcount.agent.visitors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VisitHoldTest {
    @Test
    void holdsUpToTheCountBoundAndRefusesTheRest() {
        VisitHold<String> hold = new VisitHold<>(2, 30_000);
        assertTrue(hold.offer("a", 0));
        assertTrue(hold.offer("b", 1));
        assertFalse(hold.offer("c", 2));
        assertEquals(2, hold.size());
        assertEquals("a", hold.poll());
        assertTrue(hold.offer("d", 3), "room again once one left");
    }

    @Test
    void pastTheTimeBoundItGivesUpUntilReset() {
        VisitHold<String> hold = new VisitHold<>(10, 1000);
        hold.offer("a", 5000);
        hold.offer("b", 5500);
        assertFalse(hold.overdue(5999));
        assertTrue(hold.overdue(6000), "measured from the first visit held");
        assertFalse(hold.offer("c", 6001));
        assertEquals("a", hold.poll());
        assertEquals("b", hold.poll());
        assertNull(hold.poll());
        assertFalse(hold.overdue(7000), "nothing left to count alone");
        assertTrue(hold.givenUp());
        assertFalse(hold.offer("d", 7000), "still given up: the salt has not come");
        hold.reset();
        assertTrue(hold.offer("e", 8000));
        assertFalse(hold.overdue(8999));
    }

    @Test
    void theTimeBoundStartsAgainWithTheNextFirstVisit() {
        VisitHold<String> hold = new VisitHold<>(10, 1000);
        hold.offer("a", 0);
        hold.poll();
        hold.offer("b", 5000);
        assertFalse(hold.overdue(5500));
    }

    @Test
    void zeroBoundsHoldNothing() {
        assertFalse(new VisitHold<String>(0, 30_000).offer("a", 0));
        VisitHold<String> noTime = new VisitHold<>(10, 0);
        assertTrue(noTime.offer("a", 0));
        assertTrue(noTime.overdue(0));
    }
}
