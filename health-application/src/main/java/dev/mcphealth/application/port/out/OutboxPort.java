package dev.mcphealth.application.port.out;

import dev.mcphealth.domain.orchestrator.OrchestratorAnswer;
import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import dev.mcphealth.domain.model.Coded;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The durable outbox of calls to the orchestrator that could not be delivered when they were made
 * (docs/orchestrator-outbox.md). Each entry is one call, numbered in the order it was added; it is
 * {@link State#PENDING} until it is {@linkplain #claim claimed} for sending ({@link State#SENDING}), then put back
 * ({@link #release}, the orchestrator did not get it) or {@linkplain #settle settled} for good (answered, done despite
 * an error, refused, unconfirmed or skipped). A settled entry never changes again. Every method returns only once what
 * it wrote is committed, so a state read after a restart is the state written before it.
 *
 * <p>Storage failures are {@link StorageUnavailableException}s. Asking for a change the entry's state does not allow
 * is a bug in the caller: {@link IllegalStateException}.
 */
public interface OutboxPort {

    /** Adds {@code call}, created at {@code at}, after every entry there is; its id. */
    long add(Call call, Instant at);

    /** The entry with this id. */
    Optional<Entry> entry(long id);

    /** The entries with an id above {@code afterId} that are not settled (pending or sending), oldest first. */
    List<Entry> unsettled(long afterId, int limit);

    /** How many entries are not settled. */
    long countUnsettled();

    /** Every entry of {@code run}, oldest first. */
    List<Entry> run(String run);

    /**
     * Marks the entry {@link State#SENDING} with the request about to be sent (its own, with the task id it obtained)
     * and one attempt more, if it is pending; {@code false}, changing nothing, if it is not (or does not exist).
     *
     * @throws IllegalArgumentException if {@code sent} is a request of another tool than the entry's
     */
    boolean claim(long id, OrchestratorRequest sent);

    /** Puts a {@link State#SENDING} entry back to pending: the orchestrator did not get it, for {@code reason}. */
    void release(long id, String reason);

    /**
     * Settles the entry for good: a {@link Replied} one must be {@link State#SENDING}, a {@link Skipped} one
     * {@link State#PENDING}.
     */
    void settle(long id, Ending ending);

    /**
     * Adds {@code call}, made at {@code at}, already settled with {@code ending}: a call of a run that was made directly
     * (its reply) or that will never be made ({@link Skipped}, and why). It is the run's record for reconciliation
     * (docs/orchestrator-outbox.md), never delivered. Its id; a {@link Replied} entry counts one attempt.
     *
     * @throws IllegalArgumentException if it takes its task id from an entry that is not an earlier one of its run
     */
    long record(Call call, Instant at, Ending ending);

    /**
     * The plan_task entries with an id above {@code afterId} that are settled and have no reconciliation note yet,
     * oldest first: the tasks MCP Health planned that reconciliation has not looked at.
     */
    List<Entry> unreconciledPlans(long afterId, int limit);

    /**
     * Writes the reconciliation note of plan entry {@code planEntry}, once: it is not looked at again. The one change a
     * settled entry ever gets.
     *
     * @throws IllegalStateException if it is not a settled plan_task entry, or already has a note
     */
    void reconciled(long planEntry, String note, Instant at);

    /** The reconciliation note of {@code planEntry}, if it has one. */
    Optional<String> reconciliation(long planEntry);

    /** Whether an entry obtained {@code taskId} (a plan_task answered it): a task MCP Health planned and knows. */
    boolean knowsTask(String taskId);

    /** Where an entry is. Pending and sending entries are unsettled; the others are settled and never change. */
    enum State implements Coded {
        /** Waiting to be sent. */
        PENDING("pending"),
        /** Claimed and being sent, or the process stopped while it was sent (so it may have been). */
        SENDING("sending"),
        /** The orchestrator answered a JSON object that reports no error. */
        ANSWERED("answered"),
        /** It answered an error although the work was done. */
        DONE_DESPITE_ERROR("done_despite_error"),
        /** It answered that it did not do it. */
        REFUSED("refused"),
        /** Sent, but no answer came: it may or may not have done it. */
        UNCONFIRMED("unconfirmed"),
        /** Never sent: the task id it needs was never obtained. */
        SKIPPED("skipped");

        private final String code;

        State(String code) {
            this.code = code;
        }

        @Override
        public String code() {
            return code;
        }

        public boolean settled() {
            return this != PENDING && this != SENDING;
        }

        public static State fromCode(String code) {
            return Coded.parse(State.class, code, "outbox state");
        }
    }

    /**
     * One call to make, {@code request}, part of {@code run}, the caller's key for one health operation linked to an
     * orchestrator session (1 to 200 characters). With {@code taskFrom}, the id of an earlier entry of the same run
     * (its plan_task): a call about a task ({@link OrchestratorRequest.OfTask}) that is sent for the task id that entry
     * obtains, and skipped if it obtains none. A call about a task has its task id or the entry it comes from.
     */
    record Call(String run, OrchestratorRequest request, OptionalLong taskFrom) {
        public static final int MAX_RUN_LENGTH = 200;

        public Call {
            if (run == null || run.isBlank() || run.length() > MAX_RUN_LENGTH) {
                throw new IllegalArgumentException("run must be 1 to " + MAX_RUN_LENGTH + " characters, not blank");
            }
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(taskFrom, "taskFrom");
            if (taskFrom.isPresent() && taskFrom.getAsLong() <= 0) {
                throw new IllegalArgumentException("taskFrom must be an entry id (positive), got "
                        + taskFrom.getAsLong());
            }
            if (taskFrom.isPresent() && !(request instanceof OrchestratorRequest.OfTask)) {
                throw new IllegalArgumentException("only a call about a task takes its task id from an entry, not "
                        + request.tool().code());
            }
            if (request instanceof OrchestratorRequest.OfTask t && t.taskId().isEmpty() && taskFrom.isEmpty()) {
                throw new IllegalArgumentException(request.tool().code() + " needs its task id or the entry it comes"
                        + " from");
            }
        }

        public static Call of(String run, OrchestratorRequest request) {
            return new Call(run, request, OptionalLong.empty());
        }

        /** A call that takes its task id from what entry {@code planEntry} of the same run obtains. */
        public static Call withTaskFrom(String run, OrchestratorRequest.OfTask request, long planEntry) {
            return new Call(run, request, OptionalLong.of(planEntry));
        }

        public OrchestratorTool tool() {
            return request.tool();
        }

        /** The same call as it is sent: {@code sent}, the same tool's request (with the task id it obtained). */
        public Call sent(OrchestratorRequest sent) {
            if (sent.tool() != request.tool()) {
                throw new IllegalArgumentException("a " + request.tool().code() + " entry cannot be sent as "
                        + sent.tool().code());
            }
            return new Call(run, sent, taskFrom);
        }
    }

    /**
     * One entry: its call (with the request sent, once it has been claimed), when it was added, its state, how many
     * times it was handed to the orchestrator, why the last of them did not reach it, and how it was settled.
     */
    record Entry(long id, Call call, Instant createdAt, State state, int attempts, Optional<String> lastError,
                 Optional<Ending> ending) {
        public Entry {
            if (id <= 0) {
                throw new IllegalArgumentException("id must be positive, got " + id);
            }
            Objects.requireNonNull(call, "call");
            Objects.requireNonNull(createdAt, "createdAt");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(lastError, "lastError");
            Objects.requireNonNull(ending, "ending");
            if (attempts < 0) {
                throw new IllegalArgumentException("attempts must not be negative, got " + attempts);
            }
            if (state.settled() != ending.isPresent()) {
                throw new IllegalArgumentException("a " + state.code() + " entry "
                        + (state.settled() ? "needs" : "has no") + " ending");
            }
            if (ending.isPresent() && ending.get().state() != state) {
                throw new IllegalArgumentException("a " + state.code() + " entry cannot end "
                        + ending.get().state().code());
            }
        }

        /** An entry just added. */
        public static Entry added(long id, Call call, Instant at) {
            return new Entry(id, call, at, State.PENDING, 0, Optional.empty(), Optional.empty());
        }

        public String run() {
            return call.run();
        }

        public OrchestratorTool tool() {
            return call.tool();
        }
    }

    /** How an entry was settled. */
    sealed interface Ending permits Replied, Skipped {
        /** When it was settled. */
        Instant at();

        State state();
    }

    /** Sent, and this is what became of it; never a {@link OrchestratorReply.NotDelivered}. */
    record Replied(OrchestratorReply reply, Instant at) implements Ending {
        public Replied {
            Objects.requireNonNull(reply, "reply");
            Objects.requireNonNull(at, "at");
            if (!reply.delivered()) {
                throw new IllegalArgumentException("a call the orchestrator did not get is released, not settled");
            }
        }

        @Override
        public State state() {
            if (reply instanceof OrchestratorReply.Answered) {
                return State.ANSWERED;
            }
            if (reply instanceof OrchestratorReply.DoneDespiteError) {
                return State.DONE_DESPITE_ERROR;
            }
            if (reply instanceof OrchestratorReply.Refused) {
                return State.REFUSED;
            }
            if (reply instanceof OrchestratorReply.Unconfirmed) {
                return State.UNCONFIRMED;
            }
            throw new IllegalStateException("not a settling reply: " + reply);
        }

        /**
         * The task id the orchestrator answered, if it answered one: the task plan_task created, or the one an answer
         * to execute_task, complete_task or update_task names.
         */
        public Optional<String> taskId() {
            if (!(reply instanceof OrchestratorReply.Answered a)) {
                return Optional.empty();
            }
            if (a.answer() instanceof OrchestratorAnswer.Planned p) {
                return p.taskId();
            }
            return a.answer() instanceof OrchestratorAnswer.Taken t ? t.taskId() : Optional.empty();
        }

        /** The session id the orchestrator answered (from initialize_session), if any. */
        public Optional<String> sessionId() {
            return reply instanceof OrchestratorReply.Answered a
                    && a.answer() instanceof OrchestratorAnswer.SessionOpened o ? o.sessionId() : Optional.empty();
        }
    }

    /** Never sent, for {@code reason}. */
    record Skipped(String reason, Instant at) implements Ending {
        public Skipped {
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("reason must not be blank");
            }
            Objects.requireNonNull(at, "at");
        }

        @Override
        public State state() {
            return State.SKIPPED;
        }
    }
}
