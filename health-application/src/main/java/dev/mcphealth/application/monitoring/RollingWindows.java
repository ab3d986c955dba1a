package dev.mcphealth.application.monitoring;

import dev.mcphealth.domain.model.WindowStats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Calls of one server over the last hour, in 10-second buckets, so that the 1 min, 15 min and 1 h windows are sums of
 * buckets (to within 10 s) and memory does not grow with traffic. Each bucket keeps up to {@link #SAMPLES_PER_BUCKET}
 * latencies exactly; past that it keeps a systematic sample (every k-th), so percentiles of heavy real traffic are
 * estimates while those of probes (at most 10 per bucket) are exact. Not thread-safe: its owner locks.
 */
final class RollingWindows {
    static final Duration ONE_MINUTE = Duration.ofMinutes(1);
    static final Duration FIFTEEN_MINUTES = Duration.ofMinutes(15);
    static final Duration ONE_HOUR = Duration.ofHours(1);
    static final int BUCKET_SECONDS = 10;
    static final int SAMPLES_PER_BUCKET = 64;
    private static final int BUCKETS = (int) (ONE_HOUR.toSeconds() / BUCKET_SECONDS);

    private final Bucket[] ring = new Bucket[BUCKETS];
    /** Long windows' stats over complete buckets, kept until the next bucket completes. */
    private final java.util.Map<Duration, WindowStats> settled = new java.util.HashMap<>();
    private long settledAt = Long.MIN_VALUE;

    private static final class Bucket {
        final long index;
        int calls;
        int errors;
        int probes;
        int answered;
        long[] latencyMicros = new long[4];
        int size;
        int seen;
        int stride = 1;

        Bucket(long index) {
            this.index = index;
        }

        /** Keeps every stride-th latency; when full, halves the sample and doubles the stride (a systematic sample). */
        void addLatency(long micros) {
            int ordinal = seen++;
            if (ordinal % stride != 0) {
                return;
            }
            if (size == SAMPLES_PER_BUCKET) {
                for (int i = 0; i < SAMPLES_PER_BUCKET / 2; i++) {
                    latencyMicros[i] = latencyMicros[2 * i];
                }
                size = SAMPLES_PER_BUCKET / 2;
                stride *= 2;
                if (ordinal % stride != 0) {
                    return;
                }
            }
            if (size == latencyMicros.length) {
                latencyMicros = Arrays.copyOf(latencyMicros, Math.min(SAMPLES_PER_BUCKET, size * 2));
            }
            latencyMicros[size++] = micros;
        }
    }

    /** One call at {@code at}: a probe or a real call, failed or not, with its latency when it was answered. */
    void add(Instant at, boolean probe, boolean failed, Optional<Duration> latency) {
        Bucket b = bucket(at.getEpochSecond() / BUCKET_SECONDS);
        b.calls++;
        if (failed) {
            b.errors++;
        }
        if (probe) {
            b.probes++;
            if (!failed) {
                b.answered++;
            }
        }
        latency.ifPresent(l -> b.addLatency(l.toNanos() / 1_000));
    }

    private Bucket bucket(long index) {
        int slot = (int) Math.floorMod(index, (long) BUCKETS);
        Bucket b = ring[slot];
        if (b == null || b.index != index) {
            b = new Bucket(index);
            ring[slot] = b;
        }
        return b;
    }

    /**
     * The last instant of the last complete bucket before {@code now}: windows ending there cover exactly their length
     * (a window ending at {@code now} covers its length less the part of the current bucket still to come).
     */
    static Instant lastCompleteBefore(Instant now) {
        long bucketStart = Math.floorDiv(now.getEpochSecond(), BUCKET_SECONDS) * BUCKET_SECONDS;
        return Instant.ofEpochSecond(bucketStart).minusNanos(1);
    }

    /** The window's counts without its percentiles: cheap enough for every probe. */
    WindowStats counts(Instant now, Duration window) {
        long newest = now.getEpochSecond() / BUCKET_SECONDS;
        long oldest = newest - window.toSeconds() / BUCKET_SECONDS + 1;
        long calls = 0;
        long errors = 0;
        long probes = 0;
        long answered = 0;
        for (long i = oldest; i <= newest; i++) {
            Bucket b = ring[(int) Math.floorMod(i, (long) BUCKETS)];
            if (b != null && b.index == i) {
                calls += b.calls;
                errors += b.errors;
                probes += b.probes;
                answered += b.answered;
            }
        }
        return new WindowStats(window, calls, errors, probes, answered, Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    /**
     * Stats fit for a status board: a window of a minute or less is exact to now; a longer one has exact counts, and
     * percentiles over the complete buckets before now, computed once per bucket (every 10 s), because sorting an hour
     * of latencies for every server every second would cost more than the probing.
     */
    WindowStats board(Instant now, Duration window) {
        if (window.compareTo(ONE_MINUTE) <= 0) {
            return stats(now, window);
        }
        long bucket = now.getEpochSecond() / BUCKET_SECONDS;
        if (bucket != settledAt) {
            settled.clear();
            settledAt = bucket;
        }
        WindowStats percentiles = settled.computeIfAbsent(window, w -> stats(lastCompleteBefore(now), w));
        WindowStats counts = counts(now, window);
        return new WindowStats(window, counts.calls(), counts.errors(), counts.probes(), counts.answeredProbes(),
                percentiles.p50(), percentiles.p95(), percentiles.p99());
    }

    WindowStats stats(Instant now, Duration window) {
        WindowStats counts = counts(now, window);
        long newest = now.getEpochSecond() / BUCKET_SECONDS;
        long oldest = newest - window.toSeconds() / BUCKET_SECONDS + 1;
        List<Bucket> in = new ArrayList<>();
        int samples = 0;
        for (long i = oldest; i <= newest; i++) {
            Bucket b = ring[(int) Math.floorMod(i, (long) BUCKETS)];
            if (b != null && b.index == i) {
                in.add(b);
                samples += b.size;
            }
        }
        long[] sorted = new long[samples];
        int at = 0;
        for (Bucket b : in) {
            System.arraycopy(b.latencyMicros, 0, sorted, at, b.size);
            at += b.size;
        }
        Arrays.sort(sorted);
        return new WindowStats(window, counts.calls(), counts.errors(), counts.probes(), counts.answeredProbes(),
                WindowStats.percentile(sorted, 0.50), WindowStats.percentile(sorted, 0.95),
                WindowStats.percentile(sorted, 0.99));
    }
}
