package dev.mcphealth.application.port.out;

import dev.mcphealth.domain.model.ServerId;

/** What the configuration says about tools' side effects. */
@FunctionalInterface
public interface ToolSemanticsPort {
    /** Whether calling {@code tool} twice does no harm, so a call that may have reached the server can be replayed. */
    boolean idempotent(ServerId server, String tool);
}
