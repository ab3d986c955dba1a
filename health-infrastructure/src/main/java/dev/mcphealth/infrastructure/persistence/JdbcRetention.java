package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.application.port.out.RetentionPort;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MetricType;
import dev.mcphealth.domain.history.RetentionReport;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Retention on SQLite or PostgreSQL: integration_health_metrics rolled up by the hour into integration_health_rollups, then pruned.
 *
 * <p>For every server instance and metric type, the hours that have raw rows are walked from the oldest (index seeks on
 * (server_instance, metric_type, measured_at), one per hour with rows). Each complete hour before {@code rollUpBefore}
 * without a roll-up is read alone (never more than one hour of one metric in memory) and summarised in Java: samples,
 * min, max, mean, nearest-rank p50/p95/p99, worst status ({@link Summary}); server_type is the hour's newest row's. The
 * roll-ups are written with ON CONFLICT DO NOTHING on (server_instance, metric_type, hour_start), so a second run, or two at
 * once, write each hour once. Then the raw rows measured before {@code rawBefore} are deleted, but only in hours that
 * have a roll-up; then roll-ups of hours that ended by {@code rollupsBefore}.
 *
 * <p>Every write is a short transaction of its own (at most {@value #ROLLUPS_PER_TRANSACTION} roll-ups, or
 * {@value #DELETE_CHUNK} deleted rows), so a monitor writing on another connection waits milliseconds, not the whole
 * run; the reads take no lock at all in WAL mode. A run that fails part way leaves what it committed, which is always
 * consistent (an hour's raw rows go only after its roll-up is committed), and the next run carries on.
 *
 * <p>Rows this program does not write are left alone: rows without a server instance or metric type are never rolled
 * up and so never deleted, and rows without a value count for nothing. Rows written for an hour after that hour was
 * rolled up are not in its roll-up: callers roll up only hours older than any write still buffered.
 *
 * <p>Last, the orchestrator's history with the raw rows' cut-off, {@code rawBefore}, in chunks like the rest:
 * <ul>
 * <li>orchestrator_outbox (V5): the entries settled before it, through idx_outbox_settled (V7). Pending and sending
 * entries are never deleted, whatever their age. Nor is a settled entry that an entry kept names in task_from (its
 * task id is still to be read, and the foreign key forbids it), nor, in turn, the entry that one names: the kept
 * set is found from the few unsettled and recent entries, never by a scan. An entry names only an earlier one, so
 * each chunk deletes the newest deletable ids first, and an entry never goes before one that names it.</li>
 * <li>orchestrator_health_integration: the rows validated before it, through idx_integration_time (V7). Rows without
 * a validation time (not written by this program) are left alone.</li>
 * <li>tool_usage (V11): the windows that began before it, through idx_tool_usage_time.</li>
 * </ul>
 * and with the roll-ups' cut-off, usage_anomalies (V13): the episodes raised before it and over (an open one is kept),
 * through usage_anomalies_by_time.
 */
public final class JdbcRetention implements RetentionPort {
    static final int ROLLUPS_PER_TRANSACTION = 500;
    static final int DELETE_CHUNK = 5_000;
    private static final Duration HOUR = Duration.ofHours(1);

    private static final String NEXT_INSTANCE = "SELECT server_instance FROM integration_health_metrics"
            + " WHERE server_instance > ? ORDER BY server_instance LIMIT 1";
    private static final String NEXT_RAW = "SELECT MIN(measured_at) FROM integration_health_metrics"
            + " WHERE server_instance = ? AND metric_type = ? AND measured_at >= ?";
    private static final String ROLLED_HOURS = "SELECT hour_start FROM integration_health_rollups"
            + " WHERE server_instance = ? AND metric_type = ? AND hour_start >= ?";
    /**
     * The raw samples of one server's metric over {@code [from, until)} (four parameters): what an hour's roll-up
     * summarises, and what the history shows of the hours not yet rolled up; one condition, so that both see the same
     * rows.
     */
    static final String RAW_SAMPLES = " FROM integration_health_metrics"
            + " WHERE server_instance = ? AND metric_type = ? AND measured_at >= ? AND measured_at < ?"
            + " AND metric_value IS NOT NULL";
    private static final String HOUR_ROWS = "SELECT server_type, metric_value, status" + RAW_SAMPLES
            + " ORDER BY measured_at";
    private static final String INSERT_ROLLUP = "INSERT INTO integration_health_rollups (server_type,"
            + " server_instance, metric_type, hour_start, samples, min_value, max_value, mean_value, p50, p95, p99,"
            + " worst_status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (server_instance, metric_type, hour_start) DO NOTHING";
    private static final String DELETE_RAW = "DELETE FROM integration_health_metrics WHERE id IN (SELECT id FROM"
            + " integration_health_metrics WHERE server_instance = ? AND metric_type = ? AND measured_at >= ?"
            + " AND measured_at < ? LIMIT " + DELETE_CHUNK + ")";
    private static final String DELETE_ROLLUPS = "DELETE FROM integration_health_rollups WHERE id IN (SELECT id FROM"
            + " integration_health_rollups WHERE hour_start < ? LIMIT " + DELETE_CHUNK + ")";
    /**
     * Outbox entries settled before the cut-off (both parameters), newest first, except those named in task_from by an
     * entry that stays (unsettled, settled since the cut-off, or itself so named). The unary + keeps the planner on
     * the indexes that hold only those few entries (not idx_outbox_task_from), and on idx_outbox_settled for the old
     * ones, sorted by id (not on a scan of the table in id order).
     */
    static final String DELETE_SETTLED_OUTBOX = "WITH RECURSIVE kept(id) AS ("
            + "SELECT task_from FROM orchestrator_outbox WHERE state IN ('pending', 'sending')"
            + " AND +task_from IS NOT NULL"
            + " UNION ALL SELECT task_from FROM orchestrator_outbox WHERE settled_at >= ? AND +task_from IS NOT NULL"
            + " UNION SELECT o.task_from FROM orchestrator_outbox o JOIN kept k ON o.id = k.id"
            + " WHERE o.task_from IS NOT NULL)"
            + " DELETE FROM orchestrator_outbox WHERE id IN (SELECT id FROM orchestrator_outbox WHERE settled_at < ?"
            + " AND state NOT IN ('pending', 'sending') AND id NOT IN (SELECT id FROM kept)"
            + " ORDER BY +id DESC LIMIT " + DELETE_CHUNK + ")";
    static final String DELETE_INTEGRATION = "DELETE FROM orchestrator_health_integration WHERE id IN (SELECT id FROM"
            + " orchestrator_health_integration WHERE last_validation < ? LIMIT " + DELETE_CHUNK + ")";
    static final String DELETE_TOOL_USAGE = "DELETE FROM tool_usage WHERE id IN (SELECT id FROM tool_usage"
            + " WHERE window_start < ? LIMIT " + DELETE_CHUNK + ")";
    /** Usage anomalies (V13) over before the roll-ups' cut-off: one row per episode, kept as long as the roll-ups. */
    static final String DELETE_ANOMALIES = "DELETE FROM usage_anomalies WHERE (server_type, tool_name, figure,"
            + " raised_at) IN (SELECT server_type, tool_name, figure, raised_at FROM usage_anomalies"
            + " WHERE raised_at < ? AND resolved_at IS NOT NULL LIMIT " + DELETE_CHUNK + ")";

    private final Transactions tx;

    public JdbcRetention(Database db) {
        this.tx = new Transactions(db);
    }

    /** One hour of one server's metric, summarised: a row of integration_health_rollups. */
    private record Rollup(String serverType, String instance, MetricType type, Instant hour, Summary values) {
    }

    @Override
    public RetentionReport prune(Instant rollUpBefore, Instant rawBefore, Instant rollupsBefore) {
        Objects.requireNonNull(rollUpBefore, "rollUpBefore");
        Objects.requireNonNull(rawBefore, "rawBefore");
        Objects.requireNonNull(rollupsBefore, "rollupsBefore");
        String what = "prune history in";
        return tx.connected(what, c -> {
            try (Run run = new Run(c)) {
                return run.prune(rollUpBefore, rawBefore, rollupsBefore);
            } catch (IllegalArgumentException e) {
                // a stored timestamp or status this program cannot read
                throw tx.unavailable(what, e.getMessage(), e);
            }
        });
    }

    /** One pruning on one connection, its statements prepared once. */
    private final class Run implements AutoCloseable {
        private final Connection c;
        private final PreparedStatement nextInstance;
        private final PreparedStatement nextRaw;
        private final PreparedStatement rolledHours;
        private final PreparedStatement hourRows;
        private final PreparedStatement insertRollup;
        private final PreparedStatement deleteRaw;
        private final PreparedStatement deleteRollups;
        private final PreparedStatement deleteSettledOutbox;
        private final PreparedStatement deleteIntegration;
        private final PreparedStatement deleteToolUsage;
        private final PreparedStatement deleteAnomalies;
        private final List<Rollup> pending = new ArrayList<>();

        Run(Connection c) throws SQLException {
            this.c = c;
            this.nextInstance = c.prepareStatement(NEXT_INSTANCE);
            this.nextRaw = c.prepareStatement(NEXT_RAW);
            this.rolledHours = c.prepareStatement(ROLLED_HOURS);
            this.hourRows = c.prepareStatement(HOUR_ROWS);
            this.insertRollup = c.prepareStatement(INSERT_ROLLUP);
            this.deleteRaw = c.prepareStatement(DELETE_RAW);
            this.deleteRollups = c.prepareStatement(DELETE_ROLLUPS);
            this.deleteSettledOutbox = c.prepareStatement(DELETE_SETTLED_OUTBOX);
            this.deleteIntegration = c.prepareStatement(DELETE_INTEGRATION);
            this.deleteToolUsage = c.prepareStatement(DELETE_TOOL_USAGE);
            this.deleteAnomalies = c.prepareStatement(DELETE_ANOMALIES);
        }

        RetentionReport prune(Instant rollUpBefore, Instant rawBefore, Instant rollupsBefore) throws SQLException {
            long rolledUp = 0;
            long rawDeleted = 0;
            // an hour is complete before t when it starts before t's hour: 09:00-10:00 ends by 10:00 and by 10:30
            Instant rollUpEnd = hourOf(rollUpBefore);
            for (String instance = nextInstance(""); instance != null; instance = nextInstance(instance)) {
                for (MetricType type : MetricType.values()) {
                    Optional<Instant> oldest = nextRaw(instance, type, Instant.EPOCH);
                    if (oldest.isEmpty()) {
                        continue;
                    }
                    TreeSet<Instant> rolled = rolledHours(instance, type, hourOf(oldest.get()));
                    rolledUp += rollUp(instance, type, hourOf(oldest.get()), rollUpEnd, rolled);
                    for (Instant hour : rolled.headSet(rawBefore)) {
                        Instant end = hour.plus(HOUR);
                        rawDeleted += deleteInChunks(deleteRaw, instance, type.code(), hour,
                                end.isBefore(rawBefore) ? end : rawBefore);
                    }
                }
            }
            long rollupsDeleted = deleteInChunks(deleteRollups, hourOf(rollupsBefore));
            Instant cutOff = rawBefore;
            long outboxDeleted = deleteInChunks(deleteSettledOutbox, cutOff, cutOff);
            long integrationDeleted = deleteInChunks(deleteIntegration, cutOff);
            long toolUsageDeleted = deleteInChunks(deleteToolUsage, cutOff);
            long anomaliesDeleted = deleteInChunks(deleteAnomalies, rollupsBefore);
            return new RetentionReport(rolledUp, rawDeleted, rollupsDeleted, outboxDeleted, integrationDeleted,
                    toolUsageDeleted, anomaliesDeleted);
        }

        /**
         * Rolls up the hours of one server's metric from {@code from} that have raw rows, end by {@code end} and are
         * not in {@code rolled}; adds them to {@code rolled}. Returns the roll-up rows written.
         */
        private long rollUp(String instance, MetricType type, Instant from, Instant end, TreeSet<Instant> rolled)
                throws SQLException {
            long written = 0;
            for (Instant hour = from; hour.isBefore(end); ) {
                if (!rolled.contains(hour)) {
                    Optional<Rollup> r = summarise(instance, type, hour);
                    if (r.isPresent()) {
                        pending.add(r.get());
                    }
                    if (pending.size() == ROLLUPS_PER_TRANSACTION) {
                        written += flush(rolled);
                    }
                }
                Optional<Instant> next = nextRaw(instance, type, hour.plus(HOUR));
                if (next.isEmpty()) {
                    break;
                }
                hour = hourOf(next.get());
            }
            return written + flush(rolled);
        }

        /** The raw rows of one hour of one server's metric, read alone; empty if none has a value. */
        private Optional<Rollup> summarise(String instance, MetricType type, Instant hour) throws SQLException {
            Summary values = new Summary();
            String serverType = null;
            hourRows.setString(1, instance);
            hourRows.setString(2, type.code());
            tx.dialect.bound(hourRows, 3, hour);
            tx.dialect.bound(hourRows, 4, hour.plus(HOUR));
            try (ResultSet rs = hourRows.executeQuery()) {
                while (rs.next()) {
                    serverType = rs.getString(1);
                    String status = rs.getString(3);
                    values.add(rs.getDouble(2), status == null ? null : HealthStatus.fromCode(status));
                }
            }
            return values.size() == 0 ? Optional.empty()
                    : Optional.of(new Rollup(serverType, instance, type, hour, values));
        }

        /** Writes the pending roll-ups in one transaction and records their hours in {@code rolled}. */
        private long flush(TreeSet<Instant> rolled) throws SQLException {
            if (pending.isEmpty()) {
                return 0;
            }
            long written = Transactions.inTransaction(c, t -> {
                long n = 0;
                for (Rollup r : pending) {
                    Summary v = r.values();
                    insertRollup.setString(1, r.serverType());
                    insertRollup.setString(2, r.instance());
                    insertRollup.setString(3, r.type().code());
                    tx.dialect.time(insertRollup, 4, r.hour());
                    insertRollup.setInt(5, v.size());
                    insertRollup.setDouble(6, v.min());
                    insertRollup.setDouble(7, v.max());
                    insertRollup.setDouble(8, v.mean());
                    insertRollup.setDouble(9, v.percentile(50));
                    insertRollup.setDouble(10, v.percentile(95));
                    insertRollup.setDouble(11, v.percentile(99));
                    insertRollup.setString(12, v.worst().code());
                    n += insertRollup.executeUpdate(); // 0 if another run rolled the hour up meanwhile
                }
                return n;
            });
            pending.forEach(r -> rolled.add(r.hour()));
            pending.clear();
            return written;
        }

        /**
         * Runs a DELETE ... LIMIT statement until it deletes less than a chunk, each run its own transaction; an
         * {@link Instant} argument is bound as the bound of a range, any other as text.
         */
        private long deleteInChunks(PreparedStatement delete, Object... args) throws SQLException {
            for (int i = 0; i < args.length; i++) {
                if (args[i] instanceof Instant at) {
                    tx.dialect.bound(delete, i + 1, at);
                } else {
                    delete.setString(i + 1, (String) args[i]);
                }
            }
            long deleted = 0;
            int n;
            do {
                n = delete.executeUpdate();
                deleted += n;
            } while (n == DELETE_CHUNK);
            return deleted;
        }

        private String nextInstance(String after) throws SQLException {
            nextInstance.setString(1, after);
            try (ResultSet rs = nextInstance.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }

        /** When the first raw row at or after {@code from} was measured. */
        private Optional<Instant> nextRaw(String instance, MetricType type, Instant from) throws SQLException {
            nextRaw.setString(1, instance);
            nextRaw.setString(2, type.code());
            tx.dialect.bound(nextRaw, 3, from);
            try (ResultSet rs = nextRaw.executeQuery()) {
                return Optional.ofNullable(rs.next() ? SqlTime.read(rs, 1) : null);
            }
        }

        private TreeSet<Instant> rolledHours(String instance, MetricType type, Instant from) throws SQLException {
            TreeSet<Instant> hours = new TreeSet<>();
            rolledHours.setString(1, instance);
            rolledHours.setString(2, type.code());
            tx.dialect.time(rolledHours, 3, from);
            try (ResultSet rs = rolledHours.executeQuery()) {
                while (rs.next()) {
                    hours.add(SqlTime.read(rs, 1));
                }
            }
            return hours;
        }

        @Override
        public void close() throws SQLException {
            for (PreparedStatement ps : List.of(nextInstance, nextRaw, rolledHours, hourRows, insertRollup, deleteRaw,
                    deleteRollups, deleteSettledOutbox, deleteIntegration, deleteToolUsage, deleteAnomalies)) {
                ps.close();
            }
        }
    }

    private static Instant hourOf(Instant t) {
        return t.truncatedTo(ChronoUnit.HOURS);
    }
}
