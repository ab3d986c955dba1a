package dev.mcphealth.domain.learning;

import dev.mcphealth.domain.model.AnomalyRaised;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An anomaly as kept: as raised, and when it was over ({@code backInBand}: the figure came back; otherwise the run
 * that raised it stopped first).
 */
public record AnomalyEpisode(AnomalyRaised raised, Optional<Instant> over, boolean backInBand) {
    public AnomalyEpisode {
        Objects.requireNonNull(raised, "raised");
        Objects.requireNonNull(over, "over");
        if (backInBand && over.isEmpty()) {
            throw new IllegalArgumentException("an anomaly back in its band is over");
        }
    }
}
