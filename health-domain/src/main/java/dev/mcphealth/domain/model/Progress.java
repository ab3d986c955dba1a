package dev.mcphealth.domain.model;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/** How far a long tool call has come, as its server says (MCP progress): a number that only grows, of a total if known. */
public record Progress(double progress, OptionalDouble total, Optional<String> message) {
    public Progress {
        Objects.requireNonNull(total, "total");
        Objects.requireNonNull(message, "message");
    }
}
