package io.headcount.agent.visitors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FingerprintSetTest {
    @Test
    void addsOnceAndReportsPresentAfterwards() {
        FingerprintSet set = new FingerprintSet(10);
        assertEquals(FingerprintSet.Result.ADDED, set.add(42));
        assertEquals(FingerprintSet.Result.PRESENT, set.add(42));
        assertEquals(1, set.size());
    }

    @Test
    void zeroIsAFingerprintLikeAnyOther() {
        FingerprintSet set = new FingerprintSet(10);
        assertFalse(set.contains(0));
        assertEquals(FingerprintSet.Result.ADDED, set.add(0));
        assertTrue(set.contains(0));
        assertEquals(FingerprintSet.Result.PRESENT, set.add(0));
    }

    @Test
    void refusesNewOnesPastTheBoundButStillKnowsOldOnes() {
        FingerprintSet set = new FingerprintSet(3);
        set.add(1);
        set.add(2);
        set.add(3);
        assertEquals(FingerprintSet.Result.FULL, set.add(4));
        assertEquals(FingerprintSet.Result.PRESENT, set.add(2));
        assertEquals(3, set.size());
    }

    @Test
    void growsPastItsInitialCapacityWithoutLosingAny() {
        FingerprintSet set = new FingerprintSet(1_000_000);
        SplittableRandom random = new SplittableRandom(7);
        long[] values = new long[100_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextLong();
            set.add(values[i]);
        }
        assertEquals(values.length, set.size());
        for (long value : values) {
            assertTrue(set.contains(value));
        }
    }

    @Test
    void clearForgetsEverything() {
        FingerprintSet set = new FingerprintSet(10);
        set.add(5);
        set.clear();
        assertEquals(0, set.size());
        assertFalse(set.contains(5));
    }
}
