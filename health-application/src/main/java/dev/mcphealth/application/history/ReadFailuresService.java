package dev.mcphealth.application.history;

import dev.mcphealth.application.port.in.ReadFailuresUseCase;
import dev.mcphealth.application.port.out.FailureHistoryPort;
import dev.mcphealth.domain.model.Failure;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/** The failure episodes of the period before now: begun in it, or still open when it began. */
public final class ReadFailuresService implements ReadFailuresUseCase {
    private final FailureHistoryPort failures;
    private final Clock clock;

    public ReadFailuresService(FailureHistoryPort failures, Clock clock) {
        this.failures = Objects.requireNonNull(failures, "failures");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public List<Failure> read(Query query) {
        Objects.requireNonNull(query, "query");
        return List.copyOf(failures.failures(clock.instant().minus(query.period()), query.limit()));
    }
}
