package dev.mcphealth.application.monitoring;

import dev.mcphealth.application.port.in.FlushMonitoringUseCase;
import dev.mcphealth.application.port.in.FlushReport;
import dev.mcphealth.application.port.in.RewriteOpenRecordsUseCase;
import dev.mcphealth.application.port.in.StopMonitoringUseCase;
import dev.mcphealth.application.port.out.AlertStorePort;
import dev.mcphealth.application.port.out.BreakerLogPort;
import dev.mcphealth.application.port.out.FailureStorePort;
import dev.mcphealth.application.port.out.MetricStorePort;
import dev.mcphealth.application.port.out.StatusStorePort;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.model.HealthMetric;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MetricType;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ProbeDetails;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.StatusSnapshot;
import dev.mcphealth.domain.model.WindowStats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes what the monitor holds: buffered rows (failures, alerts, metrics) in that order, breaker changes, the status
 * board (a server's row when its status changed, and every {@link #STATUS_EVERY}: a fifth of the servers each
 * flush), and the monitor's own rows once a minute. A store that cannot take them keeps them waiting (bounded), so
 * the probe path never waits on the database. Also the stop (waits for
 * probes being taken in, then the last flush) and the rewrite of open records for a store made anew.
 */
public final class FlushMonitoringService implements FlushMonitoringUseCase, StopMonitoringUseCase,
        RewriteOpenRecordsUseCase {
    /**
     * How often the status of every server is published to the store for {@code mcp-health status}, at the latest: a
     * change of status is published at the next flush.
     */
    static final Duration STATUS_EVERY = Duration.ofSeconds(5);

    private final MonitorState state;
    private final MetricStorePort metricStore;
    private final FailureStorePort failureStore;
    private final AlertStorePort alertStore;
    private final StatusStorePort statusStore;
    private final BreakerLogPort breakerLog;
    private final OwnBoard board;
    /** Where the other members' statuses are read from (none where this monitor shares its database with none). */
    private final java.util.Optional<dev.mcphealth.application.port.out.HealthHistoryPort> stored;
    private final SelfView selfView;
    private final Object flushLock = new Object();
    private Optional<Instant> statusSavedAt = Optional.empty();
    /** The share of the servers whose rows a flush writes in turn: a flush a second, every row every 5 s. */
    private static final int SLICES = (int) STATUS_EVERY.toSeconds();
    /** Status rows per transaction: as many as the metric rows' ({@link WriteBuffer#METRIC_BATCH}). */
    static final int STATUS_BATCH = WriteBuffer.METRIC_BATCH;
    private long slices;

    FlushMonitoringService(MonitorState state, MetricStorePort metricStore, FailureStorePort failureStore,
                           AlertStorePort alertStore, StatusStorePort statusStore, BreakerLogPort breakerLog,
                           OwnBoard board, SelfView selfView,
                           java.util.Optional<dev.mcphealth.application.port.out.HealthHistoryPort> stored) {
        this.stored = java.util.Objects.requireNonNull(stored, "stored");
        this.state = state;
        this.metricStore = metricStore;
        this.failureStore = failureStore;
        this.alertStore = alertStore;
        this.statusStore = statusStore;
        this.breakerLog = breakerLog;
        this.board = board;
        this.selfView = selfView;
    }

    /** The other members' servers as they stored them, for the board; kept as they were when unreadable. */
    private void readOthers() {
        stored.ifPresent(port -> {
            try {
                Map<dev.mcphealth.domain.model.ServerId, dev.mcphealth.domain.model.StatusSnapshot> read =
                        new java.util.HashMap<>();
                port.statuses().forEach(s -> read.put(s.server(), s));
                state.others = Map.copyOf(read);
            } catch (StorageUnavailableException e) {
                // the next write says what is wrong with the store
            }
        });
    }

    @Override
    public FlushReport flush() {
        return flush(true);
    }

    @Override
    public FlushReport flushDue() {
        return flush(false);
    }

    private FlushReport flush(boolean all) {
        synchronized (flushLock) {
            Instant start = state.clock.instant();
            WriteBuffer.Outcome outcome = state.buffer.flush(failureStore, alertStore, metricStore, state.clock, all);
            List<Duration> writes = new ArrayList<>(outcome.writes());
            Optional<String> problem = outcome.problem();
            if (problem.isEmpty()) {
                problem = flushBreakerChanges(writes);
            }
            // every server's row at least every STATUS_EVERY: all of them at once only when something changed for all
            // (the first flush, a store made anew, the stop); else each flush the servers whose status changed and a
            // share of the others in turn, so that 2,000 servers are 400 rows a flush, not 2,000 every fifth one
            if (problem.isEmpty()) {
                // taken, not read then cleared: a change made meanwhile is the next flush's, never lost
                boolean everyone = state.takeStatusChanged() || statusSavedAt.isEmpty();
                long slice = slices % SLICES;
                Set<ServerId> changed = new HashSet<>();
                state.changedStatuses.removeIf(changed::add);
                boolean saved = false;
                try {
                    // another monitor's servers: their rows are that monitor's to write (its share of the work)
                    // and a server just taken over is not written as unknown over what its last monitor recorded
                    boolean shared = state.share != dev.mcphealth.application.port.out.WorkSharePort.ALL;
                    List<StatusSnapshot> rows = board.own(id -> everyone || changed.contains(id)
                                    || Math.floorMod(id.hashCode(), SLICES) == slice).stream()
                            .filter(x -> x.server().equals(SelfMonitor.SERVER.id())
                            || (state.share.owns(x.server()) && (!shared || x.status().isPresent()))).toList();
                    int from = 0;
                    do { // in transactions as short as the metric rows' (the first flush has every server's row)
                        List<StatusSnapshot> part = rows.subList(from, Math.min(rows.size(), from + STATUS_BATCH));
                        WriteBuffer.timed(state.clock, writes, () -> statusStore.save(part));
                        from += STATUS_BATCH;
                    } while (from < rows.size());
                    saved = true;
                    slices++; // the next share's turn only once this one is written
                    if (everyone || statusSavedAt.filter(t -> start.isBefore(t.plus(STATUS_EVERY))).isEmpty()) {
                        statusSavedAt = Optional.of(start);
                        readOthers(); // the other members' rows: as often as before, not at every flush
                    }
                } catch (StorageUnavailableException e) {
                    problem = Optional.of(e.getMessage());
                } finally {
                    if (!saved) { // all of them at the next flush: these changes among them
                        state.statusChanged = true;
                        state.changedStatuses.addAll(changed);
                    }
                }
            }
            Instant end = state.clock.instant();
            state.self.flushed(end, Duration.between(start, end), writes, problem, outcome.written());
            if (problem.isEmpty()) {
                selfRows(end);
            }
            return new FlushReport(outcome.written(), state.buffer.pending(), state.buffer.dropped(), problem);
        }
    }

    /** Buffers each open failure episode and open alert again, and the status board, for a store made anew. */
    @Override
    public void rewriteOpenRecords() {
        for (ServerMonitor m : state.all()) {
            synchronized (m) {
                m.failure.openRow().ifPresent(state.buffer::add);
                m.alert.open().ifPresent(state.buffer::add);
            }
        }
        state.statusChanged = true;
    }

    @Override
    public FlushReport stop() {
        state.stopped = true;
        // wait for probes being taken in right now, so that their rows are in the last flush
        for (ServerMonitor m : state.all()) {
            synchronized (m) {
                // nothing to do: taking the lock waits for a probe being taken in right now
            }
        }
        state.statusChanged = true;
        return flush();
    }

    private Optional<String> flushBreakerChanges(List<Duration> writes) {
        List<MonitorEvent.BreakerChanged> taken;
        synchronized (state.breakerChanges) {
            taken = new ArrayList<>(state.breakerChanges);
            state.breakerChanges.clear();
        }
        if (taken.isEmpty()) {
            return Optional.empty();
        }
        try {
            WriteBuffer.timed(state.clock, writes, () -> breakerLog.record(taken));
            return Optional.empty();
        } catch (StorageUnavailableException e) {
            synchronized (state.breakerChanges) {
                for (int i = taken.size() - 1; i >= 0; i--) {
                    state.breakerChanges.addFirst(taken.get(i));
                }
            }
            return Optional.of(e.getMessage());
        }
    }

    private void selfRows(Instant now) {
        if (!state.self.aggregateDue(now, MonitorState.AGGREGATE_EVERY)) {
            return;
        }
        StatusSnapshot s = selfView.selfSnapshot(now);
        HealthStatus status = s.status().orElse(HealthStatus.HEALTHY);
        WindowStats minute = s.window(RollingWindows.ONE_MINUTE).orElseThrow();
        Map<String, String> details = s.details();
        MonitoredServer me = SelfMonitor.SERVER;
        state.buffer.add(HealthMetric.of(me, MetricType.RESPONSE_TIME,
                minute.p99().map(ProbeDetails::millis).orElse(0.0), status, details, now));
        state.buffer.add(HealthMetric.of(me, MetricType.THROUGHPUT, minute.throughput(), status, details, now));
        minute.errorRate().ifPresent(r -> state.buffer.add(HealthMetric.of(me, MetricType.ERROR_RATE, r, status,
                details, now)));
    }
}
