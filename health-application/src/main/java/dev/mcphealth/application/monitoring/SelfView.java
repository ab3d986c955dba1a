package dev.mcphealth.application.monitoring;

import dev.mcphealth.domain.model.StatusSnapshot;
import java.time.Instant;

/** The monitor's own row at a moment: what the flush writes once a minute. */
interface SelfView {
    StatusSnapshot selfSnapshot(Instant now);
}
