package dev.mcphealth.domain.prediction;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Where a {@link TrendPredictor} is in an approach episode, with what that phase holds. */
sealed interface TrendPhase permits TrendPhase.Watching, TrendPhase.Raised, TrendPhase.Above {
    /** Watching with no sample held yet. */
    Watching WATCHING = new Watching(0, 0);
    Above ABOVE = new Above();

    /** The same phase with what it counted forgotten, as when the samples start again after a gap. */
    default TrendPhase restarted() {
        if (this instanceof Watching) {
            return WATCHING;
        }
        return this instanceof Raised ? new Raised(Optional.empty()) : this;
    }

    /**
     * Nothing raised; {@code holding}: the consecutive samples so far that forecast a crossing; {@code sprinting}: those
     * that showed a fast approach ({@link Sprint}).
     */
    record Watching(int holding, int sprinting) implements TrendPhase {
        public Watching {
            if (holding < 0 || sprinting < 0) {
                throw new IllegalArgumentException("counts must not be negative, got " + holding + ", " + sprinting);
            }
        }
    }

    /**
     * Raised for this approach; waiting for the forecast to stay clear for one long window: {@code clearSince}, since
     * when not even a weak forecast has held (empty while one holds).
     */
    record Raised(Optional<Instant> clearSince) implements TrendPhase {
        public Raised {
            Objects.requireNonNull(clearSince, "clearSince");
        }
    }

    /** The level reached the threshold; waiting for it to come back down to the re-arm level. */
    record Above() implements TrendPhase {
    }
}
