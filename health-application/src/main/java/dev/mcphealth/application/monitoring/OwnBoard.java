package dev.mcphealth.application.monitoring;

import dev.mcphealth.domain.model.StatusSnapshot;
import java.util.List;

/** The board as this monitor itself knows it: what it stores (a cluster's other members' servers as never probed). */
interface OwnBoard {
    /** The servers {@code which} accepts, and the monitor itself. */
    List<StatusSnapshot> own(java.util.function.Predicate<dev.mcphealth.domain.model.ServerId> which);

    default List<StatusSnapshot> own() {
        return own(id -> true);
    }
}
