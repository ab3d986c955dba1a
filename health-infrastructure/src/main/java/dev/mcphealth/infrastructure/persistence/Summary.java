package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.domain.model.HealthStatus;
import java.util.Arrays;

/**
 * Values of one metric over one stretch of time, and the worst status recorded with them: what an hour's roll-up row
 * and a history bucket are made of. Percentiles are nearest rank: the smallest value with at least p% of the values at
 * or below it (the same rule as the rolling windows).
 */
final class Summary {
    private double[] values = new double[64];
    private int size;
    private double sum;
    private boolean sorted = true;
    private HealthStatus worst = HealthStatus.HEALTHY;

    /** Adds {@code value}; {@code status} may be null (a row that recorded none). */
    void add(double value, HealthStatus status) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
        sum += value;
        sorted = false;
        if (status != null && status.isWorseThan(worst)) {
            worst = status;
        }
    }

    int size() {
        return size;
    }

    double sum() {
        return sum;
    }

    double mean() {
        return sum / size;
    }

    double min() {
        return percentile(0);
    }

    double max() {
        return percentile(100);
    }

    /** The nearest-rank {@code p}th percentile (0 gives the minimum); only when there is at least one value. */
    double percentile(int p) {
        if (size == 0) {
            throw new IllegalStateException("no values");
        }
        if (!sorted) {
            Arrays.sort(values, 0, size);
            sorted = true;
        }
        int rank = (int) (((long) p * size + 99) / 100); // ceil(p / 100 * size), in integers so 95% of 20 is 19
        return values[Math.max(0, rank - 1)];
    }

    HealthStatus worst() {
        return worst;
    }
}
