package dev.mcphealth.application.monitoring;

import dev.mcphealth.domain.learning.ProfileSeasonality;
import dev.mcphealth.domain.learning.UsageProfile;
import dev.mcphealth.domain.model.UsageFigure;
import dev.mcphealth.domain.prediction.Seasonality;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One server's probe latency by hour of the week (a {@link UsageProfile} of its answered probes: each minute's median
 * and 95th percentile), the seasonality its latency forecasts are held against (docs/predictions.md): a rise its
 * week always has is not a fault. Learned a minute at a time as the probes come in, in UTC hours (the same hours for
 * learning and for reading; a change to or from summer time moves a local habit by an hour for the week after).
 * Learns nothing until what was stored is restored ({@link #restore}), so a restart keeps the weeks learned. Guarded
 * by its server's lock.
 */
final class ProbeProfile implements Seasonality {
    /** Probes of one minute kept for its quantiles: 1 s probes and a few more. */
    private static final int MAX_PER_MINUTE = 64;

    private UsageProfile profile = new UsageProfile();
    private ProfileSeasonality view = new ProfileSeasonality(profile, UsageFigure.P50, ZoneOffset.UTC);
    private final double[] minute = new double[MAX_PER_MINUTE];
    private int inMinute;
    private long minuteIndex = Long.MIN_VALUE;
    /** The start of the last minute learned; empty before the first. */
    private Optional<Instant> learnedUpTo = Optional.empty();
    private boolean restored;
    private boolean dirty;

    /** An answered probe's latency at {@code at}; a minute is learned once a probe of a later one comes. */
    void sample(Instant at, double latencyMs) {
        long index = Math.floorDiv(at.getEpochSecond(), 60);
        if (index > minuteIndex && inMinute > 0) {
            learnMinute();
        }
        if (index > minuteIndex) {
            minuteIndex = index;
            inMinute = 0;
        }
        if (index == minuteIndex && inMinute < MAX_PER_MINUTE) {
            minute[inMinute++] = latencyMs;
        }
    }

    private void learnMinute() {
        Instant start = Instant.ofEpochSecond(minuteIndex * 60);
        if (restored && learnedUpTo.map(start::isAfter).orElse(true)) {
            Arrays.sort(minute, 0, inMinute);
            double p50 = minute[(inMinute - 1) / 2];
            double p95 = minute[Math.min(inMinute - 1, (int) Math.ceil(0.95 * inMinute) - 1)];
            profile.observe(start, ZoneOffset.UTC, new UsageProfile.Minute(inMinute, 0, OptionalDouble.of(p50),
                    OptionalDouble.of(p95)));
            learnedUpTo = Optional.of(start);
            dirty = true;
        }
        inMinute = 0;
    }

    /** What was stored of it (nothing: a new server), before it learns its first minute. */
    void restore(List<UsageProfile.Cell> cells, Optional<Instant> upTo) {
        if (!restored) {
            profile = UsageProfile.restore(cells);
            view = new ProfileSeasonality(profile, UsageFigure.P50, ZoneOffset.UTC);
            learnedUpTo = upTo;
            restored = true;
        }
    }

    /** What to store of it when it learned since the last time ({@link #saved}); empty otherwise. */
    Optional<List<UsageProfile.Cell>> changed() {
        return dirty ? Optional.of(profile.cells()) : Optional.empty();
    }

    Optional<Instant> learnedUpTo() {
        return learnedUpTo;
    }

    /** What was learned up to {@code upTo} is stored: unchanged since, it is not stored again. */
    void saved(Instant upTo) {
        if (learnedUpTo.filter(upTo::equals).isPresent()) {
            dirty = false;
        }
    }

    @Override
    public Optional<Band> usual(Instant at) {
        return view.usual(at);
    }
}
