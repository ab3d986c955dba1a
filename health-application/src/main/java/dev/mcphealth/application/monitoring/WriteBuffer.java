package dev.mcphealth.application.monitoring;

import dev.mcphealth.application.port.out.AlertStorePort;
import dev.mcphealth.application.port.out.FailureStorePort;
import dev.mcphealth.application.port.out.MetricStorePort;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.model.Alert;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.HealthMetric;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What waits to be written, so that the probe path never waits on the database and an unavailable database loses
 * nothing. Metric rows are bounded: past {@code capacity} the oldest is dropped and counted. Failures and alerts are
 * kept by identity (a newer version of one replaces the waiting one), one per episode, so they stay few.
 * A flush takes the waiting rows out, writes them, and puts back whatever could not be written, in order.
 */
final class WriteBuffer {
    /** Rows per metric transaction: big enough to amortize the commit, small enough not to hold the lock long. */
    static final int METRIC_BATCH = 5_000;

    private final int capacity;
    private final ArrayDeque<HealthMetric> metrics = new ArrayDeque<>();
    private final Map<List<Object>, Failure> failures = new LinkedHashMap<>();
    private final Map<String, Alert> alerts = new LinkedHashMap<>();
    private long dropped;

    WriteBuffer(int capacity) {
        this.capacity = capacity;
    }

    synchronized void add(HealthMetric metric) {
        metrics.addLast(metric);
        trim();
    }

    synchronized void add(Failure failure) {
        failures.put(key(failure), failure);
    }

    synchronized void add(Alert alert) {
        alerts.put(alert.id(), alert);
    }

    synchronized int pending() {
        return metrics.size() + failures.size() + alerts.size();
    }

    synchronized long dropped() {
        return dropped;
    }

    private void trim() {
        while (metrics.size() > capacity) {
            metrics.pollFirst();
            dropped++;
        }
    }

    private static List<Object> key(Failure f) {
        return List.of(f.serverInstance(), f.type(), f.occurredAt());
    }

    /** Result of one flush: rows written, and the store's problem if it stopped the flush. */
    record Outcome(int written, Optional<String> problem) {
    }

    /** Writes failures, then alerts, then metric rows in batches; stops at the first store problem. Not reentrant. */
    Outcome flush(FailureStorePort failureStore, AlertStorePort alertStore, MetricStorePort metricStore) {
        int written = 0;
        List<Failure> f = take(failures);
        try {
            if (!f.isEmpty()) {
                failureStore.record(f);
                written += f.size();
            }
            f = List.of();
            List<Alert> a = take(alerts);
            try {
                if (!a.isEmpty()) {
                    alertStore.save(a);
                    written += a.size();
                }
                a = List.of();
            } finally {
                putBack(alerts, a, Alert::id);
            }
            while (true) {
                List<HealthMetric> batch = takeMetrics();
                if (batch.isEmpty()) {
                    break;
                }
                try {
                    metricStore.append(batch);
                    written += batch.size();
                    batch = List.of();
                } finally {
                    putBackMetrics(batch);
                }
            }
            return new Outcome(written, Optional.empty());
        } catch (StorageUnavailableException e) {
            return new Outcome(written, Optional.of(e.getMessage()));
        } finally {
            putBack(failures, f, WriteBuffer::key);
        }
    }

    /** What waits in {@code pending}, taken out to be written. */
    private synchronized <K, V> List<V> take(Map<K, V> pending) {
        List<V> taken = new ArrayList<>(pending.values());
        pending.clear();
        return taken;
    }

    /**
     * Puts back what could not be written, ahead of what was added meanwhile: a version added during the flush is
     * newer and wins over the unwritten one of the same key.
     */
    private synchronized <K, V> void putBack(Map<K, V> pending, List<V> unwritten, Function<V, K> key) {
        if (unwritten.isEmpty()) {
            return;
        }
        Map<K, V> merged = new LinkedHashMap<>();
        unwritten.forEach(x -> merged.put(key.apply(x), x));
        merged.putAll(pending);
        pending.clear();
        pending.putAll(merged);
    }

    private synchronized List<HealthMetric> takeMetrics() {
        int n = Math.min(METRIC_BATCH, metrics.size());
        List<HealthMetric> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            batch.add(metrics.pollFirst());
        }
        return batch;
    }

    private synchronized void putBackMetrics(List<HealthMetric> unwritten) {
        for (int i = unwritten.size() - 1; i >= 0; i--) {
            metrics.addFirst(unwritten.get(i));
        }
        trim();
    }
}
