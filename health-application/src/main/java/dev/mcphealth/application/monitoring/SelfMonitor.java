package dev.mcphealth.application.monitoring;

import dev.mcphealth.domain.model.ProbeDetails;

import dev.mcphealth.domain.model.FailoverConfig;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.StatusSnapshot;
import dev.mcphealth.domain.model.Thresholds;
import dev.mcphealth.domain.model.TransportKind;
import dev.mcphealth.domain.model.WindowStats;
import dev.mcphealth.domain.model.Uptime;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The monitor watching itself, reported as the server {@code mcp-health}: probe-loop lag (how late each probe started
 * against its schedule), missed probes (skipped because the previous probe of that server was still running),
 * database write latency and failures, and the write buffer's depth and drops. Its status: critical when rows were
 * dropped in the last minute or the loop lags a second; warning when the store is failing or the loop lags {@link #LAG_WARNING}; healthy
 * otherwise. The breakers are summed up (how many servers' breakers are closed, open, half open, and which are not
 * closed) with the states of the monitor's own breakers (the one around the orchestrator); an open breaker is the
 * server's trouble, not the monitor's, so it does not change the monitor's status. Missed probes are counted (they are its "errors") but do not change its status: a probe is missed when the
 * server's previous probe is still running, which says the server is slow, not the monitor.
 */
final class SelfMonitor {
    static final ServerId ID = dev.mcphealth.domain.model.StatusSnapshot.MONITOR;
    static final ServerType TYPE = ServerType.of("mcp-health");
    static final MonitoredServer SERVER = new MonitoredServer(ID, TYPE, TransportKind.STDIO,
            MonitoredServer.DEFAULT_TIMEOUT, MonitoredServer.DEFAULT_CONNECT_TIMEOUT, Thresholds.DEFAULTS,
            FailoverConfig.defaultsFor(TYPE));
    static final Duration LAG_WARNING = Duration.ofMillis(250);
    static final Duration LAG_CRITICAL = Duration.ofSeconds(1);

    /** Scheduled probes: latency = lag, error = missed. */
    private final RollingWindows loop = new RollingWindows();
    /** Flushes: latency = write time, error = the store refused. */
    private final RollingWindows writes = new RollingWindows();
    private long started;
    private long missed;
    private long rowsWritten;
    private long droppedBefore;
    private Optional<Instant> lastDropAt = Optional.empty();
    private Optional<String> storageProblem = Optional.empty();
    private Optional<Instant> storageProblemSince = Optional.empty();
    private Optional<Duration> lastWrite = Optional.empty();
    private Optional<HealthStatus> status = Optional.empty();
    private Optional<Instant> since = Optional.empty();
    private Instant lastAggregate;

    SelfMonitor(Instant start) {
        this.lastAggregate = start;
    }

    private long watchdogRestarts;
    private Optional<String> lastWatchdog = Optional.empty();

    synchronized void probeStarted(Instant at, Duration lag, int missedBefore) {
        started++;
        missed += missedBefore;
        loop.add(at, true, false, Optional.of(lag.isNegative() ? Duration.ZERO : lag));
        for (int i = 0; i < missedBefore; i++) {
            loop.add(at, true, true, Optional.empty());
        }
    }

    /** The watchdog restarted a stalled probe loop. */
    synchronized void watchdogRestarted(ServerId server, Instant at) {
        watchdogRestarts++;
        lastWatchdog = Optional.of(server.value() + " at " + at);
    }

    /**
     * A flush that took {@code took} in all, of {@code writeTimes} (each a transaction: how long the database's one
     * write lock was held), and ended in {@code problem} if the store refused.
     */
    synchronized void flushed(Instant at, Duration took, java.util.List<Duration> writeTimes, Optional<String> problem,
                              int written) {
        writeTimes.forEach(w -> writes.add(at, false, false, Optional.of(w)));
        if (problem.isPresent()) {
            writes.add(at, false, true, Optional.empty());
        }
        rowsWritten += written;
        lastWrite = Optional.of(took);
        if (problem.isPresent() && storageProblem.isEmpty()) {
            storageProblemSince = Optional.of(at);
        }
        if (problem.isEmpty()) {
            storageProblemSince = Optional.empty();
        }
        storageProblem = problem;
    }

    synchronized boolean aggregateDue(Instant now, Duration every) {
        if (now.isBefore(lastAggregate.plus(every))) {
            return false;
        }
        lastAggregate = now;
        return true;
    }

    synchronized StatusSnapshot snapshot(Instant now, int pending, long dropped, double slaTarget,
                                         Map<String, String> breakers) {
        WindowStats minute = loop.stats(now, RollingWindows.ONE_MINUTE);
        WindowStats writeMinute = writes.stats(now, RollingWindows.ONE_MINUTE);
        if (dropped > droppedBefore) {
            lastDropAt = Optional.of(now);
            droppedBefore = dropped;
        }
        boolean dropping = lastDropAt.filter(t -> now.isBefore(t.plus(RollingWindows.ONE_MINUTE))).isPresent();
        Duration lagP99 = minute.p99().orElse(Duration.ZERO);
        HealthStatus now_;
        if (dropping || lagP99.compareTo(LAG_CRITICAL) >= 0) {
            now_ = HealthStatus.CRITICAL;
        } else if (storageProblem.isPresent() || lagP99.compareTo(LAG_WARNING) >= 0) {
            now_ = HealthStatus.WARNING;
        } else {
            now_ = HealthStatus.HEALTHY;
        }
        if (!status.equals(Optional.of(now_))) {
            status = Optional.of(now_);
            since = Optional.of(now);
        }
        Map<String, String> d = new LinkedHashMap<>();
        d.put("probesStarted", Long.toString(started));
        d.put("missedProbes", Long.toString(missed));
        minute.p50().ifPresent(p -> d.put("lagP50Ms", ms(p)));
        minute.p99().ifPresent(p -> d.put("lagP99Ms", ms(p)));
        writeMinute.p99().ifPresent(p -> d.put("dbWriteP99Ms", ms(p)));
        lastWrite.ifPresent(w -> d.put("dbLastFlushMs", ms(w)));
        d.put("rowsWritten", Long.toString(rowsWritten));
        d.put("bufferDepth", Integer.toString(pending));
        d.put("droppedRows", Long.toString(dropped));
        d.put("watchdogRestarts", Long.toString(watchdogRestarts));
        lastWatchdog.ifPresent(w -> d.put("lastWatchdogRestart", w));
        d.putAll(breakers);
        storageProblem.ifPresent(p -> d.put("storageProblem", p));
        Optional<MonitorEvent.FailureSummary> failure = storageProblem.map(p ->
                new MonitorEvent.FailureSummary(FailureType.SERVER_ERROR, p));
        List<WindowStats> windows = List.of(minute, loop.board(now, RollingWindows.FIFTEEN_MINUTES),
                loop.board(now, RollingWindows.ONE_HOUR));
        return new StatusSnapshot(ID, TYPE, status, since, windows, started + missed, started, Uptime.NONE, slaTarget,
                failure, storageProblemSince, now, d);
    }

    private static String ms(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.3f", ProbeDetails.millis(d));
    }
}
