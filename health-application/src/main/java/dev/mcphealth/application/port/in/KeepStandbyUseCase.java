package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.model.StandbyChanged;
import java.util.List;

/**
 * Puts the pools' standby instances into service and takes them out as their pools want now (docs/learning.md,
 * "Standby instances"): warmed before a surge the pool's usage profile foresees or when no active instance is usable,
 * in service once a probe saw them usable, cooled when no longer wanted. The monitor calls it on each flush (every
 * second).
 */
@FunctionalInterface
public interface KeepStandbyUseCase {
    /** No standby instances: nothing to keep. */
    KeepStandbyUseCase NONE = List::of;

    /** The changes made now, each also published as a {@code standby_changed} event; empty when none. */
    List<StandbyChanged> keep();
}
