package dev.mcphealth.application.history;

import dev.mcphealth.application.port.in.ListRecordedServersUseCase;
import dev.mcphealth.application.port.in.ReadHistoryUseCase;
import dev.mcphealth.application.port.in.ReadStatusUseCase;
import dev.mcphealth.application.port.out.HealthHistoryPort;
import dev.mcphealth.domain.history.HistoryReport;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.StatusSnapshot;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Reads what monitoring recorded: the newest status of every server, and one server's history. */
public final class HealthHistoryService implements ReadStatusUseCase, ReadHistoryUseCase, ListRecordedServersUseCase {
    private final HealthHistoryPort history;
    private final Clock clock;

    public HealthHistoryService(HealthHistoryPort history, Clock clock) {
        this.history = Objects.requireNonNull(history);
        this.clock = Objects.requireNonNull(clock);
    }

    @Override
    public List<StatusSnapshot> read() {
        return history.statuses();
    }

    @Override
    public HistoryReport read(Query query) {
        Instant now = clock.instant();
        return history.history(query.server(), now.minus(query.period()), now);
    }

    @Override
    public boolean recorded(ServerId server) {
        return history.recorded(server);
    }

    @Override
    public List<ServerId> recorded() {
        return history.recorded();
    }
}
