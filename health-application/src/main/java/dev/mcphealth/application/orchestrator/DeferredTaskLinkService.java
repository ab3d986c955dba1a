package dev.mcphealth.application.orchestrator;

import dev.mcphealth.application.port.in.RelinkDeferredTasksUseCase;
import dev.mcphealth.application.port.out.TaskLinkPort;
import java.util.Objects;

/** {@link RelinkDeferredTasksUseCase} over the store's links ({@link TaskLinkPort}). */
public final class DeferredTaskLinkService implements RelinkDeferredTasksUseCase {
    private final TaskLinkPort links;

    public DeferredTaskLinkService(TaskLinkPort links) {
        this.links = Objects.requireNonNull(links, "links");
    }

    @Override
    public long relink() {
        return links.resolveSettled();
    }
}
