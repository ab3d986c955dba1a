package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.model.StatusSnapshot;
import java.util.List;

/** What the running monitor knows now: one snapshot per monitored server in name order, then its own ({@code mcp-health}). */
@FunctionalInterface
public interface ObserveMonitoringUseCase {
    List<StatusSnapshot> snapshot();
}
