package dev.mcphealth.domain.routing;

import java.util.function.IntToDoubleFunction;
import java.util.random.RandomGenerator;

/**
 * The power of two choices (Mitzenmacher): of {@code n} candidates, two drawn at random without replacement, the one
 * that costs less. Nearly as good as asking every candidate, at the cost of two, and it never herds every caller onto
 * the one instance that looked best a moment ago. Without allocation.
 */
public final class PowerOfTwoChoices {
    private PowerOfTwoChoices() {
    }

    /**
     * The index (0..n-1) of the candidate to use: with one, it; with two, the cheaper; with more, the cheaper of two
     * distinct ones drawn from {@code random}. A tie goes to either of the two at random.
     *
     * @throws IllegalArgumentException if there is no candidate
     */
    public static int pick(int n, IntToDoubleFunction cost, RandomGenerator random) {
        if (n < 1) {
            throw new IllegalArgumentException("no candidate to pick from");
        }
        if (n == 1) {
            return 0;
        }
        int a;
        int b;
        if (n == 2) {
            a = random.nextInt(2); // both are looked at; drawing the order breaks a tie at random
            b = 1 - a;
        } else {
            a = random.nextInt(n);
            b = random.nextInt(n - 1);
            if (b >= a) {
                b++;
            }
        }
        return cost.applyAsDouble(b) < cost.applyAsDouble(a) ? b : a;
    }
}
