package dev.mcphealth.domain.learning;

import dev.mcphealth.domain.model.UsageFigure;
import dev.mcphealth.domain.prediction.Seasonality;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link UsageProfile}'s latency band as a forecast's {@link Seasonality}: at a time, the usual band of its hour of
 * the week joined with the band of the neighbouring hour it is nearer to (the higher of their levels) (a rise at 09:00 is usual from 08:30 on, and
 * the 09:00 hour's own minutes before the rise are still usual), once that hour stands on its own
 * ({@link UsageProfile#READY_MINUTES}); nothing before (a young profile holds nothing back).
 */
public final class ProfileSeasonality implements Seasonality {
    private final UsageProfile profile;
    private final UsageFigure figure;
    private final ZoneId zone;

    public ProfileSeasonality(UsageProfile profile, UsageFigure figure, ZoneId zone) {
        this.profile = Objects.requireNonNull(profile, "profile");
        this.figure = Objects.requireNonNull(figure, "figure");
        this.zone = Objects.requireNonNull(zone, "zone");
        if (figure != UsageFigure.P50 && figure != UsageFigure.P95) {
            throw new IllegalArgumentException("a latency's seasonality is its p50 or p95, not " + figure.code());
        }
    }

    @Override
    public Optional<Band> usual(Instant at) {
        HourOfWeek hour = HourOfWeek.of(at, zone);
        Optional<UsageProfile.Expectation> own = profile.expected(hour, figure).filter(e -> !e.leaning());
        if (own.isEmpty()) {
            return Optional.empty();
        }
        boolean late = at.atZone(zone).getMinute() >= 30;
        HourOfWeek near = new HourOfWeek(Math.floorMod(hour.index() + (late ? 1 : -1), HourOfWeek.COUNT));
        double low = own.get().low();
        double level = own.get().expected();
        double high = own.get().high();
        Optional<UsageProfile.Expectation> next = profile.expected(near, figure).filter(e -> !e.leaning());
        if (next.isPresent()) {
            low = Math.min(low, next.get().low());
            level = Math.max(level, next.get().expected());
            high = Math.max(high, next.get().high());
        }
        return Optional.of(new Band(low, level, high));
    }
}
