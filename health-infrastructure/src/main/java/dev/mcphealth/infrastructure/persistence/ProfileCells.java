package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.domain.learning.UsageProfile;
import dev.mcphealth.domain.model.UsageFigure;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;

/**
 * A learned profile's estimates as rows (usage_profile_cells, V12; probe_profile_cells, V14): slot, figure, weight,
 * level, spread and the error figure's dispersion (V16; NULL for the other figures), in that order from a given
 * column, after the columns that name the profile.
 */
final class ProfileCells {
    /** The order {@code UsageProfile.cells()} gives them in: by figure, then slot. */
    static final Comparator<UsageProfile.Cell> ORDER = Comparator.comparing((UsageProfile.Cell x) -> x.figure())
            .thenComparingInt(UsageProfile.Cell::slot);

    private ProfileCells() {
    }

    /** Adds a batch row per cell, the profile's key columns already set before column {@code first}. */
    static void add(PreparedStatement ps, int first, List<UsageProfile.Cell> cells) throws SQLException {
        for (UsageProfile.Cell x : cells) {
            ps.setInt(first, x.slot());
            ps.setString(first + 1, x.figure().code());
            ps.setDouble(first + 2, x.weight());
            ps.setDouble(first + 3, x.level());
            ps.setDouble(first + 4, x.spread());
            if (x.figure() == UsageFigure.ERRORS) {
                ps.setDouble(first + 5, x.dispersion());
            } else {
                ps.setNull(first + 5, java.sql.Types.REAL);
            }
            ps.addBatch();
        }
    }

    /** The cell of the current row, its columns from {@code first}. */
    static UsageProfile.Cell read(ResultSet r, int first) throws SQLException {
        return new UsageProfile.Cell(r.getInt(first), UsageFigure.fromCode(r.getString(first + 1)),
                r.getDouble(first + 2), r.getDouble(first + 3), r.getDouble(first + 4),
                r.getDouble(first + 5)); // NULL reads as 0: not learned
    }
}
