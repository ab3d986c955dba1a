package dev.mcphealth.infrastructure.resilience;

import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limit.VegasLimit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import dev.mcphealth.application.port.out.ConcurrencyLimitPort;
import dev.mcphealth.domain.model.ServerId;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.LongSupplier;

/**
 * Each instance's concurrency limit, adapted by one of Netflix's limits (concurrency-limits): Gradient2 by default
 * (the ratio of the instance's long-term to its recent round-trip time: down when latency rises with load, back up as
 * it falls, between a floor and a ceiling), or Vegas (docs/gateway.md). One limiter per configured instance,
 * made up front: a request is one lock-free acquire and one release.
 */
public final class NetflixConcurrencyLimits implements ConcurrencyLimitPort {
    /** How the limit moves. */
    public enum Algorithm {
        /**
         * Gradient2: the ratio of the long-term to the recent round-trip time; it comes down when latency rises with
         * load and takes a lasting latency as the new normal (so tools of very different times do not fool it, and
         * a steady overload is not shed).
         */
        GRADIENT2("gradient2"),
        /**
         * Vegas: the queue the instance builds, from its round-trip time against the fastest seen (no load); it sheds a
         * steady overload, and reads a tool that is simply slower than another as queueing.
         */
        VEGAS("vegas");

        private final String code;

        Algorithm(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /**
     * The limits' settings.
     *
     * @param algorithm how the limit moves
     * @param initial   the limit an instance starts with
     * @param min       the limit never goes below this (requests at once; Vegas keeps its own floor of 1)
     * @param max       nor above this
     */
    public record Settings(Algorithm algorithm, int initial, int min, int max) {
        /** Gradient2's own defaults: start at 20, never below 20, never above 200. */
        public static final Settings DEFAULT = new Settings(Algorithm.GRADIENT2, 20, 20, 200);

        public Settings {
            Objects.requireNonNull(algorithm, "algorithm");
            if (min < 1 || max < min || initial < min || initial > max) {
                throw new IllegalArgumentException("a concurrency limit needs 1 <= min <= initial <= max, got min "
                        + min + ", initial " + initial + ", max " + max);
            }
        }
    }

    private final Map<ServerId, SimpleLimiter<Void>> limiters;

    /** @param nanoTime the program's monotonic clock, in nanoseconds (the limiter's round-trip times) */
    public NetflixConcurrencyLimits(Collection<ServerId> servers, Settings settings, LongSupplier nanoTime) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(nanoTime, "nanoTime");
        Map<ServerId, SimpleLimiter<Void>> m = new LinkedHashMap<>();
        for (ServerId id : servers) {
            m.put(id, SimpleLimiter.newBuilder()
                    .named(id.value())
                    .nanoClock(nanoTime)
                    .limit(settings.algorithm() == Algorithm.VEGAS
                            ? VegasLimit.newBuilder()
                                    .initialLimit(settings.initial())
                                    .maxConcurrency(settings.max())
                                    .build()
                            : Gradient2Limit.newBuilder()
                                    .initialLimit(settings.initial())
                                    .minLimit(settings.min())
                                    .maxConcurrency(settings.max())
                                    .build())
                    .build());
        }
        this.limiters = Map.copyOf(m);
    }

    @Override
    public Optional<Admission> tryAcquire(ServerId server) {
        SimpleLimiter<Void> limiter = limiters.get(server);
        if (limiter == null) {
            return Optional.of(Admission.NOTHING); // not configured: not limited
        }
        return limiter.acquire(null).map(NetflixConcurrencyLimits::admission);
    }

    private static Admission admission(Limiter.Listener l) {
        return new Admission(l::onSuccess, l::onDropped, l::onIgnore);
    }

    @Override
    public OptionalInt limit(ServerId server) {
        SimpleLimiter<Void> limiter = limiters.get(server);
        return limiter == null ? OptionalInt.empty() : OptionalInt.of(limiter.getLimit());
    }
}
