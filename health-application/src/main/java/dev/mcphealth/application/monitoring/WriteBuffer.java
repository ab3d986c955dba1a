package dev.mcphealth.application.monitoring;

import dev.mcphealth.application.port.out.AlertStorePort;
import dev.mcphealth.application.port.out.FailureStorePort;
import dev.mcphealth.application.port.out.MetricStorePort;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.model.Alert;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.HealthMetric;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
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
 *
 * <p>Metric rows are written in the order of the per-server index (server, metric type, time), a transaction per
 * {@link #METRIC_BATCH} rows. A row costs the database one page of that index per server and type it touches, whatever
 * the number of rows on the page: 2,000 servers' rows of one second touch ~4,000 pages, the same as their rows of five
 * seconds. So when more than {@link #SLICE_ABOVE} rows wait (hundreds of servers), a flush that is not asked for
 * everything writes the rows of a share of the servers ({@link #METRIC_SLICES}: a fifth), in turn: each server's rows
 * wait at most four flushes and are written five seconds' worth at a time, and every flush writes about as much, with
 * no burst. Measured on SQLite (2,000 servers probed each second): all rows each second in one transaction took 135 ms;
 * five seconds' rows in index order, 5-10 ms per transaction of 500-1,000 rows and 2.4x less work in all
 * (docs/benchmarks.md, "Watching many servers"). A transaction is as short as {@link #METRIC_BATCH} makes it: on 2
 * busy cores (the watch bench at 1,000-2,000 servers on a slow machine) transactions of 500 rows took 17-36 ms at the
 * median and 47-145 ms at the 99th percentile, of 250 rows 10-20 and 44-114 ms, of 100 rows 4-11 and 28-48 ms (68-76
 * ms in a run where the machine could not hold 2,000 servers at all).
 */
final class WriteBuffer {
    /**
     * Rows per metric transaction: each a short hold of the database's one write lock, and a short stretch of the
     * writer's work with no pause (on 2 cores, probes due meanwhile share one core).
     */
    static final int METRIC_BATCH = 100;
    /** Into how many shares of the servers the metric rows are written in turn (more than {@link #SLICE_ABOVE} wait). */
    static final int METRIC_SLICES = 5;
    /**
     * Up to this many rows waiting (fewer than ~250 servers at 1 s), a flush writes them all, so their rows reach the
     * database within a second; above it, a share of the servers' rows a flush.
     */
    static final int SLICE_ABOVE = 500;
    private static final Comparator<HealthMetric> INDEX_ORDER =
            Comparator.comparing((HealthMetric m) -> m.serverInstance().value())
                    .thenComparing(m -> m.metricType().code()); // stable: time order kept within
    private static final Comparator<HealthMetric> TIME_ORDER = Comparator.comparing(HealthMetric::measuredAt);

    private final int capacity;
    private final ArrayDeque<HealthMetric> metrics = new ArrayDeque<>();
    private final Map<List<Object>, Failure> failures = new LinkedHashMap<>();
    private final Map<String, Alert> alerts = new LinkedHashMap<>();
    private long dropped;
    /** Whose rows the next flush writes, when it writes a share; counts up (the flushes are not reentrant). */
    private long slice;
    /** The last write of metric rows failed: the next flush tries them all again. */
    private boolean retry;

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

    /**
     * Result of one flush: rows written, how long each of its writes (transactions) took, and the store's problem if
     * it stopped the flush.
     */
    record Outcome(int written, List<Duration> writes, Optional<String> problem) {
    }

    /**
     * Writes failures, then alerts, then metric rows in batches; stops at the first store problem. With {@code all}
     * false, many metric rows are written a share of the servers at a time ({@link #METRIC_SLICES}); {@code clock}
     * times each write. Not reentrant.
     */
    Outcome flush(FailureStorePort failureStore, AlertStorePort alertStore, MetricStorePort metricStore, Clock clock,
                  boolean all) {
        int[] metricRows = {0};
        int written = 0;
        List<Duration> writes = new ArrayList<>();
        List<Failure> f = take(failures);
        try {
            if (!f.isEmpty()) {
                List<Failure> these = f;
                timed(clock, writes, () -> failureStore.record(these));
                written += f.size();
            }
            f = List.of();
            List<Alert> a = take(alerts);
            try {
                if (!a.isEmpty()) {
                    List<Alert> these = a;
                    timed(clock, writes, () -> alertStore.save(these));
                    written += a.size();
                }
                a = List.of();
            } finally {
                putBack(alerts, a, Alert::id);
            }
            boolean everything = all;
            if (retrying()) { // the last write failed: the oldest batch first, all the rest once the store takes it
                write(takeOldest(), metricStore, clock, writes, metricRows);
                everything = true;
            }
            write(takeMetrics(everything), metricStore, clock, writes, metricRows);
            return new Outcome(written + metricRows[0], writes, Optional.empty());
        } catch (StorageUnavailableException e) {
            return new Outcome(written + metricRows[0], writes, Optional.of(e.getMessage()));
        } finally {
            putBack(failures, f, WriteBuffer::key);
        }
    }

    /** Writes {@code rows} in index order, a transaction per batch; puts back what it could not write. */
    private void write(List<HealthMetric> rows, MetricStorePort store, Clock clock, List<Duration> writes,
                       int[] written) {
        rows.sort(INDEX_ORDER); // not under the lock: the probes add rows meanwhile
        List<HealthMetric> left = rows;
        try {
            while (!left.isEmpty()) {
                List<HealthMetric> batch = left.subList(0, Math.min(METRIC_BATCH, left.size()));
                timed(clock, writes, () -> store.append(batch));
                written[0] += batch.size();
                left = left.subList(batch.size(), left.size());
            }
        } finally {
            putBackMetrics(left);
        }
    }

    /** Runs {@code write} (one transaction) and adds how long it took to {@code writes}; nothing when it throws. */
    static void timed(Clock clock, List<Duration> writes, Runnable write) {
        Instant start = clock.instant();
        write.run();
        writes.add(Duration.between(start, clock.instant()));
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

    /**
     * The metric rows due to be written: all of them, or (not {@code all}, more than a batch waiting) those of the next
     * share of the servers.
     */
    private synchronized List<HealthMetric> takeMetrics(boolean all) {
        List<HealthMetric> rows = new ArrayList<>();
        if (all || metrics.size() <= SLICE_ABOVE) {
            rows.addAll(metrics);
            metrics.clear();
        } else {
            long share = slice++ % METRIC_SLICES;
            metrics.removeIf(m -> Math.floorMod(m.serverInstance().value().hashCode(), METRIC_SLICES) == share
                    && rows.add(m));
        }
        return rows;
    }

    private synchronized boolean retrying() {
        return retry;
    }

    /** The oldest batch of metric rows waiting. */
    private synchronized List<HealthMetric> takeOldest() {
        retry = false;
        List<HealthMetric> rows = new ArrayList<>(Math.min(METRIC_BATCH, metrics.size()));
        while (rows.size() < METRIC_BATCH && !metrics.isEmpty()) {
            rows.add(metrics.pollFirst());
        }
        return rows;
    }

    /**
     * Puts back what could not be written among the rows waiting, in time order (the oldest go past the bound); the
     * next flush tries them first.
     */
    private void putBackMetrics(List<HealthMetric> unwritten) {
        if (unwritten.isEmpty()) {
            return;
        }
        List<HealthMetric> back = new ArrayList<>(unwritten);
        back.sort(TIME_ORDER); // not under the lock
        synchronized (this) {
            retry = true;
            if (metrics.isEmpty() || TIME_ORDER.compare(back.get(back.size() - 1), metrics.peekFirst()) <= 0) {
                for (int i = back.size() - 1; i >= 0; i--) { // all older than what waits: ahead of it
                    metrics.addFirst(back.get(i));
                }
                trim();
                return;
            }
            List<HealthMetric> merged = new ArrayList<>(back.size() + metrics.size());
            int i = 0;
            for (HealthMetric waiting : metrics) { // both in time order: merged, the unwritten first among equals
                while (i < back.size() && TIME_ORDER.compare(back.get(i), waiting) <= 0) {
                    merged.add(back.get(i++));
                }
                merged.add(waiting);
            }
            merged.addAll(back.subList(i, back.size()));
            metrics.clear();
            metrics.addAll(merged);
            trim();
        }
    }
}
