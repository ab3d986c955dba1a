package dev.mcphealth.infrastructure.events;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** How one attempt to deliver an event went. Every reason is safe to log: no URL path, header value or response body. */
public sealed interface Delivery permits Delivery.Delivered, Delivery.Retryable, Delivery.Rejected {

    static Delivery delivered() {
        return Delivered.INSTANCE;
    }

    static Delivery retryable(String reason) {
        return new Retryable(reason, Optional.empty());
    }

    static Delivery retryable(String reason, Duration retryAfter) {
        return new Retryable(reason, Optional.of(retryAfter));
    }

    static Delivery rejected(String reason) {
        return new Rejected(reason);
    }

    /** The sink has the event. */
    final class Delivered implements Delivery {
        private static final Delivered INSTANCE = new Delivered();

        private Delivered() {
        }

        @Override
        public String toString() {
            return "delivered";
        }
    }

    /** Failed in a way that may pass (I/O error, HTTP 429 or 5xx); {@code retryAfter} is the receiver's wish, if any. */
    record Retryable(String reason, Optional<Duration> retryAfter) implements Delivery {
        public Retryable {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(retryAfter, "retryAfter");
        }
    }

    /** Refused for good (HTTP 4xx other than 408 and 429): sending it again would be refused again. */
    record Rejected(String reason) implements Delivery {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
