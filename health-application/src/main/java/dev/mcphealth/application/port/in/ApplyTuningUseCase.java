package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.tuning.ChangeTrial;
import dev.mcphealth.domain.tuning.TuningAdvice.Recommendation;
import dev.mcphealth.domain.tuning.TuningAdvice.Value;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Applies tuning recommendations ({@link AdviseTuningUseCase}) to the running monitor
 * (orchestrator_performance_optimizer with {@code apply: true}).
 *
 * <p>An applied change takes effect at once: a probe timeout from the server's next probe, a probe interval from the
 * probe after the one already scheduled, breaker settings from the breaker's next call. It lasts until the monitor
 * stops. The configuration file is not written: it stays the source of truth, and the next start uses its values again.
 *
 * <p>Each applied change is on trial ({@link ChangeTrial}): the server's figures over the trial window before it are
 * read at once, and when the same length of time has passed the window after it is judged against them
 * ({@link JudgeTrialsUseCase}); a change judged worse is rolled back.
 */
@FunctionalInterface
public interface ApplyTuningUseCase {

    /**
     * Applies each recommendation in the order given, one apply at a time. A recommendation is skipped, and said why,
     * when it needs a person ({@code INVESTIGATE}, {@code ADD_INSTANCE}), names a server the monitor does not watch,
     * was made from a value that has changed since (ask for new advice), proposes a value the setting refuses, changes
     * a setting whose last change is still on trial, or proposes again a value rolled back within
     * {@code ApplyTuningService.NOT_AGAIN_FOR}.
     */
    Result apply(Command command);

    record Command(List<Recommendation> recommendations) {
        public Command {
            recommendations = List.copyOf(recommendations);
        }
    }

    /** One change per recommendation, in the order given, and the trial each applied one started. */
    record Result(Instant at, List<Change> changes, List<ChangeTrial> trials) {
        public Result {
            Objects.requireNonNull(at, "at");
            changes = List.copyOf(changes);
            trials = List.copyOf(trials);
        }

        public Result(Instant at, List<Change> changes) {
            this(at, changes, List.of());
        }

        /** The trial of an applied change. */
        public Optional<ChangeTrial> trial(Applied change) {
            return trials.stream().filter(t -> t.server().equals(change.recommendation().server())
                    && t.setting() == change.recommendation().setting()).findFirst();
        }

        public List<Applied> applied() {
            return changes.stream().filter(Applied.class::isInstance).map(Applied.class::cast).toList();
        }

        public List<Skipped> skipped() {
            return changes.stream().filter(Skipped.class::isInstance).map(Skipped.class::cast).toList();
        }
    }

    /**
     * What became of one recommendation. {@code before} and {@code after} are the setting's value in force before and
     * after, typed; {@code recommendation().setting().text(v)} writes one as the recommendation's texts do.
     */
    sealed interface Change permits Applied, Skipped {
        Recommendation recommendation();

        /** Empty when there is no such value: a recommendation for a person, or a server not watched. */
        Optional<Value> before();

        /** The proposed value once applied; as before when skipped. */
        Optional<Value> after();
    }

    /** The proposed value is in force now; {@code was} before. */
    record Applied(Recommendation recommendation, Value was, Value now) implements Change {
        public Applied {
            Objects.requireNonNull(recommendation, "recommendation");
            Objects.requireNonNull(was, "was");
            Objects.requireNonNull(now, "now");
        }

        @Override
        public Optional<Value> before() {
            return Optional.of(was);
        }

        @Override
        public Optional<Value> after() {
            return Optional.of(now);
        }
    }

    /** Nothing was changed; {@code current} is the value in force, when there is one, and {@code reason} says why. */
    record Skipped(Recommendation recommendation, Optional<Value> current, String reason) implements Change {
        public Skipped {
            Objects.requireNonNull(recommendation, "recommendation");
            Objects.requireNonNull(current, "current");
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("a skipped recommendation needs a reason");
            }
        }

        @Override
        public Optional<Value> before() {
            return current;
        }

        @Override
        public Optional<Value> after() {
            return current;
        }
    }
}
