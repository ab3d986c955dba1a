package dev.mcphealth.infrastructure.scheduler;

import dev.mcphealth.domain.model.Faults;
import dev.mcphealth.application.port.in.FlushMonitoringUseCase;
import dev.mcphealth.application.port.in.FlushReport;
import dev.mcphealth.application.port.in.PlanMonitoringUseCase;
import dev.mcphealth.application.port.in.PruneHistoryUseCase;
import dev.mcphealth.application.port.in.RecordWatchdogRestartUseCase;
import dev.mcphealth.application.port.in.RewriteOpenRecordsUseCase;
import dev.mcphealth.application.port.in.RunScheduledProbeUseCase;
import dev.mcphealth.application.port.in.StopMonitoringUseCase;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.history.RetentionReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real-time loop around the monitoring use cases. One timer thread only dispatches: {@link #HAND_OFF_LEAD} before
 * each server's due time it hands the probe to a worker, which starts it when due. The workers are bounded, in two
 * lanes ({@link ProbeLanes}): servers that answer at once in one, servers opening their session, timing out or hung in
 * the other, so that these hold workers of their own and delay no other; idle workers leave after 10 s, so the
 * threads follow the probes running at once. A server's next probe is scheduled when its current one
 * ends, so probes of one server never overlap; due times that passed meanwhile are skipped and counted as missed.
 * First probes are spread over each interval (and over more seconds when there are many, at most
 * {@link #FIRST_OPENS_PER_SECOND} a second) so that many servers on one interval do not all fire, or all open their
 * sessions, at once, and so that their later probes are due evenly over the interval ({@link #firstDueNanos}). A separate writer thread flushes every {@link #FLUSH_EVERY} and prunes hourly, off the probe path.
 *
 * <p>Each server's interval is read from the plan whenever its next probe is scheduled, so an interval changed while
 * it runs applies from the probe after the one already scheduled. The servers are those of the plan at {@link #start}.
 *
 * <p>A watchdog thread checks every {@link Watchdog#every} that each server's loop moves: a probe that hangs past
 * every timeout would otherwise hold its worker, and its server's next probe would never be scheduled. A server whose
 * loop has not moved for {@link Watchdog#stallAfter} its interval is started again on a new chain; the old chain, if
 * its probe ever returns, ends there (chains carry a generation), so probes of one server still never run twice over.
 * Each restart is reported ({@link RecordWatchdogRestartUseCase}): the failover of the failover system.
 *
 * <p>With a {@link StoreGuard}, each flush (and the last one, at stop) first asks whether the store is still the one
 * written to: a database file deleted while in use is otherwise written into unlinked, and everything is lost without
 * a word. When the store was made anew, that is said once (a warning naming the file) and the monitor buffers again
 * what it holds open ({@link RewriteOpenRecordsUseCase}), so the flush writes it there with the rows still waiting.
 * When it cannot be made anew, {@link #storeLost()} says why and the flushes wait for it; whoever started the monitor
 * decides whether to stop (the CLI's watch and the MCP server stop, exit 3).
 */
public final class MonitorScheduler implements AutoCloseable {
    public static final Duration FLUSH_EVERY = Duration.ofSeconds(1);
    public static final Duration PRUNE_EVERY = Duration.ofHours(1);
    public static final Duration PRUNE_FIRST_AFTER = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(MonitorScheduler.class);

    private final PlanMonitoringUseCase plan;
    private final RunScheduledProbeUseCase probes;
    private final FlushMonitoringUseCase flusher;
    private final StopMonitoringUseCase stopper;
    private final Optional<PruneHistoryUseCase> pruner;
    private final PruneHistoryUseCase.Command retention;
    private final Consumer<FlushReport> onFlush;
    private final Runnable tick;
    private final ScheduledExecutorService timer;
    private final ProbeLanes workers;
    private final ScheduledExecutorService writer;
    private final ScheduledExecutorService pruneThread;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Watchdog watchdog;
    private final ScheduledExecutorService watchdogThread;
    private final java.util.Map<dev.mcphealth.domain.model.ServerId, Chain> chains =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final StoreGuard store;
    private final CompletableFuture<String> lost = new CompletableFuture<>();

    /**
     * Before each flush: {@code check} opens the store again if it was replaced (a sentence saying so) or throws
     * {@link StorageUnavailableException} if it cannot; after a replacement {@code rewrite} buffers again what the
     * monitor holds open.
     */
    public record StoreGuard(StoreCheck check, RewriteOpenRecordsUseCase rewrite) {
        public StoreGuard {
            Objects.requireNonNull(check, "check");
            Objects.requireNonNull(rewrite, "rewrite");
        }
    }

    /** Whether the store is still the one written to (infrastructure: the file at the database's path). */
    @FunctionalInterface
    public interface StoreCheck {
        /**
         * Empty when it is; else opens it again and returns one sentence saying what happened.
         *
         * @throws StorageUnavailableException when it was replaced and cannot be opened again
         */
        Optional<String> reopenIfReplaced();
    }

    /**
     * How the watchdog watches: every {@code every}, a loop counts as stalled when it has not moved for the longer of
     * {@code minimum} and {@code intervals} times its interval, plus the server's {@code probeBudget} (the longest one
     * of its probes may take: a connect and a request, by its own timeouts).
     */
    public record Watchdog(Duration every, Duration minimum, int intervals,
                           java.util.function.Function<dev.mcphealth.domain.model.ServerId, Duration> probeBudget,
                           RecordWatchdogRestartUseCase report) {
        public Watchdog {
            Objects.requireNonNull(every, "every");
            Objects.requireNonNull(minimum, "minimum");
            Objects.requireNonNull(probeBudget, "probeBudget");
            Objects.requireNonNull(report, "report");
            if (intervals < 1) {
                throw new IllegalArgumentException("intervals must be at least 1");
            }
        }

        /** Every 5 s; stalled after 3 intervals (at least 30 s) plus the server's probe budget. */
        public static Watchdog defaults(
                java.util.function.Function<dev.mcphealth.domain.model.ServerId, Duration> probeBudget,
                RecordWatchdogRestartUseCase report) {
            return new Watchdog(Duration.ofSeconds(5), Duration.ofSeconds(30), 3, probeBudget, report);
        }

        Duration stallAfter(dev.mcphealth.domain.model.ServerId server, Duration interval) {
            Duration n = interval.multipliedBy(intervals);
            return (n.compareTo(minimum) < 0 ? minimum : n).plus(probeBudget.apply(server));
        }
    }

    /** One server's loop: its generation (a restart starts a new one) and when it last moved. */
    private static final class Chain {
        final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();
        /** Probes of this server running now, of any generation. */
        final AtomicInteger probing = new AtomicInteger();
        /** Its first probe (opening its session), its last one slow, or restarted by the watchdog: the slow lane. */
        volatile boolean slow = true;
        /** The place in its lane of its probe handed over last (the one the watchdog finds hung). */
        volatile ProbeLanes.Slot slot;
        /** Restarted while a probe hung: not restarted again until that probe returns (it may hold a lock). */
        volatile boolean restartedHung;
        volatile long movedNanos;
        volatile PlanMonitoringUseCase.Entry entry;
        /** When its last probe was due, and when its next one is ({@link Long#MIN_VALUE}: none yet). */
        volatile long lastDueNanos = Long.MIN_VALUE;
        volatile long nextDueNanos = Long.MIN_VALUE;

        Chain(PlanMonitoringUseCase.Entry entry, long now) {
            this.entry = entry;
            this.movedNanos = now;
        }
    }
    private volatile boolean stopping;
    private Instant startInstant;
    private long startNanos;

    public MonitorScheduler(PlanMonitoringUseCase plan, RunScheduledProbeUseCase probes, FlushMonitoringUseCase flusher,
                            StopMonitoringUseCase stopper, Optional<PruneHistoryUseCase> pruner,
                            PruneHistoryUseCase.Command retention, Consumer<FlushReport> onFlush) {
        this(plan, probes, flusher, stopper, pruner, retention, onFlush, Optional.empty());
    }

    public MonitorScheduler(PlanMonitoringUseCase plan, RunScheduledProbeUseCase probes, FlushMonitoringUseCase flusher,
                            StopMonitoringUseCase stopper, Optional<PruneHistoryUseCase> pruner,
                            PruneHistoryUseCase.Command retention, Consumer<FlushReport> onFlush,
                            Optional<Watchdog> watchdog) {
        this(plan, probes, flusher, stopper, pruner, retention, onFlush, watchdog, Optional.empty());
    }

    public MonitorScheduler(PlanMonitoringUseCase plan, RunScheduledProbeUseCase probes, FlushMonitoringUseCase flusher,
                            StopMonitoringUseCase stopper, Optional<PruneHistoryUseCase> pruner,
                            PruneHistoryUseCase.Command retention, Consumer<FlushReport> onFlush,
                            Optional<Watchdog> watchdog, Optional<StoreGuard> store) {
        this(plan, probes, flusher, stopper, pruner, retention, onFlush, watchdog, store, () -> { });
    }

    /**
     * @param tick run after each flush, on the writer thread, whether or not the store could be written (work that
     *             must go on while the database is away: ending the trials of applied changes); what it throws is
     *             logged, never stops the flushes
     */
    public MonitorScheduler(PlanMonitoringUseCase plan, RunScheduledProbeUseCase probes, FlushMonitoringUseCase flusher,
                            StopMonitoringUseCase stopper, Optional<PruneHistoryUseCase> pruner,
                            PruneHistoryUseCase.Command retention, Consumer<FlushReport> onFlush,
                            Optional<Watchdog> watchdog, Optional<StoreGuard> store, Runnable tick) {
        this.tick = Objects.requireNonNull(tick, "tick");
        this.store = store.orElse(null);
        this.watchdog = watchdog.orElse(null);
        this.watchdogThread = Executors.newSingleThreadScheduledExecutor(daemon("mcp-health-watchdog"));
        this.plan = Objects.requireNonNull(plan);
        this.probes = Objects.requireNonNull(probes);
        this.flusher = Objects.requireNonNull(flusher);
        this.stopper = Objects.requireNonNull(stopper);
        this.pruner = Objects.requireNonNull(pruner);
        this.retention = Objects.requireNonNull(retention);
        this.onFlush = Objects.requireNonNull(onFlush);
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, daemon("mcp-health-timer"));
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
        // Bounded, in two lanes: servers that hang or time out (or open their session) hold workers of their own
        // lane, not those of the servers that answer at once (ProbeLanes)
        this.workers = new ProbeLanes(daemon("mcp-health-probe"), daemon("mcp-health-probe-slow"));
        this.writer = Executors.newSingleThreadScheduledExecutor(daemon("mcp-health-writer"));
        this.pruneThread = Executors.newSingleThreadScheduledExecutor(daemon("mcp-health-prune"));
    }

    /**
     * How long before a probe is due the timer hands it to a worker, which then waits for the moment it is due: the
     * hand-off (a thread to wake, or to start, on cores that may be busy) is then not part of the probe's lag. Measured
     * at 2,000 servers a second on 2 cores (docs/benchmarks.md, "Watching many servers"): without it the hand-off was
     * 0.3 ms at the median and milliseconds at the 99th percentile.
     */
    static final Duration HAND_OFF_LEAD = Duration.ofMillis(2);

    /** How many first probes (each opening its server's session) start in a second at most. */
    static final int FIRST_OPENS_PER_SECOND = 200;

    /**
     * When the {@code i}-th of {@code n} servers is first due, in nanoseconds after the start. A first probe opens its
     * server's session (a process to start, a handshake), several times the work of a probe over an open one, and 2,000
     * of them in one second missed probes by the hundred: so the servers open in rounds, as many as it takes at
     * {@link #FIRST_OPENS_PER_SECOND} a round, server {@code i} in round {@code i % rounds}, {@code i/n} of its window
     * (its interval, at most 1 s, so that a slow interval still starts promptly) into it. A round lasts a whole number
     * of intervals (at least a second), so every round puts its servers at the same place in the interval: on a 1 s
     * interval the servers' later probes are due {@code 1/n} s apart, evenly, as if all had started in one round. (The
     * first probes spread in order over the whole start, as before, put one server of each round on the same instant:
     * at 1,000 servers five probes due together every 5 ms, at 2,000 ten every 5 ms, for good; measured in
     * docs/benchmarks.md, "Watching many servers".)
     */
    static long firstDueNanos(int i, int n, Duration interval) {
        long second = Duration.ofSeconds(1).toNanos();
        long every = Math.max(1, interval.toNanos());
        long window = Math.min(every, second);
        int rounds = n <= 0 ? 1 : (n - 1) / FIRST_OPENS_PER_SECOND + 1;
        long round = every >= second ? second : every * ((second + every - 1) / every);
        return (i % rounds) * round + window * i / Math.max(1, n);
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread th = new Thread(r, name + "-" + n.incrementAndGet());
            th.setDaemon(true);
            return th;
        };
    }

    /** Starts probing every planned server and flushing; returns at once. */
    public synchronized void start() {
        startInstant = Instant.now();
        startNanos = System.nanoTime();
        List<PlanMonitoringUseCase.Entry> entries = plan.plan();
        for (int i = 0; i < entries.size(); i++) {
            PlanMonitoringUseCase.Entry e = entries.get(i);
            long first = startNanos + firstDueNanos(i, entries.size(), e.interval());
            Chain chain = new Chain(e, startNanos);
            chains.put(e.server(), chain);
            schedule(e, first, 0, 0);
        }
        if (watchdog != null) {
            watchdogThread.scheduleWithFixedDelay(this::watch, watchdog.every().toMillis(),
                    watchdog.every().toMillis(), TimeUnit.MILLISECONDS);
        }
        writer.scheduleWithFixedDelay(this::flush, FLUSH_EVERY.toMillis(), FLUSH_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
        // Pruning a large database takes a while: on its own thread, so flushing never waits for it, and not at once.
        pruner.ifPresent(p -> pruneThread.scheduleWithFixedDelay(() -> prune(p), PRUNE_FIRST_AFTER.toMillis(),
                PRUNE_EVERY.toMillis(), TimeUnit.MILLISECONDS));
    }

    /**
     * Starts again the loop of every server that has not moved for too long, once per hang: while the probe that hung
     * has not returned, its server is not restarted again (the new chain's probe may be waiting on what the hung one
     * holds, and every restart would leave one more worker stuck).
     */
    private void watch() {
        if (stopping) {
            return;
        }
        long now = System.nanoTime();
        for (Chain c : chains.values()) {
            try {
                PlanMonitoringUseCase.Entry e = c.entry;
                long stalled = now - c.movedNanos;
                if (stalled <= watchdog.stallAfter(e.server(), intervalNow(e)).toNanos()) {
                    continue;
                }
                ProbeLanes.Slot last = c.slot;
                if (c.restartedHung && c.probing.get() > 0) {
                    if (last != null) {
                        last.hung(); // the new chain's probe hangs too: not counted either, and no restart
                    }
                    continue;
                }
                long generation = c.generation.incrementAndGet();
                c.restartedHung = c.probing.get() > 0;
                c.slow = true;
                c.movedNanos = now;
                schedule(e, now, 0, generation);
                if (c.restartedHung && last != null) {
                    last.hung(); // not counted against its lane while it hangs (or waits in a full lane's line)
                }
                LOG.warn("the probe loop of {} did not move for {} s: started again", e.server(),
                        TimeUnit.NANOSECONDS.toSeconds(stalled));
                try {
                    watchdog.report().restarted(e.server(), Duration.ofNanos(stalled));
                } catch (RuntimeException ex) {
                    LOG.error("the watchdog's restart of {} could not be recorded: {}", e.server(), Faults.describe(ex));
                }
            } catch (Throwable ex) {
                if (ex instanceof VirtualMachineError) {
                    throw (VirtualMachineError) ex;
                }
                LOG.error("the watchdog failed unexpectedly: {}", Faults.describe(ex));
            }
        }
    }

    /** Whether the chain {@code generation} of the server is still the current one (the watchdog may have replaced it). */
    private boolean current(PlanMonitoringUseCase.Entry e, long generation) {
        Chain c = chains.get(e.server());
        return c == null || c.generation.get() == generation;
    }

    private void moved(PlanMonitoringUseCase.Entry e) {
        Chain c = chains.get(e.server());
        if (c != null) {
            c.movedNanos = System.nanoTime();
            c.entry = e;
        }
    }

    private void schedule(PlanMonitoringUseCase.Entry e, long dueNanos, int missed, long generation) {
        if (stopping || !current(e, generation)) {
            return;
        }
        Chain chain = chains.get(e.server());
        if (chain != null) {
            chain.nextDueNanos = dueNanos;
        }
        try {
            timer.schedule(() -> dispatch(e, dueNanos, missed, generation),
                    dueNanos - HAND_OFF_LEAD.toNanos() - System.nanoTime(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closed) {
            // stopping
        }
    }

    private void dispatch(PlanMonitoringUseCase.Entry e, long dueNanos, int missed, long generation) {
        if (stopping || !current(e, generation)) {
            return;
        }
        moved(e);
        Chain chain = chains.get(e.server());
        if (chain != null) {
            chain.probing.incrementAndGet();
        }
        inFlight.incrementAndGet();
        try {
            ProbeLanes.Slot slot = workers.execute(() -> run(e, dueNanos, missed, generation),
                    chain == null || chain.slow);
            if (chain != null) {
                chain.slot = slot;
            }
        } catch (RejectedExecutionException closed) {
            inFlight.decrementAndGet(); // only when stopping: a full lane keeps the probe in line
            if (chain != null) {
                chain.probing.decrementAndGet();
            }
        }
    }

    private void run(PlanMonitoringUseCase.Entry e, long dueNanos, int missed, long generation) {
        try {
            for (long wait = dueNanos - System.nanoTime(); wait > 0 && !stopping; wait = dueNanos - System.nanoTime()) {
                LockSupport.parkNanos(wait); // handed over ahead of time: the probe starts when it is due
            }
            if (!stopping && current(e, generation)) { // not started when stopping, nor once its chain was replaced
                Instant scheduledAt = startInstant.plusNanos(dueNanos - startNanos);
                long started = System.nanoTime();
                probes.probe(new RunScheduledProbeUseCase.Command(e.server(), scheduledAt, missed,
                        () -> current(e, generation)));
                Chain chain = chains.get(e.server());
                if (chain != null && current(e, generation)) {
                    chain.slow = System.nanoTime() - started > ProbeLanes.SLOW_PROBE.toNanos();
                }
            }
        } catch (RuntimeException ex) {
            LOG.error("probe of {} failed unexpectedly: {}", e.server(), Faults.describe(ex));
        } finally {
            inFlight.decrementAndGet();
            Chain chain = chains.get(e.server());
            if (chain != null) {
                chain.lastDueNanos = dueNanos;
            }
            if (chain != null && chain.probing.decrementAndGet() == 0) {
                chain.restartedHung = false;
            }
            if (!current(e, generation)) {
                return; // the watchdog started this server's loop again while this probe hung: that chain goes on
            }
            PlanMonitoringUseCase.Entry current = new PlanMonitoringUseCase.Entry(e.server(), intervalNow(e));
            moved(current);
            long interval = current.interval().toNanos();
            long next = dueNanos + interval;
            long now = System.nanoTime();
            int skipped = 0;
            while (next - now <= 0) {
                next += interval;
                skipped++;
            }
            schedule(current, next, skipped, generation);
        }
    }

    /** The server's interval in the plan now; the last one known if the plan has dropped it. */
    private Duration intervalNow(PlanMonitoringUseCase.Entry e) {
        try {
            return plan.entry(e.server()).map(PlanMonitoringUseCase.Entry::interval).orElse(e.interval());
        } catch (RuntimeException ex) {
            LOG.error("reading the plan failed unexpectedly, {} keeps its interval: {}", e.server(), Faults.describe(ex));
        }
        return e.interval();
    }

    private void flush() {
        try {
            workers.sweep(); // a probe put in line just as a worker went idle: not left there
        } catch (RuntimeException ex) {
            LOG.error("looking at the probe lines failed unexpectedly: {}", Faults.describe(ex));
        }
        try {
            if (storeReady()) {
                onFlush.accept(flusher.flushDue());
            }
        } catch (RuntimeException ex) {
            LOG.error("flush failed unexpectedly: {}", Faults.describe(ex));
        }
        try {
            tick.run();
        } catch (RuntimeException ex) {
            LOG.error("a task after the flush failed unexpectedly: {}", Faults.describe(ex));
        }
        pullIn();
    }

    /**
     * A server whose interval got shorter since its next probe was set (an idle hour's stretch ended, or the server is
     * not healthy) is probed at most one new interval after its last probe: its chain starts again then (a new
     * generation; the probe set before finds itself replaced and does nothing).
     */
    private static final Duration PULL_IN_MARGIN = Duration.ofMillis(200);

    private void pullIn() {
        if (stopping) {
            return;
        }
        long now = System.nanoTime();
        for (Chain c : chains.values()) {
            try {
                long last = c.lastDueNanos;
                long next = c.nextDueNanos;
                // not while it probes, nor when its next probe is about to start: it then runs once, not twice
                if (last == Long.MIN_VALUE || next == Long.MIN_VALUE || c.probing.get() > 0
                        || next - now < PULL_IN_MARGIN.toNanos()) {
                    continue;
                }
                PlanMonitoringUseCase.Entry e = c.entry;
                Duration interval = intervalNow(e);
                long sooner = last + interval.toNanos();
                if (next - sooner > 0) {
                    long generation = c.generation.incrementAndGet();
                    schedule(new PlanMonitoringUseCase.Entry(e.server(), interval), sooner - now > 0 ? sooner : now,
                            0, generation);
                }
            } catch (RuntimeException ex) {
                LOG.error("bringing a probe of {} forward failed unexpectedly: {}", c.entry.server(),
                        Faults.describe(ex));
            }
        }
    }

    /**
     * Before a flush: whether the store is still the one written to, or was opened again (said once, and what the
     * monitor holds open is buffered again for it). False while it is lost: rows wait, and {@link #storeLost()} says
     * why from the first time on.
     */
    private boolean storeReady() {
        if (store == null) {
            return true;
        }
        try {
            Optional<String> replaced = store.check().reopenIfReplaced();
            if (replaced.isPresent()) {
                LOG.warn("{}", replaced.get());
                store.rewrite().rewriteOpenRecords();
            }
            return true;
        } catch (StorageUnavailableException e) {
            lost.complete(e.getMessage());
            return false;
        }
    }

    /**
     * Why the store was lost, if it was: it was replaced while in use (its file deleted) and could not be opened again.
     * Set once, by the first flush that found it so; monitoring goes on, its rows waiting.
     */
    public Optional<String> storeLost() {
        return Optional.ofNullable(lost.getNow(null));
    }

    /** Completes, on the writer thread, with {@link #storeLost()}'s reason when the store is lost. */
    public CompletionStage<String> whenStoreLost() {
        return lost.minimalCompletionStage();
    }

    private void prune(PruneHistoryUseCase p) {
        try {
            RetentionReport r = p.prune(retention);
            LOG.info("pruned: {} hours rolled up, {} raw rows, {} roll-ups, {} settled orchestrator outbox entries, {}"
                    + " orchestrator integration rows, {} tool usage rows and {} usage anomalies deleted",
                    r.hoursRolledUp(), r.rawRowsDeleted(), r.rollupRowsDeleted(), r.outboxEntriesDeleted(),
                    r.integrationRowsDeleted(), r.toolUsageRowsDeleted(), r.anomaliesDeleted());
        } catch (RuntimeException ex) {
            LOG.warn("pruning failed, will try again in an hour: {}", ex.getMessage());
        }
    }

    /** Probes handed to a worker and not ended: running, waiting for their due time, or in a full lane's line. */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Stops scheduling, lets running probes finish within {@code grace}, then stops the monitor taking results (a probe
     * still running then is not recorded) and writes everything it holds. Returns that last flush's report.
     */
    public FlushReport stop(Duration grace) {
        stopping = true;
        timer.shutdownNow();
        watchdogThread.shutdownNow();
        pruneThread.shutdownNow();
        workers.shutdown();
        writer.shutdown();
        try {
            workers.awaitTermination(grace.toMillis());
            workers.runLeft(); // probes still in a line: each sees the stop and ends at once
            writer.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            storeReady(); // the file may have been deleted since the last flush: the last rows go to the new one
        } catch (RuntimeException ex) {
            LOG.error("checking the store before the last flush failed unexpectedly: {}", Faults.describe(ex));
        }
        FlushReport last = stopper.stop();
        workers.shutdownNow();
        writer.shutdownNow();
        return last;
    }

    @Override
    public void close() {
        if (!stopping) {
            stop(Duration.ofSeconds(5));
        }
    }

}
