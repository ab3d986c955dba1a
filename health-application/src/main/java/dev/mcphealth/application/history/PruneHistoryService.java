package dev.mcphealth.application.history;

import dev.mcphealth.application.port.in.PruneHistoryUseCase;
import dev.mcphealth.application.port.out.RetentionPort;
import dev.mcphealth.domain.history.RetentionReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * Rolls up every complete hour, then deletes raw rows and roll-ups past their retention, and the orchestrator's settled
 * outbox entries and integration log entries past the raw retention. An hour is rolled up only {@link #SETTLE} after
 * it ends, so that rows still waiting in a watch's write buffer make it into their hour.
 */
public final class PruneHistoryService implements PruneHistoryUseCase {
    static final Duration SETTLE = Duration.ofMinutes(15);

    private final RetentionPort retention;
    private final Clock clock;

    public PruneHistoryService(RetentionPort retention, Clock clock) {
        this.retention = Objects.requireNonNull(retention);
        this.clock = Objects.requireNonNull(clock);
    }

    @Override
    public RetentionReport prune(Command command) {
        Instant now = clock.instant();
        Instant hourStart = now.minus(SETTLE).truncatedTo(ChronoUnit.HOURS);
        return retention.prune(hourStart, now.minus(command.rawRetention()), now.minus(command.rollupRetention()));
    }
}
