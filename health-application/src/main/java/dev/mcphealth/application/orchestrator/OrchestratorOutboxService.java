package dev.mcphealth.application.orchestrator;

import dev.mcphealth.application.port.in.DeliverOrchestratorUpdatesUseCase;
import dev.mcphealth.application.port.out.OrchestratorPort;
import dev.mcphealth.application.port.out.OrchestratorRequest;
import dev.mcphealth.domain.model.Coded;
import dev.mcphealth.domain.model.Faults;
import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import dev.mcphealth.application.port.out.OutboxPort;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The outbox of orchestrator calls that could not be delivered when they were made, and their delivery
 * (docs/orchestrator-outbox.md).
 *
 * <p>Callers {@link #enqueue} a call that came back {@link OrchestratorReply.NotDelivered}, and every later call of
 * the same run (see {@link #waiting(String)}), so that the run's calls reach the orchestrator in the order they were
 * made. {@link #deliverPending} sends the waiting entries strictly in id order (creation order, across runs):
 * <ul>
 *   <li>an entry that takes its task id from an earlier entry gets that entry's {@code task_id} put into its
 *   arguments; if that entry obtained none (refused, unconfirmed, answered without one, skipped) it is settled as
 *   skipped with the reason, never sent;</li>
 *   <li>before it is sent an entry is claimed (state sending), and that is committed; the reply is then stored: a
 *   reply the orchestrator got (answered, done despite an error, refused, unconfirmed) settles it for good, and it is
 *   never sent again;</li>
 *   <li>a {@link OrchestratorReply.NotDelivered} puts it back to pending and ends the delivery there: the orchestrator
 *   is still away, and the rest wait behind it, in order;</li>
 *   <li>an entry found still sending was claimed by a delivery that never stored its reply: if this service holds the
 *   reply (the store failed), that reply is stored now; otherwise the process stopped while it was sent, and it is
 *   settled as unconfirmed, not sent again. At most once, never twice.</li>
 * </ul>
 * One delivery runs at a time.
 */
public final class OrchestratorOutboxService implements DeliverOrchestratorUpdatesUseCase {
    /** Entries read from the store at once. */
    static final int PAGE = 50;
    /** How much of an answer, an error or a reason a report repeats. */
    static final int DETAIL_LENGTH = 300;
    /** Why an entry found still sending after a restart is unconfirmed. */
    public static final String INTERRUPTED =
            "MCP Health stopped while it was being sent, so it may or may not have been done";

    private final OrchestratorPort orchestrator;
    private final OutboxPort outbox;
    private final Clock clock;
    private final List<Runnable> wakeups = new CopyOnWriteArrayList<>();
    private final List<Runnable> lost = new CopyOnWriteArrayList<>();
    /** Replies that came back but could not be stored: stored by the next delivery. Guarded by this. */
    private final Map<Long, OrchestratorReply> unstored = new HashMap<>();

    /** The entry whose call is out now, or -1. */
    private volatile long sending = -1;

    public OrchestratorOutboxService(OrchestratorPort orchestrator, OutboxPort outbox, Clock clock) {
        this.orchestrator = Objects.requireNonNull(orchestrator, "orchestrator");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Adds {@code call} to the end of the outbox (stored before this returns) and wakes the delivery; its entry id, for
     * later calls of the run that take their task id from it ({@link OutboxPort.Call#withTaskFrom}).
     *
     * @throws IllegalArgumentException if it takes its task id from an entry that is not an earlier one of its run
     */
    public long enqueue(OutboxPort.Call call) {
        long id = outbox.add(call, clock.instant());
        wakeups.forEach(Runnable::run);
        return id;
    }

    /**
     * Keeps a call of a run that was made directly (its reply), or that will never be made (skipped), as the run's
     * record for reconciliation; stored before this returns, never delivered. A call that may have been lost (its
     * answer did not come: unconfirmed) runs the {@linkplain #onLost lost-call listeners}. Its entry id.
     *
     * @throws IllegalArgumentException if it takes its task id from an entry that is not an earlier one of its run
     */
    public long record(OutboxPort.Call call, java.time.Instant at, OutboxPort.Ending ending) {
        long id = outbox.record(call, at, ending);
        if (ending instanceof OutboxPort.Replied r && r.reply() instanceof OrchestratorReply.Unconfirmed) {
            lost.forEach(Runnable::run);
        }
        return id;
    }

    /** {@code listener} runs whenever a call whose answer was lost is {@linkplain #record recorded}. */
    public void onLost(Runnable listener) {
        lost.add(Objects.requireNonNull(listener, "listener"));
    }

    /** {@code wakeup} runs whenever a call is enqueued. */
    public void onWork(Runnable wakeup) {
        wakeups.add(Objects.requireNonNull(wakeup, "wakeup"));
    }

    /** Whether calls of {@code run} wait in the outbox: its later calls must then be enqueued too, to keep order. */
    public boolean waiting(String run) {
        return outbox.run(run).stream().anyMatch(e -> !e.state().settled());
    }

    /** How many calls wait in the outbox. */
    public long waiting() {
        return outbox.countUnsettled();
    }

    /**
     * Whether calls wait to be delivered: unsettled entries other than the one being sent right now. A new run waits
     * behind a backlog to keep the order; it need not wait behind a delivery that is merely in flight.
     */
    public boolean backlog() {
        long unsettled = outbox.countUnsettled();
        return unsettled - (sending >= 0 ? 1 : 0) > 0;
    }

    @Override
    public synchronized Delivery deliverPending() {
        List<Settled> settled = new ArrayList<>();
        Optional<Held> held = Optional.empty();
        long after = 0;
        boolean more = true;
        while (more && held.isEmpty()) {
            List<OutboxPort.Entry> page = outbox.unsettled(after, PAGE);
            for (OutboxPort.Entry e : page) {
                after = e.id();
                held = deliver(e, settled);
                if (held.isPresent()) {
                    break;
                }
            }
            more = page.size() == PAGE;
        }
        return new Delivery(settled, held, outbox.countUnsettled());
    }

    /** Delivers one unsettled entry; where the delivery must stop, if it must. */
    private Optional<Held> deliver(OutboxPort.Entry e, List<Settled> settled) {
        if (e.state() == OutboxPort.State.SENDING) {
            OrchestratorReply known = unstored.get(e.id());
            if (known == null) {
                settled.add(store(e, new OrchestratorReply.Unconfirmed(INTERRUPTED)));
                return Optional.empty();
            }
            if (known.delivered()) {
                settled.add(store(e, known));
                return Optional.empty();
            }
            outbox.release(e.id(), ((OrchestratorReply.NotDelivered) known).reason());
            unstored.remove(e.id());
            // pending again: sent below like any other, as the next in order
        }
        OrchestratorRequest request = e.call().request();
        if (e.call().taskFrom().isPresent()) {
            long from = e.call().taskFrom().getAsLong();
            TaskSource source = taskFrom(from);
            if (source instanceof NotYet) {
                return Optional.of(held(e, "waits for entry " + from + ", which is not settled yet"));
            }
            if (source instanceof Missing) {
                String reason = ((Missing) source).reason();
                outbox.settle(e.id(), new OutboxPort.Skipped(reason, clock.instant()));
                settled.add(settled(e, Outcome.SKIPPED, reason));
                return Optional.empty();
            }
            // a call takes its task id from an entry only when it is about a task (OutboxPort.Call says so)
            request = ((OrchestratorRequest.OfTask) request).forTask(((Obtained) source).taskId());
        }
        if (!outbox.claim(e.id(), request)) {
            return Optional.of(held(e, "entry " + e.id() + " changed while it was being delivered (is another"
                    + " process delivering from this database?)"));
        }
        OrchestratorReply reply;
        sending = e.id();
        try {
            reply = orchestrator.call(request);
        } catch (RuntimeException ex) {
            // the port never throws, so this is a bug; the call may have gone out, so it is not sent again
            reply = new OrchestratorReply.Unconfirmed("the call failed unexpectedly: " + Faults.describe(ex));
        }
        unstored.put(e.id(), reply);
        try {
            if (!reply.delivered()) {
                String reason = ((OrchestratorReply.NotDelivered) reply).reason();
                outbox.release(e.id(), reason);
                unstored.remove(e.id());
                return Optional.of(held(e, reason));
            }
            settled.add(store(e, reply));
            return Optional.empty();
        } finally {
            sending = -1;
        }
    }

    /** Settles a claimed entry with the reply it got. */
    private Settled store(OutboxPort.Entry e, OrchestratorReply reply) {
        OutboxPort.Replied replied = new OutboxPort.Replied(reply, clock.instant());
        outbox.settle(e.id(), replied);
        unstored.remove(e.id());
        // a settled entry's outcome is its state: the same cases, the same codes
        return settled(e, Coded.parse(Outcome.class, replied.state().code(), "outcome"), reply.said());
    }

    /** Where the task id of entry {@code from} stands. */
    private TaskSource taskFrom(long from) {
        Optional<OutboxPort.Entry> found = outbox.entry(from);
        if (found.isEmpty()) {
            return new Missing("entry " + from + ", which it takes its task_id from, does not exist");
        }
        OutboxPort.Entry plan = found.get();
        if (plan.ending().isEmpty()) {
            return new NotYet();
        }
        String which = "entry " + from + " (" + plan.tool().code() + "), which it takes its task_id from, ";
        OutboxPort.Ending ending = plan.ending().get();
        if (ending instanceof OutboxPort.Skipped) {
            return new Missing(which + "was skipped: " + ((OutboxPort.Skipped) ending).reason());
        }
        OutboxPort.Replied replied = (OutboxPort.Replied) ending;
        Optional<String> taskId = replied.taskId();
        if (taskId.isPresent()) {
            return new Obtained(taskId.get());
        }
        OrchestratorReply reply = replied.reply();
        if (reply instanceof OrchestratorReply.Answered) {
            return new Missing(which + "answered without a task_id");
        }
        if (reply instanceof OrchestratorReply.Refused) {
            return new Missing(which + "was refused: " + ((OrchestratorReply.Refused) reply).error());
        }
        if (reply instanceof OrchestratorReply.Unconfirmed) {
            return new Missing(which + "is unconfirmed (" + ((OrchestratorReply.Unconfirmed) reply).reason()
                    + "), so no task_id is known");
        }
        if (reply instanceof OrchestratorReply.DoneDespiteError) {
            return new Missing(which + "answered an error although done, so no task_id is known: "
                    + ((OrchestratorReply.DoneDespiteError) reply).raw());
        }
        throw new IllegalStateException("not a settling reply: " + reply);
    }

    private sealed interface TaskSource permits Obtained, Missing, NotYet {
    }

    private record Obtained(String taskId) implements TaskSource {
    }

    private record Missing(String reason) implements TaskSource {
    }

    private record NotYet() implements TaskSource {
    }

    private static Settled settled(OutboxPort.Entry e, Outcome outcome, String detail) {
        return new Settled(e.id(), e.run(), e.tool().code(), outcome, cut(detail));
    }

    private static Held held(OutboxPort.Entry e, String reason) {
        return new Held(e.id(), e.run(), e.tool().code(), cut(reason));
    }

    /** An answer's identifying keys ("status=success, task_id=task_1a2b3c4d"), or "answered". */
    private static String cut(String s) {
        return s.length() <= DETAIL_LENGTH ? s : s.substring(0, DETAIL_LENGTH - 1) + "…";
    }
}
