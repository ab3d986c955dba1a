package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.application.port.out.HealthHistoryPort;
import dev.mcphealth.domain.model.Alert;
import dev.mcphealth.domain.model.AlertSeverity;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.history.HistoryBucket;
import dev.mcphealth.domain.history.HistoryReport;
import dev.mcphealth.domain.model.MetricType;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.StatusSnapshot;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What was recorded, read back from SQLite.
 *
 * <p>{@link #statuses()} reads server_status (one JSON snapshot per server, {@link StatusJson}).
 *
 * <p>{@link #history} reads one server over {@code [since, until)} (since included, until not), in one read
 * transaction, so it sees one state of the file. Buckets are made of the probe rows: {@code availability} rows (value
 * 1 or 0) give probes and answered probes (the sum of the values), {@code response_time} rows (milliseconds) the
 * nearest-rank p50/p95/p99, and every row its status, the worst of which is the bucket's. Buckets start on whole UTC
 * minutes or hours and only buckets with rows are returned, oldest first:
 * <ul>
 *   <li>Hours that ended by the server's oldest raw probe row come from the hourly roll-ups (their raw rows are gone):
 *   one bucket per roll-up hour that overlaps the period, summarising the whole hour, so the first may reach back
 *   before {@code since}. (If retention cut an hour in two, its remaining raw rows are shown, not its roll-up, which
 *   would count them twice.)</li>
 *   <li>The rest of the period, after the last roll-up bucket, comes from the raw rows, counting only rows inside the
 *   period. If that part spans at most {@value #MINUTE_BUCKETS_HOURS} hours of raw rows it is in minute buckets (at
 *   most 360); longer, it is in hour buckets computed from the raw rows in the same way, so that a week is 168
 *   buckets, not ten thousand.</li>
 * </ul>
 * Alerts raised or resolved in the period, or raised before it and still open, come with it (ordered by when raised);
 * so do failures that occurred in it or occurred before it and are still unresolved (oldest first): an outage that began
 * before the period is part of its history. Times are kept to the millisecond, resolution times to the second.
 *
 * <p>A stored row this program cannot read as a domain value (written by hand or by another tool: an unknown code, a
 * malformed timestamp) makes the read fail with a message naming the row; NULLs that the design's schema allows are
 * read leniently (no failure type: skipped; no task context or details: a placeholder).
 */
public final class JdbcHistory implements HealthHistoryPort {
    static final int MINUTE_BUCKETS_HOURS = 6;
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration HOUR = Duration.ofHours(1);
    /** The rows buckets are made of: one per probe, and one more for each answer. */
    private static final List<MetricType> PROBE_METRICS = List.of(MetricType.AVAILABILITY, MetricType.RESPONSE_TIME);

    private static final String STATUSES = "SELECT server_instance, snapshot FROM server_status";
    private static final String OLDEST_RAW = "SELECT MIN(measured_at) FROM integration_health_metrics"
            + " WHERE server_instance = ? AND metric_type = ?";
    private static final String ROLLUPS = "SELECT hour_start, samples, mean_value, p50, p95, p99, worst_status"
            + " FROM integration_health_rollups WHERE server_instance = ? AND metric_type = ?"
            + " AND hour_start >= ? AND hour_start < ?";
    private static final String RAW = "SELECT measured_at, metric_value, status" + JdbcRetention.RAW_SAMPLES;
    private static final String ALERTS = "SELECT id, severity, message, raised_at, resolved_at FROM health_alerts"
            + " WHERE server_instance = ? AND raised_at < ?"
            + " AND (raised_at >= ? OR resolved_at IS NULL OR (resolved_at >= ? AND resolved_at < ?))"
            + " ORDER BY raised_at, id";
    /** A failure of no type (the design's schema allows it) has nothing to say, and is left out. */
    private static final String FAILURES = "SELECT " + JdbcFailureHistory.COLUMNS
            + " FROM integration_failures WHERE server_instance = ? AND (occurred_at >= ? OR NOT resolved)"
            + " AND occurred_at < ? AND failure_type IS NOT NULL"
            + " ORDER BY occurred_at, id";

    /** The tables with a row per server, each with an index that starts with the server's name. */
    private static final List<String> SERVER_TABLES = List.of("integration_health_metrics",
            "integration_health_rollups", "server_status", "health_alerts", "integration_failures");
    private static final String RECORDED = String.join(" UNION ", SERVER_TABLES.stream()
            .map(t -> "SELECT server_instance FROM " + t).toList());
    private static final String HAS_ROWS = "SELECT CASE WHEN " + String.join(" OR ", SERVER_TABLES.stream()
            .map(t -> "EXISTS (SELECT 1 FROM " + t + " WHERE server_instance = ?)").toList()) + " THEN 1 ELSE 0 END";

    private final Transactions tx;

    public JdbcHistory(Database db) {
        this.tx = new Transactions(db);
    }

    @Override
    public List<StatusSnapshot> statuses() {
        String what = "read server status from";
        return tx.connected(what, c -> {
            List<StatusSnapshot> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(STATUSES); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    try {
                        out.add(StatusJson.read(rs.getString(2)));
                    } catch (IllegalArgumentException e) {
                        throw tx.unavailable(what, "the snapshot of server \"" + rs.getString(1) + "\" cannot be read ("
                                + e.getMessage() + ")", e);
                    }
                }
            }
            out.sort(Comparator.comparing(StatusSnapshot::server));
            return out;
        });
    }

    @Override
    public boolean recorded(ServerId server) {
        Objects.requireNonNull(server, "server");
        return tx.connected("read the servers recorded in", c -> {
            try (PreparedStatement ps = c.prepareStatement(HAS_ROWS)) {
                for (int i = 1; i <= SERVER_TABLES.size(); i++) {
                    ps.setString(i, server.value());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() && rs.getInt(1) == 1;
                }
            }
        });
    }

    @Override
    public List<ServerId> recorded() {
        return tx.connected("read the servers recorded in", c -> {
            List<ServerId> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(RECORDED); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    try {
                        out.add(ServerId.of(name));
                    } catch (IllegalArgumentException notAName) {
                        // a row written by hand with no name, say: it names no server to suggest
                    }
                }
            }
            out.sort(java.util.Comparator.naturalOrder()); // the same order on every database (not its collation)
            return out;
        });
    }

    @Override
    public HistoryReport history(ServerId server, Instant since, Instant until) {
        Objects.requireNonNull(server, "server");
        String what = "read history from";
        // a row it cannot read fails the read naming the row (Transactions)
        return tx.read(what, c -> {
            String id = server.value();
            Optional<Instant> rawStart = oldestRaw(c, id);
            List<HistoryBucket> buckets = new ArrayList<>();
            // roll-ups of the hours that ended by the oldest raw row: they start before that row's hour
            Instant rollupsUntil = rawStart.map(r -> r.truncatedTo(ChronoUnit.HOURS)).filter(r -> r.isBefore(until))
                    .orElse(until);
            buckets.addAll(rollupBuckets(c, id, since.truncatedTo(ChronoUnit.HOURS), rollupsUntil));
            Instant rawFrom = buckets.isEmpty() ? since
                    : latest(since, buckets.get(buckets.size() - 1).start().plus(HOUR));
            if (rawStart.isPresent() && rawFrom.isBefore(until)) {
                Duration covered = Duration.between(latest(rawFrom, rawStart.get()), until);
                Duration width = covered.compareTo(Duration.ofHours(MINUTE_BUCKETS_HOURS)) > 0 ? HOUR : MINUTE;
                buckets.addAll(rawBuckets(c, id, rawFrom, until, width));
            }
            return new HistoryReport(server, since, until, buckets, alerts(c, server, since, until),
                    failures(c, server, since, until));
        });
    }

    /** The oldest raw probe row of {@code server}: one MIN per metric type, each an index seek. */
    private Optional<Instant> oldestRaw(Connection c, String server) throws SQLException {
        Optional<Instant> oldest = Optional.empty();
        try (PreparedStatement ps = c.prepareStatement(OLDEST_RAW)) {
            for (MetricType type : PROBE_METRICS) {
                ps.setString(1, server);
                ps.setString(2, type.code());
                try (ResultSet rs = ps.executeQuery()) {
                    Instant t = rs.next() ? instant(rs, 1, "integration_health_metrics", "measured_at") : null;
                    if (t != null) {
                        oldest = Optional.of(oldest.filter(o -> o.isBefore(t)).orElse(t));
                    }
                }
            }
        }
        return oldest;
    }

    /** Hour buckets from the roll-ups of hours starting in {@code [from, until)}. */
    private List<HistoryBucket> rollupBuckets(Connection c, String server, Instant from, Instant until)
            throws SQLException {
        if (!from.isBefore(until)) {
            return List.of();
        }
        TreeMap<Instant, Map<MetricType, Rollup>> hours = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(ROLLUPS)) {
            for (MetricType type : PROBE_METRICS) {
                ps.setString(1, server);
                ps.setString(2, type.code());
                tx.dialect.time(ps, 3, from);
                tx.dialect.bound(ps, 4, until);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String where = "hour_start " + rs.getString(1);
                        hours.computeIfAbsent(instant(rs, 1, "integration_health_rollups", "hour_start"),
                                h -> new EnumMap<>(MetricType.class)).put(type, new Rollup(rs.getLong(2),
                                rs.getDouble(3), rs.getDouble(4), rs.getDouble(5), rs.getDouble(6),
                                status(rs.getString(7), "integration_health_rollups", where)));
                    }
                }
            }
        }
        return buckets(hours, HOUR);
    }

    /** Buckets of {@code width} from the raw probe rows measured in {@code [from, until)}. */
    private List<HistoryBucket> rawBuckets(Connection c, String server, Instant from, Instant until,
                                                  Duration width) throws SQLException {
        ChronoUnit unit = width.equals(HOUR) ? ChronoUnit.HOURS : ChronoUnit.MINUTES;
        TreeMap<Instant, Map<MetricType, Summary>> buckets = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(RAW)) {
            for (MetricType type : PROBE_METRICS) {
                ps.setString(1, server);
                ps.setString(2, type.code());
                tx.dialect.bound(ps, 3, from);
                tx.dialect.bound(ps, 4, until);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String where = "measured_at " + rs.getString(1);
                        Instant at = instant(rs, 1, "integration_health_metrics", "measured_at");
                        String status = rs.getString(3);
                        buckets.computeIfAbsent(at.truncatedTo(unit), b -> new EnumMap<>(MetricType.class))
                                .computeIfAbsent(type, t -> new Summary())
                                .add(rs.getDouble(2), status == null ? null
                                        : status(status, "integration_health_metrics", where));
                    }
                }
            }
        }
        Map<Instant, Map<MetricType, Aggregate>> read = new TreeMap<>();
        buckets.forEach((start, summaries) -> {
            Map<MetricType, Aggregate> each = new EnumMap<>(MetricType.class);
            summaries.forEach((type, summary) -> each.put(type, Aggregate.of(summary)));
            read.put(start, each);
        });
        return buckets(read, width);
    }

    /**
     * What a bucket is made of, for one metric, from an hour's roll-up or from raw rows: how many values and their
     * sum (for availability: the probes and those answered), the nearest-rank percentiles (for the response time)
     * and the worst status.
     */
    private interface Aggregate {
        long count();

        long total();

        double percentile(int p);

        HealthStatus worst();

        static Aggregate of(Summary s) {
            return new Aggregate() {
                public long count() {
                    return s.size();
                }

                public long total() {
                    return Math.round(s.sum());
                }

                public double percentile(int p) {
                    return s.percentile(p);
                }

                public HealthStatus worst() {
                    return s.worst();
                }
            };
        }
    }

    /** One bucket of {@code width} per start: probes from availability, latency from the response time. */
    private static List<HistoryBucket> buckets(Map<Instant, ? extends Map<MetricType, ? extends Aggregate>> byStart,
                                               Duration width) {
        List<HistoryBucket> out = new ArrayList<>();
        byStart.forEach((start, metrics) -> {
            Optional<Aggregate> probes = Optional.ofNullable(metrics.get(MetricType.AVAILABILITY));
            Optional<Aggregate> latency = Optional.ofNullable(metrics.get(MetricType.RESPONSE_TIME));
            HealthStatus worst = HealthStatus.worstOf(metrics.values().stream().map(Aggregate::worst)
                    .collect(Collectors.toList()));
            out.add(new HistoryBucket(start, width, probes.map(Aggregate::count).orElse(0L),
                    probes.map(Aggregate::total).orElse(0L), latency.map(l -> l.percentile(50)),
                    latency.map(l -> l.percentile(95)), latency.map(l -> l.percentile(99)), worst));
        });
        return out;
    }

    private List<Alert> alerts(Connection c, ServerId server, Instant since, Instant until)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(ALERTS)) {
            ps.setString(1, server.value());
            tx.dialect.bound(ps, 2, until);
            tx.dialect.bound(ps, 3, since);
            tx.dialect.bound(ps, 4, since);
            tx.dialect.bound(ps, 5, until);
            try (ResultSet rs = ps.executeQuery()) {
                return UnreadableRow.readAll(rs, "health_alerts", r -> "id " + r.getString(1), r -> {
                    return new Alert(r.getString(1), server, AlertSeverity.fromCode(r.getString(2)),
                            r.getString(3), SqlTime.read(r, 4), Optional.ofNullable(SqlTime.read(r, 5)));
                });
            }
        }
    }

    private List<Failure> failures(Connection c, ServerId server, Instant since, Instant until)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(FAILURES)) {
            ps.setString(1, server.value());
            tx.dialect.bound(ps, 2, since);
            tx.dialect.bound(ps, 3, until);
            try (ResultSet rs = ps.executeQuery()) {
                return UnreadableRow.readAll(rs, "integration_failures", r -> "id " + r.getLong(1),
                        JdbcFailureHistory::failure);
            }
        }
    }

    /** The numbers of one roll-up row that a bucket needs. */
    private record Rollup(long samples, double mean, double p50, double p95, double p99, HealthStatus worst)
            implements Aggregate {
        @Override
        public long count() {
            return samples;
        }

        @Override
        public long total() {
            return Math.round(mean * samples);
        }

        @Override
        public double percentile(int p) {
            return switch (p) {
                case 50 -> p50;
                case 95 -> p95;
                case 99 -> p99;
                default -> throw new IllegalArgumentException("a roll-up keeps p50, p95 and p99, not p" + p);
            };
        }
    }

    /** The time in {@code column} of the current row; null for NULL; a row that holds no time is unreadable. */
    private static Instant instant(ResultSet rs, int column, String table, String name) throws SQLException {
        try {
            return SqlTime.read(rs, column);
        } catch (IllegalArgumentException e) {
            throw new UnreadableRow(table, name + " " + rs.getString(column), e);
        }
    }

    private static HealthStatus status(String code, String table, String row) {
        try {
            return HealthStatus.fromCode(code);
        } catch (IllegalArgumentException e) {
            throw new UnreadableRow(table, row, e);
        }
    }

    private static String orElse(String text, String otherwise) {
        return text == null || text.isBlank() ? otherwise : text;
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
