package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.ToolSpec;
import java.time.Instant;
import java.util.List;

/**
 * The tools of a server type, from a healthy instance; when none can answer, the last good list from memory (marked
 * stale) rather than nothing.
 */
@FunctionalInterface
public interface ListToolsUseCase {

    Listing list(ServerType serverType);

    /**
     * @param from the instance that listed them
     * @param fetchedAt when they were listed
     * @param stale true when this is the remembered list because no instance could answer now
     */
    record Listing(ServerType serverType, ServerId from, List<ToolSpec> tools, Instant fetchedAt, boolean stale) {
        public Listing {
            tools = List.copyOf(tools);
        }
    }
}
