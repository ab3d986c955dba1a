package dev.mcphealth.domain.model;

import java.util.List;
import java.util.Objects;

/**
 * A server's answer to a tool call, kept free of any MCP library type: whether the tool reported an error
 * ({@code isError}), the text of its text content in order, and the whole result as JSON text for callers that need
 * more (structured content, images, resources).
 */
public record ToolReply(boolean error, List<String> texts, String json) {
    public ToolReply {
        texts = List.copyOf(Objects.requireNonNull(texts, "texts"));
        Text.requireText(json, "json");
    }
}
