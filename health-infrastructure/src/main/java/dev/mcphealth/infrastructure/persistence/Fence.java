package dev.mcphealth.infrastructure.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/**
 * Whose rows a write may carry (docs/cluster.md): a monitor alone on its database writes every server's
 * ({@link #NONE}); one of several writes only the servers whose lease it holds, and the database says so in the
 * write's own transaction, so a monitor that was paused or cut off while another took a server over cannot write for
 * it when it wakes.
 */
public interface Fence {
    /** Every row: no other monitor writes here. */
    Fence NONE = (c, servers) -> servers;

    /**
     * Of {@code servers}, those whose rows may be written in the transaction on {@code c}; the others' rows are
     * dropped (and counted by the fence). Holds what it checked until the transaction ends, so that no other monitor
     * takes one of them over before the rows are in.
     *
     * @throws SQLException when it cannot tell now (a lease of this monitor's lapsed while the database was away and
     *     is not renewed yet): the rows wait and are written later
     */
    Set<String> writable(Connection c, Set<String> servers) throws SQLException;
}
