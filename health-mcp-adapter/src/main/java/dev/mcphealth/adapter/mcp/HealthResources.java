package dev.mcphealth.adapter.mcp;

import dev.mcphealth.adapter.web.ApiViews;
import dev.mcphealth.application.port.in.ObserveMonitoringUseCase;
import dev.mcphealth.domain.model.StatusSnapshot;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The monitor's live view as resources: {@code health://servers} (every server, as the overview dashboard shows it)
 * and {@code health://servers/{name}} (one server). JSON, read from the running monitor.
 */
final class HealthResources {
    /** The scheme of every URI MCP Health serves of its own. */
    static final String SCHEME = "health://";
    static final String ALL = SCHEME + "servers";
    static final String PREFIX = ALL + "/";
    static final String TEMPLATE = PREFIX + "{name}";
    static final String JSON = "application/json";

    private final ObserveMonitoringUseCase monitor;
    private final McpJsonMapper mapper;

    HealthResources(ObserveMonitoringUseCase monitor, McpJsonMapper mapper) {
        this.monitor = monitor;
        this.mapper = mapper;
    }

    SyncResourceSpecification all() {
        McpSchema.Resource r = McpSchema.Resource.builder().uri(ALL).name("servers").title("Every watched server")
                .description("Status, SLA and rolling windows of every watched server and of the monitor itself")
                .mimeType(JSON).build();
        return new SyncResourceSpecification(r, (exchange, request) -> read(ALL,
                monitor.snapshot().stream().map(s -> ApiViews.snapshot(s).map()).toList()));
    }

    SyncResourceTemplateSpecification one() {
        McpSchema.ResourceTemplate t = McpSchema.ResourceTemplate.builder().uriTemplate(TEMPLATE)
                .name("server").title("One watched server")
                .description("Status, SLA and rolling windows of one server, by its name in the config")
                .mimeType(JSON).build();
        return new SyncResourceTemplateSpecification(t, (exchange, request) -> {
            String name = request.uri().startsWith(PREFIX) ? request.uri().substring(PREFIX.length()) : "";
            Optional<StatusSnapshot> s = monitor.snapshot().stream()
                    .filter(x -> x.server().value().equals(name)).findFirst();
            if (s.isEmpty()) {
                throw McpError.RESOURCE_NOT_FOUND.apply(request.uri());
            }
            return read(request.uri(), ApiViews.snapshot(s.get()).map());
        });
    }

    private McpSchema.ReadResourceResult read(String uri, Object content) {
        try {
            return new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents(uri, JSON,
                    mapper.writeValueAsString(content))));
        } catch (IOException e) {
            throw new IllegalStateException("the resource could not be written as JSON: " + e.getMessage(), e);
        }
    }
}
