package dev.mcphealth.domain.model;

import java.util.Objects;

/** One tool a server offers: its name, description and input schema (JSON text). */
public record ToolSpec(String name, String description, String inputSchemaJson) {
    public ToolSpec {
        Text.requireText(name, "name");
        Objects.requireNonNull(description, "description");
        Text.requireText(inputSchemaJson, "inputSchemaJson");
    }
}
