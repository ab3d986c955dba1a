package dev.mcphealth.application.routing;

import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import java.util.Optional;

/** Which instance serves each server type's calls, and moving them by hand (the coordinator). */
public interface ActiveInstances {
    /** The instance the type's calls went to last, if any call went anywhere yet (or calls were moved by hand). */
    Optional<ServerId> serving(ServerType type);

    /** Moves the type's calls from {@code from} to {@code to}. */
    void moveTo(ServerType type, ServerId from, ServerId to, String reason);

    /** Whether the type's calls were moved by hand and stay where they were moved (else its balancing decides). */
    default boolean movedByHand(ServerType type) {
        return false;
    }
}
