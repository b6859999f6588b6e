package io.headcount.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RenderBudgetTest {
    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong clock = new AtomicLong(123_456_789L);
    private final RenderBudget budget = new RenderBudget(SECOND, clock::get);

    @Test
    void aFullBudgetNeverWaits() {
        assertEquals(0, budget.waitNanos());
        budget.spent(SECOND);
        assertEquals(0, budget.waitNanos());
    }

    @Test
    void anOverdrawnBudgetWaitsTenTimesTheDebt() {
        budget.spent(SECOND + SECOND / 2);
        assertEquals(5 * SECOND, budget.waitNanos());
        clock.addAndGet(2 * SECOND);
        assertEquals(3 * SECOND, budget.waitNanos());
        clock.addAndGet(3 * SECOND);
        assertEquals(0, budget.waitNanos());
    }

    @Test
    void theBudgetRefillsUpToTheBurstOnly() {
        clock.addAndGet(100 * SECOND);
        budget.spent(SECOND - SECOND / 10);
        assertEquals(0, budget.waitNanos());
        budget.spent(SECOND / 5);
        assertEquals(SECOND, budget.waitNanos());
    }

    @Test
    void theDebtIsAtMostOneBurst() {
        budget.spent(4 * SECOND);
        assertEquals(10 * SECOND, budget.waitNanos());
        budget.spent(SECOND);
        assertEquals(10 * SECOND, budget.waitNanos());
    }

    @Test
    void timeBetweenCallsIsNotLostToRounding() {
        budget.spent(2 * SECOND);
        for (int i = 0; i < 1_000; i++) {
            clock.addAndGet(7);
            budget.waitNanos();
        }
        // 7,000 ns earn 700 ns of render time, whatever the steps.
        assertEquals((SECOND - 700) * 10, budget.waitNanos());
    }
}
