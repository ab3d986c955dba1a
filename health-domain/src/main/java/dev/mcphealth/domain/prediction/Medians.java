package dev.mcphealth.domain.prediction;

/** Medians of three and of five numbers by comparisons: they run for every sample, so no arrays and no sorting. */
final class Medians {
    private Medians() {
    }

    static double of(double a, double b, double c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }

    static double of(double a, double b, double c, double d, double e) {
        double t;
        if (a > b) {
            t = a;
            a = b;
            b = t;
        }
        if (c > d) {
            t = c;
            c = d;
            d = t;
        }
        if (a > c) { // swap the pairs, so that a is the smallest of a, b, c, d
            t = a;
            a = c;
            c = t;
            t = b;
            b = d;
            d = t;
        }
        // a is below three others, so not the median: that is the second smallest of b, e and c <= d
        if (b > e) {
            t = b;
            b = e;
            e = t;
        }
        return b < c ? Math.min(e, c) : Math.min(b, d);
    }
}
