package dev.mcphealth.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** The anomaly raised at {@code raisedAt} is over: the figure is back in its band at {@code at}. */
public record AnomalyResolved(ServerType serverType, Optional<String> tool, UsageFigure figure, Instant raisedAt,
                              Instant at) implements MonitorEvent {
    public AnomalyResolved {
        Objects.requireNonNull(serverType, "serverType");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(figure, "figure");
        Objects.requireNonNull(raisedAt, "raisedAt");
        Objects.requireNonNull(at, "at");
    }

    @Override
    public ServerId server() {
        return ServerId.of(serverType.value());
    }

    @Override
    public String kind() {
        return "anomaly_resolved";
    }
}
