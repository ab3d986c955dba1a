package dev.mcphealth.domain.monitoring;

import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.RecoveryAction;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One server's failure episode, as its integration_failures row tells it: {@link Quiet} (no row open; what recovery
 * did before any row exists waits for the next one) or {@link Open} (one row per episode, opened by its first failure
 * and resolved once the server is healthy again, with the time to the first answer after its last failure, so a
 * server back within a second is resolved in that second however long the probes took to confirm it). Each change
 * gives the row to write, if any. Pure and immutable.
 */
public sealed interface FailureEpisode permits FailureEpisode.Quiet, FailureEpisode.Open {

    /** No episode, nothing recovery did waiting for one. */
    FailureEpisode NONE = new Quiet(Optional.empty(), Optional.empty());

    /** What recovery did in this episode (the status board shows it), if anything yet. */
    Optional<RecoveryAction> recoveryAction();

    /** The open row, if any. */
    default Optional<Failure> openRow() {
        return this instanceof Open o ? Optional.of(o.row()) : Optional.empty();
    }

    /**
     * No row open. Recovery may have acted (and a linked run handled it) before any probe saw the server down: what it
     * did goes on the row if one is opened in this episode.
     */
    record Quiet(Optional<RecoveryAction> recoveryAction, Optional<String> recoveryTask) implements FailureEpisode {
        public Quiet {
            Objects.requireNonNull(recoveryAction, "recoveryAction");
            Objects.requireNonNull(recoveryTask, "recoveryTask");
        }
    }

    /**
     * The episode's row is open. {@code backAt}: the first answer (or reopened session) since it last failed, which
     * its resolution time runs to once the server is called healthy.
     */
    record Open(Failure row, Optional<Instant> backAt, Optional<RecoveryAction> recoveryAction)
            implements FailureEpisode {
        public Open {
            Objects.requireNonNull(row, "row");
            Objects.requireNonNull(backAt, "backAt");
            Objects.requireNonNull(recoveryAction, "recoveryAction");
        }
    }

    /** The episode after a change, and the row to write for it. */
    record Step(FailureEpisode next, Optional<Failure> write) {
        public Step {
            Objects.requireNonNull(next, "next");
            Objects.requireNonNull(write, "write");
        }
    }

    /** A row an earlier run left open, carried into this run until its first observation. */
    static FailureEpisode carried(Failure row, FailureEpisode now) {
        return new Open(row, Optional.empty(), now.recoveryAction());
    }

    /** Recovery acted: the open row says so (written when that changes it), or the next row will. */
    default Step acted(RecoveryAction action) {
        if (this instanceof Open o) {
            Open next = new Open(o.row().recoveryAction() == action ? o.row()
                    : handled(o.row(), Optional.of(action), Optional.empty()), o.backAt(), Optional.of(action));
            return new Step(next, next.row() == o.row() ? Optional.empty() : Optional.of(next.row()));
        }
        Quiet q = (Quiet) this;
        return new Step(new Quiet(Optional.of(action), q.recoveryTask()), Optional.empty());
    }

    /**
     * An attempt of a run linked to an orchestrator task handled this episode: the open row (or the one opened next in
     * this episode) records that task as its recovery task. A later linked run's task replaces it.
     */
    default Step handledBy(String recoveryTask) {
        Optional<String> task = Optional.of(recoveryTask);
        if (this instanceof Open o) {
            if (o.row().orchestratorRecoveryTaskId().equals(task)) {
                return new Step(this, Optional.empty());
            }
            Failure row = handled(o.row(), Optional.empty(), task);
            return new Step(new Open(row, o.backAt(), o.recoveryAction()), Optional.of(row));
        }
        return new Step(new Quiet(recoveryAction(), task), Optional.empty());
    }

    /** A failure: the first one opens the episode's row (with what recovery did so far); later ones change nothing. */
    default Step failed(Failure candidate) {
        if (this instanceof Quiet q) {
            Failure row = handled(candidate, q.recoveryAction(), q.recoveryTask());
            return new Step(new Open(row, Optional.empty(), q.recoveryAction()), Optional.of(row));
        }
        return new Step(this, Optional.empty());
    }

    /**
     * The server is called healthy at {@code now}: an open row is resolved at the first answer after its last failure
     * (an episode an earlier run left open and this run found answering at once ends at {@code carriedUntil}, the last
     * time that run saw the server, and says so); and what recovery did is forgotten (it worked before any probe saw
     * the server down, and belongs to no later, unrelated failure).
     */
    default Step healthy(Instant now, Optional<Instant> carriedUntil) {
        if (!(this instanceof Open o)) {
            return new Step(NONE, Optional.empty());
        }
        Failure open = o.row();
        Instant end = carriedUntil.orElse(o.backAt().orElse(now));
        String details = carriedUntil.isPresent() ? "[left open by a run that stopped while it was failing; closed "
                + "at the next start, which found the server answering; ended after " + carriedUntil.get() + ", the "
                + "last time that run saw it] " + open.errorDetails() : open.errorDetails();
        Duration took = Duration.between(open.occurredAt(), end);
        Failure resolved = new Failure(open.serverType(), open.serverInstance(), open.type(), open.taskContext(),
                details, open.recoveryAction(), Optional.of(took.isNegative() ? Duration.ZERO : took),
                open.occurredAt(), open.orchestratorRecoveryTaskId());
        return new Step(NONE, Optional.of(resolved));
    }

    /** The server stopped answering: the outage the open row counts to is not over. */
    default FailureEpisode wentDown() {
        return this instanceof Open o && o.backAt().isPresent()
                ? new Open(o.row(), Optional.empty(), o.recoveryAction()) : this;
    }

    /** The server answered at {@code at}: the first answer since the open row last failed is where it ended. */
    default FailureEpisode cameUp(Instant at) {
        return this instanceof Open o && o.backAt().isEmpty()
                ? new Open(o.row(), Optional.of(at), o.recoveryAction()) : this;
    }

    /** Whether the open row began after {@code at} (an answer from before it says nothing of its end). */
    default boolean openedAfter(Instant at) {
        return this instanceof Open o && at.isBefore(o.row().occurredAt());
    }

    /** The row with what recovery did about it, and the orchestrator task of the linked run that did it. */
    private static Failure handled(Failure f, Optional<RecoveryAction> action, Optional<String> recoveryTask) {
        return new Failure(f.serverType(), f.serverInstance(), f.type(), f.taskContext(), f.errorDetails(),
                action.orElse(f.recoveryAction()), f.resolutionTime(), f.occurredAt(),
                recoveryTask.or(f::orchestratorRecoveryTaskId));
    }
}
