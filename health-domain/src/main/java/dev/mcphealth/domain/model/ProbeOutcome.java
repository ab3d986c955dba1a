package dev.mcphealth.domain.model;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** What one probe of one server came to. Expected failures are values, not exceptions. */
public sealed interface ProbeOutcome permits ProbeOutcome.Answered, ProbeOutcome.Failed {

    /** The server answered the liveness probe; {@code responseTime} is that request's round trip only. */
    record Answered(Duration responseTime, ProbeMethod method, Optional<ToolInventory> tools) implements ProbeOutcome {
        public Answered {
            if (responseTime == null || responseTime.isNegative()) {
                throw new IllegalArgumentException("response time must be zero or more, got " + responseTime);
            }
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(tools, "tools");
        }
    }

    /** The probe failed; {@code message} is safe to show (no secrets), {@code elapsed} is how long it took to know. */
    record Failed(FailureType type, String message, Duration elapsed) implements ProbeOutcome {
        public Failed {
            Objects.requireNonNull(type, "type");
            Text.requireText(message, "message");
            if (elapsed == null || elapsed.isNegative()) {
                throw new IllegalArgumentException("elapsed must be zero or more, got " + elapsed);
            }
        }
    }
}
