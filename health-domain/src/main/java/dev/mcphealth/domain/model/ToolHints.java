package dev.mcphealth.domain.model;

import java.util.Objects;
import java.util.Optional;

/**
 * What a server says of one of its tools beside its schema (MCP's tool annotations): a display title and hints of its
 * side effects. They are hints from the server, not guarantees; the operator who configured the server trusts them as
 * far as {@link #replayable()} goes.
 */
public record ToolHints(Optional<String> title, Optional<Boolean> readOnly, Optional<Boolean> destructive,
                        Optional<Boolean> idempotent, Optional<Boolean> openWorld) {
    /** A tool its server says nothing about. */
    public static final ToolHints NONE = new ToolHints(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty());

    public ToolHints {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(readOnly, "readOnly");
        Objects.requireNonNull(destructive, "destructive");
        Objects.requireNonNull(idempotent, "idempotent");
        Objects.requireNonNull(openWorld, "openWorld");
    }

    /**
     * Whether a call of the tool may be sent twice without harm: its server says it changes nothing (readOnlyHint)
     * or that a second call with the same arguments does nothing more (idempotentHint).
     */
    public boolean replayable() {
        return readOnly.orElse(false) || idempotent.orElse(false);
    }
}
