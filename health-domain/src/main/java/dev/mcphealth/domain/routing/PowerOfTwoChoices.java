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
        long two = draw(n, random);
        int a = first(two);
        int b = second(two);
        return a == b || cost.applyAsDouble(a) <= cost.applyAsDouble(b) ? a : b;
    }

    /**
     * The two candidates to compare, drawn as {@link #pick} draws them, packed in one long (read them with
     * {@link #first} and {@link #second}); with one candidate both are 0. For a caller that compares them itself,
     * without a cost function.
     *
     * @throws IllegalArgumentException if there is no candidate
     */
    public static long draw(int n, RandomGenerator random) {
        if (n < 1) {
            throw new IllegalArgumentException("no candidate to pick from");
        }
        if (n == 1) {
            return 0L;
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
        return ((long) a << 32) | b;
    }

    /** The first candidate of a {@link #draw}: the one kept on a tie. */
    public static int first(long drawn) {
        return (int) (drawn >>> 32);
    }

    /** The second candidate of a {@link #draw}: taken only if it costs less. */
    public static int second(long drawn) {
        return (int) drawn;
    }
}
