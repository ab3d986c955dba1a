package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.tuning.TuningAdvice;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Tuning proposals from the measured data: the monitor's live windows, the failure history and the configured settings
 * (optimization_report, orchestrator_performance_optimizer). Proposes only; {@link ApplyTuningUseCase} applies.
 */
@FunctionalInterface
public interface AdviseTuningUseCase {

    /** @throws UnknownServerTypeException if a named type is not configured */
    TuningAdvice advise(Query query);

    /** {@code types} empty means every configured server; {@code target} empty means every rule. */
    record Query(Set<ServerType> types, Optional<TuningAdvice.Target> target, TuningAdvice.Level level) {
        public Query {
            types = Set.copyOf(Objects.requireNonNull(types, "types"));
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(level, "level");
        }
    }
}
