package dev.mcphealth.domain.monitoring;

import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.HealthStatus;

import java.util.Objects;

/** What one probe said of a server, before hysteresis decides what that means for its status. */
public sealed interface Observation permits Observation.Answered, Observation.Failed, Observation.Lost {

    /**
     * The server answered; {@code level} is what its latency (and the error rate of real calls) alone would say:
     * healthy, warning or critical.
     */
    record Answered(HealthStatus level) implements Observation {
        public Answered {
            Objects.requireNonNull(level, "level");
            if (level == HealthStatus.OFFLINE) {
                throw new IllegalArgumentException("a server that answered is not offline");
            }
        }
    }

    /** The probe failed. */
    record Failed(FailureType type) implements Observation {
        public Failed {
            Objects.requireNonNull(type, "type");
        }
    }

    /**
     * The session with the server was lost between probes (its process exited, its stream broke): the server cannot
     * answer now, whatever the last probe said.
     */
    record Lost(FailureType type) implements Observation {
        public Lost {
            Objects.requireNonNull(type, "type");
        }
    }
}
