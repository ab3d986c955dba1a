package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.application.port.out.UsageProfileStorePort;
import dev.mcphealth.domain.learning.AnomalyEpisode;
import dev.mcphealth.domain.learning.DemandTrend;
import dev.mcphealth.domain.prediction.DiscountedLine;
import dev.mcphealth.domain.learning.UsageProfile;
import dev.mcphealth.domain.model.AnomalyRaised;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.UsageBand;
import dev.mcphealth.domain.model.UsageFigure;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * usage_profiles and usage_profile_cells on SQLite (V12): each saved profile replaced whole, all of a save in one
 * transaction; usage_anomalies (V13), one row per episode.
 */
public final class JdbcUsageProfileStore implements UsageProfileStorePort {
    private static final String TREND = "trend_day, trend_day_calls, trend_day_expected, trend_line_at, trend_s0,"
            + " trend_s1, trend_s2, trend_sy, trend_sxy, trend_syy, trend_q0, trend_q1, trend_q2, trend_spread, trend_days,"
            + " trend_outliers";
    private static final int TREND_COLUMNS = 16;
    private static final String PROFILES = "SELECT server_type, tool_name, learned_up_to, " + TREND
            + " FROM usage_profiles ORDER BY server_type, tool_name";
    private static final String CELLS = "SELECT server_type, tool_name, slot, figure, weight, level, spread,"
            + " dispersion FROM usage_profile_cells";
    private static final String UPSERT = "INSERT INTO usage_profiles (server_type, tool_name, learned_up_to, " + TREND
            + ") VALUES (?, ?, ?" + ", ?".repeat(TREND_COLUMNS) + ") ON CONFLICT (server_type, tool_name) DO UPDATE SET"
            + " learned_up_to = excluded.learned_up_to" + java.util.Arrays.stream(TREND.split(", "))
            .map(c -> ", " + c + " = excluded." + c).collect(java.util.stream.Collectors.joining());
    private static final String CLEAR = "DELETE FROM usage_profile_cells WHERE server_type = ? AND tool_name = ?";
    private static final String CELL = "INSERT INTO usage_profile_cells (server_type, tool_name, slot, figure, weight,"
            + " level, spread, dispersion) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    private static final String ANOMALY = "INSERT INTO usage_anomalies (server_type, tool_name, figure, raised_at,"
            + " direction, observed, window_minutes, expected, band_low, band_high, confidence, z, resolved_at, resolution)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (server_type, tool_name, figure, raised_at)"
            + " DO UPDATE SET resolved_at = excluded.resolved_at, resolution = excluded.resolution";
    private static final String CLOSE = "UPDATE usage_anomalies SET resolved_at = ?, resolution = 'not_watched'"
            + " WHERE resolved_at IS NULL";
    private static final String ANOMALIES = "SELECT server_type, tool_name, figure, raised_at, direction, observed,"
            + " window_minutes, expected, band_low, band_high, confidence, z, resolved_at, resolution"
            + " FROM usage_anomalies WHERE raised_at >= ? ORDER BY raised_at, server_type, tool_name, figure";

    private final Transactions tx;

    public JdbcUsageProfileStore(Database db) {
        this.tx = new Transactions(db);
    }

    @Override
    public List<StoredProfile> loadProfiles() {
        return tx.read("read usage profiles from", c -> {
            Map<String, List<UsageProfile.Cell>> cells = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(CELLS); ResultSet rs = ps.executeQuery()) {
                for (Object[] row : UnreadableRow.readAll(rs, "usage_profile_cells", r -> r.getString(1) + "/"
                        + r.getString(2) + " slot " + r.getInt(3), r -> new Object[] {r.getString(1) + "\n"
                        + r.getString(2), ProfileCells.read(r, 3)})) {
                    cells.computeIfAbsent((String) row[0], k -> new ArrayList<>()).add((UsageProfile.Cell) row[1]);
                }
            }
            // in the order UsageProfile.cells() gives them: by figure, then slot
            cells.values().forEach(l -> l.sort(ProfileCells.ORDER));
            try (PreparedStatement ps = c.prepareStatement(PROFILES); ResultSet rs = ps.executeQuery()) {
                return UnreadableRow.readAll(rs, "usage_profiles", r -> r.getString(1) + "/" + r.getString(2),
                        r -> new StoredProfile(ServerType.of(r.getString(1)), r.getString(2),
                                SqlTime.read(r, 3), cells.getOrDefault(r.getString(1) + "\n"
                                + r.getString(2), List.of()), trend(r)));
            }
        });
    }

    @Override
    public void saveAnomalies(List<AnomalyEpisode> anomalies) {
        if (anomalies.isEmpty()) {
            return;
        }
        tx.transaction("write usage anomalies to", c -> {
            try (PreparedStatement ps = c.prepareStatement(ANOMALY)) {
                for (AnomalyEpisode a : anomalies) {
                    AnomalyRaised r = a.raised();
                    ps.setString(1, r.serverType().value());
                    ps.setString(2, r.tool().orElse(""));
                    ps.setString(3, r.figure().code());
                    tx.dialect.time(ps, 4, r.at());
                    ps.setString(5, r.high() ? "above" : "below");
                    ps.setDouble(6, r.observed());
                    ps.setInt(7, r.minutes());
                    ps.setDouble(8, r.band().expected());
                    ps.setDouble(9, r.band().low());
                    ps.setDouble(10, r.band().high());
                    ps.setDouble(11, r.band().confidence());
                    ps.setDouble(12, r.z());
                    tx.dialect.time(ps, 13, a.over().orElse(null));
                    ps.setString(14, a.over().isEmpty() ? null : a.backInBand() ? "back_in_band" : "not_watched");
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    @Override
    public int closeOpenAnomalies(Instant at) {
        return tx.transaction("close usage anomalies in", c -> {
            try (PreparedStatement ps = c.prepareStatement(CLOSE)) {
                tx.dialect.time(ps, 1, at);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<AnomalyEpisode> anomalies(Instant since) {
        return tx.read("read usage anomalies from", c -> {
            try (PreparedStatement ps = c.prepareStatement(ANOMALIES)) {
                tx.dialect.bound(ps, 1, since);
                try (ResultSet rs = ps.executeQuery()) {
                    return UnreadableRow.readAll(rs, "usage_anomalies", r -> r.getString(1) + "/" + r.getString(2)
                            + " " + r.getString(3) + " at " + r.getString(4), r -> {
                        String tool = r.getString(2);
                        return new AnomalyEpisode(new AnomalyRaised(ServerType.of(r.getString(1)),
                                tool.isEmpty() ? Optional.empty() : Optional.of(tool),
                                UsageFigure.fromCode(r.getString(3)), "above".equals(r.getString(5)), r.getDouble(6),
                                r.getInt(7), new UsageBand(r.getDouble(8), r.getDouble(9),
                                r.getDouble(10), r.getDouble(11)), r.getDouble(12), SqlTime.read(r, 4)),
                                Optional.ofNullable(SqlTime.read(r, 13)), "back_in_band".equals(r.getString(14)));
                    });
                }
            }
        });
    }

    @Override
    public void saveProfiles(List<StoredProfile> profiles) {
        if (profiles.isEmpty()) {
            return;
        }
        tx.transaction("write usage profiles to", c -> {
            try (PreparedStatement up = c.prepareStatement(UPSERT); PreparedStatement clear = c.prepareStatement(CLEAR);
                 PreparedStatement cell = c.prepareStatement(CELL)) {
                for (StoredProfile p : profiles) {
                    up.setString(1, p.serverType().value());
                    up.setString(2, p.tool());
                    tx.dialect.time(up, 3, p.learnedUpTo());
                    bindTrend(up, 4, p.trend());
                    up.executeUpdate();
                    clear.setString(1, p.serverType().value());
                    clear.setString(2, p.tool());
                    clear.executeUpdate();
                    cell.setString(1, p.serverType().value());
                    cell.setString(2, p.tool());
                    ProfileCells.add(cell, 3, p.cells());
                    cell.executeBatch();
                }
            }
            return null;
        });
    }

    /** A row's trend, from its 4th column on; empty when it has none. */
    private static Optional<DemandTrend.State> trend(ResultSet r) throws java.sql.SQLException {
        long day = r.getLong(4);
        if (r.wasNull()) {
            return Optional.empty();
        }
        DiscountedLine line = new DiscountedLine(DemandTrend.WINDOW_SECONDS, SqlTime.read(r, 7),
                r.getDouble(8), r.getDouble(9), r.getDouble(10), r.getDouble(11), r.getDouble(12), r.getDouble(13),
                r.getDouble(14), r.getDouble(15), r.getDouble(16));
        return Optional.of(new DemandTrend.State(day, r.getDouble(5), r.getDouble(6), line, r.getDouble(17),
                r.getInt(18), r.getInt(19)));
    }

    private void bindTrend(PreparedStatement ps, int from, Optional<DemandTrend.State> trend)
            throws java.sql.SQLException {
        if (trend.isEmpty()) {
            for (int i = 0; i < TREND_COLUMNS; i++) {
                ps.setNull(from + i, java.sql.Types.NULL);
            }
            return;
        }
        DemandTrend.State t = trend.get();
        DiscountedLine l = t.line();
        ps.setLong(from, t.day());
        ps.setDouble(from + 1, t.dayCalls());
        ps.setDouble(from + 2, t.dayExpected());
        tx.dialect.time(ps, from + 3, l.referenceAt());
        double[] sums = {l.s0(), l.s1(), l.s2(), l.sy(), l.sxy(), l.syy(), l.q0(), l.q1(), l.q2()};
        for (int i = 0; i < sums.length; i++) {
            ps.setDouble(from + 4 + i, sums[i]);
        }
        ps.setDouble(from + 13, t.spread());
        ps.setInt(from + 14, t.days());
        ps.setInt(from + 15, t.outliers());
    }
}
