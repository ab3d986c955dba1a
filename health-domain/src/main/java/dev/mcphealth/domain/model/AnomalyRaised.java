package dev.mcphealth.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A figure of the calls to a pool ({@code tool} empty: all its tools) left the band its hour of the week keeps:
 * {@code observed} over the last {@code minutes} minutes, {@code high} above the band or below it, scored
 * {@code z}; {@code at} is the end of the minute that showed it. {@code server()} names the pool by its type: an
 * anomaly is about what the pool's callers see, whichever instance served them.
 */
public record AnomalyRaised(ServerType serverType, Optional<String> tool, UsageFigure figure, boolean high,
                            double observed, int minutes, UsageBand band, double z, Instant at)
        implements MonitorEvent {
    public AnomalyRaised {
        Objects.requireNonNull(serverType, "serverType");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(figure, "figure");
        Objects.requireNonNull(band, "band");
        Objects.requireNonNull(at, "at");
        if (!Double.isFinite(observed) || !Double.isFinite(z) || minutes < 1) {
            throw new IllegalArgumentException("an anomaly's figures must be finite over a minute or more");
        }
    }

    @Override
    public ServerId server() {
        return ServerId.of(serverType.value());
    }

    @Override
    public String kind() {
        return "anomaly";
    }
}
