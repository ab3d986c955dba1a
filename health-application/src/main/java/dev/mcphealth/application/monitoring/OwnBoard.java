package dev.mcphealth.application.monitoring;

import dev.mcphealth.domain.model.StatusSnapshot;
import java.util.List;

/** The board as this monitor itself knows it: what it stores (a cluster's other members' servers as never probed). */
@FunctionalInterface
interface OwnBoard {
    List<StatusSnapshot> own();
}
