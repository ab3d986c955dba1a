package dev.mcphealth.infrastructure.scheduler;

import dev.mcphealth.domain.model.Faults;
import dev.mcphealth.application.port.in.DeliverOrchestratorUpdatesUseCase;
import dev.mcphealth.application.port.in.DeliverOrchestratorUpdatesUseCase.Delivery;
import dev.mcphealth.application.port.in.DeliverOrchestratorUpdatesUseCase.Held;
import dev.mcphealth.application.port.in.DeliverOrchestratorUpdatesUseCase.Settled;
import dev.mcphealth.application.port.in.ReconcileOrchestratorTasksUseCase;
import dev.mcphealth.application.port.in.ReconcileOrchestratorTasksUseCase.Reconciled;
import dev.mcphealth.application.port.in.ReconcileOrchestratorTasksUseCase.Reconciliation;
import dev.mcphealth.application.port.in.ReconcileOrchestratorTasksUseCase.Verdict;
import dev.mcphealth.application.port.in.RelinkDeferredTasksUseCase;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real-time loop around the orchestrator outbox: one daemon thread delivers what waits as soon as it starts (calls
 * left from before a restart), then every {@link #RETRY_EVERY} while calls wait, and at once when {@linkplain #wake
 * woken} (a call was enqueued, the orchestrator is healthy again). With nothing waiting it only looks every
 * {@link #IDLE_CHECK}, for calls another process added to the same database. After each delivery, rows stamped with a
 * stand-in while a plan waited are linked to the task it obtained ({@link RelinkDeferredTasksUseCase}).
 *
 * <p>Once nothing waits, the tasks MCP Health planned and did not see closed are reconciled
 * ({@link ReconcileOrchestratorTasksUseCase}) when that is due: at start (a crash may have left some), when the
 * orchestrator is back ({@link #orchestratorBack}), after a delivery settled entries, when a call's answer was lost
 * ({@link #reconcileSoon}), and again at the loop's pace while a pass left something for later.
 */
public final class OutboxScheduler implements AutoCloseable {
    /** How soon a delivery is tried again while calls wait: the orchestrator's breaker answers at once while open. */
    public static final Duration RETRY_EVERY = Duration.ofSeconds(5);
    /** The longest the loop sleeps with nothing waiting: a backstop, since enqueuing wakes it. */
    public static final Duration IDLE_CHECK = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(OutboxScheduler.class);

    private final DeliverOrchestratorUpdatesUseCase delivery;
    private final RelinkDeferredTasksUseCase relink;
    private final Optional<ReconcileOrchestratorTasksUseCase> reconcile;
    private final Duration retryEvery;
    private final Duration idleCheck;
    private final WakeableLoop loop = new WakeableLoop("mcp-health-outbox", this::pass);
    /** Whether a reconciliation pass is due (at start: a crash before it may have left tasks open). */
    private volatile boolean reconcileDue = true;
    private Optional<String> lastHeld = Optional.empty();
    private final Turn turn;

    /**
     * Whose turn it is to deliver: several processes on one database (a cluster's members) deliver one at a time, so
     * that none takes another's call in flight for one it never stored the answer of.
     */
    @FunctionalInterface
    public interface Turn {
        /** A process alone on its database: always its turn. */
        Turn ALWAYS = () -> Optional.of(() -> { });

        /** This process's turn, held until closed; empty while another process has it. */
        Optional<Held> take();

        /** A turn taken. */
        interface Held extends AutoCloseable {
            @Override
            void close();
        }
    }

    /** @param relink run after each delivery: rows stamped while a plan waited get the task id it obtained */
    public OutboxScheduler(DeliverOrchestratorUpdatesUseCase delivery, RelinkDeferredTasksUseCase relink) {
        this(delivery, relink, Optional.empty());
    }

    /** @param reconcile run once nothing waits, when due: tasks planned and not seen closed are closed */
    public OutboxScheduler(DeliverOrchestratorUpdatesUseCase delivery, RelinkDeferredTasksUseCase relink,
                           Optional<ReconcileOrchestratorTasksUseCase> reconcile) {
        this(delivery, relink, reconcile, RETRY_EVERY, IDLE_CHECK);
    }

    /** @param turn whose turn it is to deliver, among the processes on the database */
    public OutboxScheduler(DeliverOrchestratorUpdatesUseCase delivery, RelinkDeferredTasksUseCase relink,
                           Optional<ReconcileOrchestratorTasksUseCase> reconcile, Turn turn) {
        this(delivery, relink, reconcile, RETRY_EVERY, IDLE_CHECK, turn);
    }

    OutboxScheduler(DeliverOrchestratorUpdatesUseCase delivery, RelinkDeferredTasksUseCase relink,
                    Duration retryEvery, Duration idleCheck) {
        this(delivery, relink, Optional.empty(), retryEvery, idleCheck);
    }

    OutboxScheduler(DeliverOrchestratorUpdatesUseCase delivery, RelinkDeferredTasksUseCase relink,
                    Optional<ReconcileOrchestratorTasksUseCase> reconcile, Duration retryEvery, Duration idleCheck) {
        this(delivery, relink, reconcile, retryEvery, idleCheck, Turn.ALWAYS);
    }

    OutboxScheduler(DeliverOrchestratorUpdatesUseCase delivery, RelinkDeferredTasksUseCase relink,
                    Optional<ReconcileOrchestratorTasksUseCase> reconcile, Duration retryEvery, Duration idleCheck,
                    Turn turn) {
        this.turn = Objects.requireNonNull(turn, "turn");
        this.delivery = Objects.requireNonNull(delivery, "delivery");
        this.relink = Objects.requireNonNull(relink, "relink");
        this.reconcile = Objects.requireNonNull(reconcile, "reconcile");
        this.retryEvery = Objects.requireNonNull(retryEvery, "retryEvery");
        this.idleCheck = Objects.requireNonNull(idleCheck, "idleCheck");
    }

    /** Starts the loop (once); returns at once. */
    public void start() {
        loop.start();
    }

    /** Delivers at once (after the delivery running now, if one is). */
    public void wake() {
        loop.wake();
    }

    /** The orchestrator is back: deliver what waits and reconcile at once. */
    public void orchestratorBack() {
        reconcileSoon();
    }

    /** Reconciles after the next delivery (at once, if nothing waits). */
    public void reconcileSoon() {
        reconcileDue = true;
        wake();
    }

    /**
     * One delivery (and reconciliation, when due) in this process's turn; how long to wait before the next. Another
     * process's turn: tried again after {@link #retryEvery}.
     */
    private Duration pass() {
        Optional<Turn.Held> mine;
        try {
            mine = turn.take();
        } catch (RuntimeException e) {
            LOG.warn("delivering to the orchestrator waits: whose turn it is cannot be read now ({}); will try again"
                    + " in {} s", Faults.describe(e), retryEvery.toSeconds());
            return retryEvery;
        }
        if (mine.isEmpty()) {
            return retryEvery; // another process on the database delivers now
        }
        try (Turn.Held held = mine.get()) {
            return deliverAndReconcile();
        }
    }

    private Duration deliverAndReconcile() {
        Duration wait;
        try {
            Delivery d = delivery.deliverPending();
            report(d);
            wait = d.left() > 0 ? retryEvery : idleCheck;
            relink();
            if (!d.settled().isEmpty()) {
                reconcileDue = true;
            }
            if (d.left() == 0 && reconcileDue && reconcile.isPresent()) {
                wait = reconcile(reconcile.get()) ? wait : retryEvery;
            }
        } catch (RuntimeException | LinkageError | AssertionError e) {
            // the store is unavailable, or a bug: the calls stay where they are, tried again later (only a
            // VirtualMachineError ends the loop)
            LOG.warn("delivering to the orchestrator failed, will try again in {} s: {}",
                    retryEvery.toSeconds(), Faults.describe(e));
            wait = retryEvery;
        }
        return wait;
    }

    /** One reconciliation pass; false if it failed (the store), and it is then due again. */
    private boolean reconcile(ReconcileOrchestratorTasksUseCase pass) {
        reconcileDue = false;
        try {
            Reconciliation r = pass.reconcile();
            reconcileDue |= r.again();
            report(r);
            return true;
        } catch (RuntimeException e) {
            reconcileDue = true;
            LOG.warn("reconciling orchestrator tasks failed, will try again in {} s: {}", retryEvery.toSeconds(),
                    Faults.describe(e));
            return false;
        }
    }

    /** Links rows to the tasks deferred plans obtained; a store that fails is tried again after the next delivery. */
    private void relink() {
        try {
            long linked = relink.relink();
            if (linked > 0) {
                LOG.info("orchestrator outbox: {} row(s) linked to the tasks their deferred plans obtained", linked);
            }
        } catch (RuntimeException e) {
            LOG.warn("linking rows to the tasks deferred plans obtained failed, will try again: {}", Faults.describe(e));
        }
    }

    private void report(Reconciliation r) {
        for (Reconciled t : r.notable()) {
            if (t.verdict() == Verdict.LATER) {
                LOG.debug("orchestrator reconciliation: plan entry {} of run {} left for later: {}", t.planEntry(),
                        t.run(), t.detail());
            } else {
                LOG.info("orchestrator reconciliation: plan entry {} of run {}{} {}: {}", t.planEntry(), t.run(),
                        t.taskId().map(id -> " (task " + id + ")").orElse(""), t.verdict().code(), t.detail());
            }
        }
        r.storageProblem().ifPresent(p -> LOG.warn("orchestrator reconciliation could not be recorded: {}", p));
    }

    private void report(Delivery d) {
        for (Settled s : d.settled()) {
            LOG.info("orchestrator outbox: entry {} of run {} ({}) {}: {}", s.entry(), s.run(), s.tool(),
                    s.outcome().code(), s.detail());
        }
        Optional<String> held = d.held().map(Held::reason);
        if (held.isPresent() && !held.equals(lastHeld)) {
            Held h = d.held().get();
            LOG.info("orchestrator outbox: {} calls wait, from entry {} of run {} ({}): {}", d.left(), h.entry(),
                    h.run(), h.tool(), h.reason());
        }
        lastHeld = held;
    }

    /** Stops the loop; a delivery running now is given {@code grace} to finish. */
    public void stop(Duration grace) {
        Optional<Thread> t = loop.stop();
        if (t.isPresent()) {
            try {
                t.get().join(Math.max(1, grace.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether the loop runs. */
    public boolean running() {
        return loop.running();
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }
}
