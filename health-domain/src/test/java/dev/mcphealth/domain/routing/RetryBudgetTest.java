package dev.mcphealth.domain.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {
    private static final long S = 1_000_000_000L;

    @Test
    void theFloorAloneAllowsMinPerSecondTimesTheWindowThenNothing() {
        RetryBudget b = new RetryBudget(0.2, 10, 10 * S);
        int spent = 0;
        while (b.trySpend(5 * S)) {
            spent++;
        }
        assertEquals(100, spent, "10/s over 10 s");
        assertFalse(b.trySpend(5 * S));
    }

    @Test
    void eachCallEarnsTheRatioOfAnExtraRequest() {
        RetryBudget b = new RetryBudget(0.2, 0, 10 * S);
        for (int i = 0; i < 50; i++) {
            b.called(S);
        }
        int spent = 0;
        while (b.trySpend(S)) {
            spent++;
        }
        assertEquals(10, spent, "20 % of 50 calls");
    }

    @Test
    void whatWasEarnedAndSpentLeavesTheWindowAndTheFloorComesBack() {
        RetryBudget b = new RetryBudget(0.2, 1, 10 * S);
        for (int i = 0; i < 100; i++) {
            b.called(0);
        }
        while (b.trySpend(0)) {
            // spend everything: 20 earned + 10 of floor
        }
        assertEquals(0.0, b.left(0), 1e-9);
        assertEquals(0.0, b.left(9 * S), 1e-9, "still in the window");
        assertEquals(10.0, b.left(10 * S), 1e-9, "the first slot left the window: the floor again");
        assertTrue(b.trySpend(10 * S));
    }

    @Test
    void aBadBudgetIsRefusedWithItsValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RetryBudget(-1, 10, S));
        assertTrue(e.getMessage().contains("-1.0"), e.getMessage());
    }

    /** Whatever the calls, a failing pool's extra requests over one window stay within ratio x calls + the floor. */
    @Property
    void extraRequestsInAWindowNeverExceedTheRatioOfCallsPlusTheFloor(@ForAll @IntRange(min = 0, max = 2000) int calls,
                                                                       @ForAll @IntRange(min = 0, max = 20) int perSecond,
                                                                       @ForAll @IntRange(min = 1, max = 5) int triesPerCall) {
        RetryBudget b = new RetryBudget(0.2, perSecond, 10 * S);
        long spent = 0;
        for (int i = 0; i < calls; i++) {
            long now = i * (10 * S / Math.max(1, calls)); // all within one window
            b.called(now);
            for (int t = 0; t < triesPerCall; t++) {
                if (b.trySpend(now)) {
                    spent++;
                }
            }
        }
        assertTrue(spent <= 0.2 * calls + perSecond * 10L + 1e-9, spent + " extra for " + calls + " calls");
    }
}
