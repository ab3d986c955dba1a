package dev.mcphealth.infrastructure.cluster;

import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.infrastructure.persistence.Database;
import dev.mcphealth.infrastructure.scheduler.OutboxScheduler;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;

/**
 * Whose turn it is to deliver the orchestrator outbox, among the processes on one PostgreSQL database: the one holding
 * a session advisory lock ({@code pg_try_advisory_lock}), taken for one delivery pass on a connection kept for it and
 * given back after. The database lets the lock go with the session, so a member that died holds no turn; one that is
 * paused keeps it until it wakes (its call in flight is then its own to settle). Without it, one member's pass would
 * settle another's call in flight as unconfirmed (docs/orchestrator-outbox.md, docs/cluster.md).
 */
public final class OutboxTurn implements OutboxScheduler.Turn {
    /** The lock's key: "mcpoutbx" in ASCII, the same for every version. */
    static final long KEY = 0x6d63706f75746278L;

    private final Database db;

    public OutboxTurn(Database db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    @Override
    public Optional<Held> take() {
        Connection c;
        try {
            c = db.connection();
        } catch (SQLException e) {
            throw new StorageUnavailableException("cannot read the outbox's turn from " + db.name() + ": "
                    + Database.reason(e), e);
        }
        try {
            if (ask(c, "SELECT pg_try_advisory_lock(?)")) {
                return Optional.of(() -> giveBack(c));
            }
        } catch (SQLException e) {
            close(c);
            throw new StorageUnavailableException("cannot read the outbox's turn from " + db.name() + ": "
                    + Database.reason(e), e);
        }
        close(c);
        return Optional.empty();
    }

    private static boolean ask(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, KEY);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** Lets the lock go (a session that broke meanwhile has let it go already) and returns the connection. */
    private static void giveBack(Connection c) {
        try {
            ask(c, "SELECT pg_advisory_unlock(?)");
        } catch (SQLException e) {
            // not let go: the session must end (the server then lets the lock go), never go back to the pool holding it
            try {
                c.abort(Runnable::run);
            } catch (SQLException | RuntimeException gone) {
                // ended already
            }
        }
        close(c);
    }

    private static void close(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // the pool drops a connection it cannot take back
        }
    }
}
