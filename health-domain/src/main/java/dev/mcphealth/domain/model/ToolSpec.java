package dev.mcphealth.domain.model;

import java.util.Objects;
import java.util.Optional;

/**
 * One tool a server offers: its name, description, input schema and, if it has one, output schema (JSON text), and
 * what its server hints of it.
 */
public record ToolSpec(String name, String description, String inputSchemaJson, Optional<String> outputSchemaJson,
                       ToolHints hints) {
    public ToolSpec {
        Text.requireText(name, "name");
        Objects.requireNonNull(description, "description");
        Text.requireText(inputSchemaJson, "inputSchemaJson");
        Objects.requireNonNull(outputSchemaJson, "outputSchemaJson");
        Objects.requireNonNull(hints, "hints");
    }

    /** A tool with no output schema that its server says nothing more about. */
    public ToolSpec(String name, String description, String inputSchemaJson) {
        this(name, description, inputSchemaJson, Optional.empty(), ToolHints.NONE);
    }
}
