package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.application.port.out.UsageProfileStorePort;
import dev.mcphealth.domain.learning.UsageProfile;
import dev.mcphealth.domain.model.ServerType;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * usage_profiles and usage_profile_cells on SQLite (V12): each saved profile replaced whole, all of a save in one
 * transaction.
 */
public final class SqliteUsageProfileStore implements UsageProfileStorePort {
    private static final String PROFILES = "SELECT server_type, tool_name, learned_up_to FROM usage_profiles"
            + " ORDER BY server_type, tool_name";
    private static final String CELLS = "SELECT server_type, tool_name, slot, figure, weight, level, spread"
            + " FROM usage_profile_cells";
    private static final String UPSERT = "INSERT INTO usage_profiles (server_type, tool_name, learned_up_to)"
            + " VALUES (?, ?, ?) ON CONFLICT (server_type, tool_name) DO UPDATE SET learned_up_to = excluded.learned_up_to";
    private static final String CLEAR = "DELETE FROM usage_profile_cells WHERE server_type = ? AND tool_name = ?";
    private static final String CELL = "INSERT INTO usage_profile_cells (server_type, tool_name, slot, figure, weight,"
            + " level, spread) VALUES (?, ?, ?, ?, ?, ?, ?)";

    private final Transactions tx;

    public SqliteUsageProfileStore(SqliteDatabase db) {
        this.tx = new Transactions(db);
    }

    @Override
    public List<StoredProfile> loadProfiles() {
        return tx.transaction("read usage profiles from", c -> {
            Map<String, List<UsageProfile.Cell>> cells = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(CELLS); ResultSet rs = ps.executeQuery()) {
                for (Object[] row : UnreadableRow.readAll(rs, "usage_profile_cells", r -> r.getString(1) + "/"
                        + r.getString(2) + " slot " + r.getInt(3), r -> new Object[] {r.getString(1) + "\n"
                        + r.getString(2), new UsageProfile.Cell(r.getInt(3), UsageProfile.Figure.fromCode(
                        r.getString(4)), r.getDouble(5), r.getDouble(6), r.getDouble(7))})) {
                    cells.computeIfAbsent((String) row[0], k -> new ArrayList<>()).add((UsageProfile.Cell) row[1]);
                }
            }
            // in the order UsageProfile.cells() gives them: by figure, then slot
            cells.values().forEach(l -> l.sort(java.util.Comparator.comparing((UsageProfile.Cell x) -> x.figure())
                    .thenComparingInt(UsageProfile.Cell::slot)));
            try (PreparedStatement ps = c.prepareStatement(PROFILES); ResultSet rs = ps.executeQuery()) {
                return UnreadableRow.readAll(rs, "usage_profiles", r -> r.getString(1) + "/" + r.getString(2),
                        r -> new StoredProfile(ServerType.of(r.getString(1)), r.getString(2),
                                SqlTime.parse(r.getString(3)), cells.getOrDefault(r.getString(1) + "\n"
                                + r.getString(2), List.of())));
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
                    up.setString(3, SqlTime.format(p.learnedUpTo()));
                    up.executeUpdate();
                    clear.setString(1, p.serverType().value());
                    clear.setString(2, p.tool());
                    clear.executeUpdate();
                    for (UsageProfile.Cell x : p.cells()) {
                        cell.setString(1, p.serverType().value());
                        cell.setString(2, p.tool());
                        cell.setInt(3, x.slot());
                        cell.setString(4, x.figure().code());
                        cell.setDouble(5, x.weight());
                        cell.setDouble(6, x.level());
                        cell.setDouble(7, x.spread());
                        cell.addBatch();
                    }
                    cell.executeBatch();
                }
            }
            return null;
        });
    }
}
