package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.model.Coded;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Sends the orchestrator the calls waiting in the outbox, oldest first, until it is done or the orchestrator does not
 * get one (docs/orchestrator-outbox.md). The scheduler adapter calls it every few seconds while calls wait, and at
 * once when woken; one delivery runs at a time.
 */
@FunctionalInterface
public interface DeliverOrchestratorUpdatesUseCase {

    Delivery deliverPending();

    /** What became of an entry this delivery settled. */
    enum Outcome implements Coded {
        ANSWERED("answered"),
        DONE_DESPITE_ERROR("done_despite_error"),
        REFUSED("refused"),
        /** Sent (now, or before a restart) with no answer: it may have been done, so it is never sent again. */
        UNCONFIRMED("unconfirmed"),
        /** Not sent: the task id it needs was never obtained. */
        SKIPPED("skipped");

        private final String code;

        Outcome(String code) {
            this.code = code;
        }

        @Override
        public String code() {
            return code;
        }
    }

    /**
     * Entry {@code entry} of {@code run}, a call of {@code tool} (its name on the orchestrator), settled as
     * {@code outcome}; {@code detail} is the answer's gist, the error, or why it was skipped or is unconfirmed.
     */
    record Settled(long entry, String run, String tool, Outcome outcome, String detail) {
        public Settled {
            Objects.requireNonNull(run, "run");
            Objects.requireNonNull(tool, "tool");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** The entry the delivery stopped at, and why: it and every entry after it wait for the next delivery. */
    record Held(long entry, String run, String tool, String reason) {
        public Held {
            Objects.requireNonNull(run, "run");
            Objects.requireNonNull(tool, "tool");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * One delivery: the entries it settled, in order; where it stopped, if it did not reach the end; and how many
     * entries wait now (the held one among them).
     */
    record Delivery(List<Settled> settled, Optional<Held> held, long left) {
        public static final Delivery NOTHING = new Delivery(List.of(), Optional.empty(), 0);

        public Delivery {
            settled = List.copyOf(settled);
            Objects.requireNonNull(held, "held");
            if (left < 0) {
                throw new IllegalArgumentException("left must not be negative, got " + left);
            }
        }

        /** The entries that reached the orchestrator, or may have (unconfirmed): never to be sent again. */
        public List<Settled> delivered() {
            return settled.stream().filter(s -> s.outcome() != Outcome.SKIPPED).collect(Collectors.toList());
        }

        public List<Settled> skipped() {
            return settled.stream().filter(s -> s.outcome() == Outcome.SKIPPED).collect(Collectors.toList());
        }
    }
}
