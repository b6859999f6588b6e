package io.headcount.agent.visitors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DayMembershipTest {
    @Test
    void theFirstFindingJoinsWhateverItSays() {
        DayMembership membership = new DayMembership(5000);
        assertFalse(membership.joined());
        assertEquals(DayMembership.Finding.JOIN, membership.markerFound(false, 0));
        assertTrue(membership.joined());
        assertFalse(membership.settling(0));
    }

    @Test
    void aJoinedInstanceFindingItsMarkerKnowsRedisKeptTheDay() {
        DayMembership membership = new DayMembership(5000);
        membership.markerFound(false, 0);
        assertEquals(DayMembership.Finding.PRESENT, membership.markerFound(true, 100));
        assertFalse(membership.settling(100));
    }

    @Test
    void aMissingMarkerMeansALossAndSightingsSettleForTheGivenTime() {
        DayMembership membership = new DayMembership(5000);
        membership.markerFound(false, 0);
        assertEquals(DayMembership.Finding.LOST, membership.markerFound(false, 1000));
        assertTrue(membership.settling(1000));
        assertTrue(membership.settling(5999));
        assertFalse(membership.settling(6000));
    }
}
