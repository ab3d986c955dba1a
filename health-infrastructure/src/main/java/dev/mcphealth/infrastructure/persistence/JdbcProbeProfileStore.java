package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.application.port.out.ProbeProfileStorePort;
import dev.mcphealth.domain.learning.UsageProfile;
import dev.mcphealth.domain.model.ServerId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** probe_profiles and probe_profile_cells on SQLite (V14): each saved profile replaced whole, a save in one transaction. */
public final class JdbcProbeProfileStore implements ProbeProfileStorePort {
    private static final String PROFILES = "SELECT server_name, learned_up_to FROM probe_profiles ORDER BY server_name";
    private static final String CELLS = "SELECT server_name, slot, figure, weight, level, spread, dispersion"
            + " FROM probe_profile_cells";
    private static final String UPSERT = "INSERT INTO probe_profiles (server_name, learned_up_to) VALUES (?, ?)"
            + " ON CONFLICT (server_name) DO UPDATE SET learned_up_to = excluded.learned_up_to";
    private static final String CLEAR = "DELETE FROM probe_profile_cells WHERE server_name = ?";
    private static final String CELL = "INSERT INTO probe_profile_cells (server_name, slot, figure, weight, level,"
            + " spread, dispersion) VALUES (?, ?, ?, ?, ?, ?, ?)";

    private final Transactions tx;

    public JdbcProbeProfileStore(Database db) {
        this.tx = new Transactions(db);
    }

    @Override
    public List<StoredProbeProfile> load() {
        return tx.read("read probe latency profiles from", c -> {
            Map<String, List<UsageProfile.Cell>> cells = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(CELLS); ResultSet rs = ps.executeQuery()) {
                for (Object[] row : UnreadableRow.readAll(rs, "probe_profile_cells", r -> r.getString(1) + " slot "
                        + r.getInt(2), r -> new Object[] {r.getString(1), ProfileCells.read(r, 2)})) {
                    cells.computeIfAbsent((String) row[0], k -> new ArrayList<>()).add((UsageProfile.Cell) row[1]);
                }
            }
            cells.values().forEach(l -> l.sort(ProfileCells.ORDER));
            try (PreparedStatement ps = c.prepareStatement(PROFILES); ResultSet rs = ps.executeQuery()) {
                return UnreadableRow.readAll(rs, "probe_profiles", r -> r.getString(1), r -> new StoredProbeProfile(
                        ServerId.of(r.getString(1)), SqlTime.read(r, 2),
                        cells.getOrDefault(r.getString(1), List.of())));
            }
        });
    }

    @Override
    public void save(List<StoredProbeProfile> profiles) {
        if (profiles.isEmpty()) {
            return;
        }
        tx.transaction("write probe latency profiles to", c -> {
            try (PreparedStatement up = c.prepareStatement(UPSERT); PreparedStatement clear = c.prepareStatement(CLEAR);
                 PreparedStatement cell = c.prepareStatement(CELL)) {
                for (StoredProbeProfile p : profiles) {
                    up.setString(1, p.server().value());
                    tx.dialect.time(up, 2, p.learnedUpTo());
                    up.executeUpdate();
                    clear.setString(1, p.server().value());
                    clear.executeUpdate();
                    cell.setString(1, p.server().value());
                    ProfileCells.add(cell, 2, p.cells());
                    cell.executeBatch();
                }
            }
            return null;
        });
    }
}
