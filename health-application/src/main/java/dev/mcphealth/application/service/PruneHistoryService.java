package dev.mcphealth.application.service;

import dev.mcphealth.application.port.in.PruneHistoryUseCase;
import dev.mcphealth.application.port.out.RetentionPort;
import dev.mcphealth.domain.model.RetentionReport;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/** Rolls up every complete hour, then deletes raw rows and roll-ups past their retention. */
public final class PruneHistoryService implements PruneHistoryUseCase {
    private final RetentionPort retention;
    private final Clock clock;

    public PruneHistoryService(RetentionPort retention, Clock clock) {
        this.retention = Objects.requireNonNull(retention);
        this.clock = Objects.requireNonNull(clock);
    }

    @Override
    public RetentionReport prune(Command command) {
        Instant now = clock.instant();
        Instant hourStart = now.truncatedTo(ChronoUnit.HOURS);
        return retention.prune(hourStart, now.minus(command.rawRetention()), now.minus(command.rollupRetention()));
    }
}
