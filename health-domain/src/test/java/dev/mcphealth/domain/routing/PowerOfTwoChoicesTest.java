package dev.mcphealth.domain.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class PowerOfTwoChoicesTest {

    @Property(tries = 500)
    void thePickIsACandidateAndNeverTheOnlyCostliestOne(@ForAll @Size(min = 1, max = 12) java.util.List<
            @DoubleRange(min = 0, max = 1e9) Double> costs, @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int pick = PowerOfTwoChoices.pick(costs.size(), costs::get, random);

        assertTrue(pick >= 0 && pick < costs.size(), "index " + pick);
        double max = costs.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        long atMax = costs.stream().filter(c -> c == max).count();
        if (costs.size() > 1 && atMax == 1) {
            assertTrue(costs.get(pick) < max, "the costliest of " + costs + " was picked");
        }
    }

    @Property(tries = 200)
    void ofTwoTheCheaperIsAlwaysPicked(@ForAll @DoubleRange(min = 0, max = 1e9) double a,
                                       @ForAll @DoubleRange(min = 0, max = 1e9) double b, @ForAll long seed) {
        double[] costs = {a, b};
        int pick = PowerOfTwoChoices.pick(2, i -> costs[i], new SplittableRandom(seed));

        assertEquals(Math.min(a, b), costs[pick]);
    }

    @Test
    void ofThreeTheCheapestWinsTwoDrawsInThreeAndTheCostliestNone() {
        double[] costs = {1, 2, 3};
        int[] picks = new int[3];
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 30_000; i++) {
            picks[PowerOfTwoChoices.pick(3, j -> costs[j], random)]++;
        }
        assertEquals(20_000, picks[0], 500);
        assertEquals(10_000, picks[1], 500);
        assertEquals(0, picks[2]);
    }

    @Test
    void aTieOfTwoGoesEitherWay() {
        int[] picks = new int[2];
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            picks[PowerOfTwoChoices.pick(2, j -> 0.0, random)]++;
        }
        assertEquals(5_000, picks[0], 300);
    }

    @Test
    void thereMustBeACandidate() {
        assertThrows(IllegalArgumentException.class, () -> PowerOfTwoChoices.pick(0, i -> 0, new SplittableRandom()));
    }

    @Test
    void aFiveTimesSlowerInstanceGetsFewCallsWhenTheCallsFollowEachOther() {
        // calls every 10 ms on a clock of our own, one at a time: the slow one is tried again only when its decayed
        // estimate drops below the fast one's
        InstanceLoad fast = new InstanceLoad();
        InstanceLoad slow = new InstanceLoad();
        InstanceLoad[] loads = {fast, slow};
        long[] rtt = {1_000_000L, 5_000_000L};
        int[] calls = new int[2];
        SplittableRandom random = new SplittableRandom(1);
        long now = 0;
        for (int i = 0; i < 60_000; i++, now += 10_000_000L) {
            long at = now;
            int pick = PowerOfTwoChoices.pick(2, j -> loads[j].cost(at), random);
            loads[pick].started();
            loads[pick].answered(at + rtt[pick], rtt[pick]);
            calls[pick]++;
        }
        assertTrue(calls[1] < 0.2 * 60_000, "the slow one got " + calls[1] + " of 60000 calls");
        assertTrue(calls[1] > 0, "it is still tried now and then");
    }
}
