package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.history.RetentionReport;
import java.time.Duration;

/**
 * Keep the stored history bounded: roll complete hours up, delete raw rows older than {@code rawRetention} and roll-ups
 * older than {@code rollupRetention}. The orchestrator's history is kept as long as raw rows: outbox entries settled,
 * and integration log entries validated, more than {@code rawRetention} ago are deleted (outbox entries still waiting
 * never are).
 */
@FunctionalInterface
public interface PruneHistoryUseCase {
    RetentionReport prune(Command command);

    record Command(Duration rawRetention, Duration rollupRetention) {
        /** Raw rows a week, hourly roll-ups a year. */
        public static final Command DEFAULTS = new Command(Duration.ofDays(7), Duration.ofDays(365));

        public Command {
            if (rawRetention == null || rawRetention.compareTo(Duration.ofHours(1)) < 0) {
                throw new IllegalArgumentException("raw retention must be at least 1 hour, got " + rawRetention);
            }
            if (rollupRetention == null || rollupRetention.compareTo(rawRetention) < 0) {
                throw new IllegalArgumentException("roll-up retention (" + rollupRetention
                        + ") must be at least the raw retention (" + rawRetention + ")");
            }
        }
    }
}
