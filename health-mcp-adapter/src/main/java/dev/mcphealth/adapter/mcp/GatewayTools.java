package dev.mcphealth.adapter.mcp;

import dev.mcphealth.application.port.in.CallToolUseCase;
import dev.mcphealth.application.port.in.ListToolsUseCase;
import dev.mcphealth.application.port.in.NoHealthyInstanceException;
import dev.mcphealth.domain.model.Faults;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.ToolSpec;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstream servers' tools as MCP Health serves them in {@link Gateway} mode: each server type's tools listed once
 * through the resilient path when the server starts, named {@code <serverType>__<tool>}; a call goes to
 * {@link CallToolUseCase} and its upstream result comes back as it was (content, structured content, isError). A type
 * that cannot list its tools at start is left out, said on stderr; a name that is not a legal tool name
 * ({@code [A-Za-z0-9_-]{1,64}}, what Claude Desktop accepts) or that another already took is left out too.
 */
final class GatewayTools {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayTools.class);
    private static final Pattern LEGAL_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final AtomicLong INCIDENTS = new AtomicLong();

    private GatewayTools() {
    }

    /** The tools of every type of {@code gateway} that lists now, in type order, each type's in its own order. */
    static List<SyncToolSpecification> of(Gateway gateway, McpJsonMapper mapper) {
        List<SyncToolSpecification> out = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (String type : gateway.serverTypes()) {
            ListToolsUseCase.Listing listing;
            try {
                listing = gateway.list().list(ServerType.of(type));
            } catch (NoHealthyInstanceException e) {
                LOG.warn("gateway: the tools of {} are not served: {}", type, e.getMessage());
                continue;
            } catch (RuntimeException e) {
                LOG.warn("gateway: the tools of {} are not served: {}", type, Faults.describe(e));
                continue;
            }
            for (ToolSpec t : listing.tools()) {
                String name = type + Gateway.SEPARATOR + t.name();
                if (!LEGAL_NAME.matcher(name).matches() || !taken.add(name)) {
                    LOG.warn("gateway: {}'s tool {} is not served: {} is {}", type, t.name(), name,
                            LEGAL_NAME.matcher(name).matches() ? "taken" : "not a legal tool name");
                    continue;
                }
                out.add(spec(gateway.call(), type, t, name, mapper));
            }
        }
        return out;
    }

    private static SyncToolSpecification spec(CallToolUseCase call, String type, ToolSpec t, String name,
                                              McpJsonMapper mapper) {
        McpSchema.Tool tool = McpSchema.Tool.builder()
                .name(name)
                .description("[" + type + "] " + t.description())
                .inputSchema(schema(t, mapper))
                .build();
        return SyncToolSpecification.builder()
                .tool(tool)
                .callHandler((exchange, request) -> answer(call, type, t.name(), request.arguments(), mapper))
                .build();
    }

    /** The upstream's input schema as a JSON object; an empty object schema if it cannot be read as one. */
    private static Map<String, Object> schema(ToolSpec t, McpJsonMapper mapper) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = mapper.readValue(t.inputSchemaJson(), Map.class);
            if (m != null) {
                return m;
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("gateway: the input schema of {} cannot be read; served as any object", t.name());
        }
        Map<String, Object> any = new LinkedHashMap<>();
        any.put("type", "object");
        return any;
    }

    /** One call through the resilient path, answered as the upstream answered or as a tool error that says why. */
    static McpSchema.CallToolResult answer(CallToolUseCase call, String type, String tool,
                                           Map<String, Object> arguments, McpJsonMapper mapper) {
        CallToolUseCase.Result r;
        try {
            r = call.call(new CallToolUseCase.Command(ServerType.of(type), tool,
                    arguments == null ? Map.of() : arguments));
        } catch (RuntimeException e) {
            long incident = INCIDENTS.incrementAndGet();
            LOG.error("gateway: {}{}{} failed (incident {}): {}", type, Gateway.SEPARATOR, tool, incident,
                    Faults.describe(e));
            return error(type + Gateway.SEPARATOR + tool + ": internal error (incident " + incident
                    + "); the server's log has the details");
        }
        if (r instanceof CallToolUseCase.Served s) {
            try {
                McpSchema.CallToolResult upstream = mapper.readValue(s.reply().json(), McpSchema.CallToolResult.class);
                if (upstream != null && upstream.content() != null) {
                    return upstream;
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("gateway: {}'s answer kept as its text only", type);
            }
            McpSchema.CallToolResult.Builder b = McpSchema.CallToolResult.builder();
            s.reply().texts().forEach(b::addTextContent);
            return b.isError(s.reply().error()).build();
        }
        if (r instanceof CallToolUseCase.Failed f) {
            return error(type + Gateway.SEPARATOR + tool + " failed on " + f.lastTried().value() + " ("
                    + f.type().code() + "): " + f.message());
        }
        return error(((CallToolUseCase.Unavailable) r).message());
    }

    private static McpSchema.CallToolResult error(String message) {
        return McpSchema.CallToolResult.builder().addTextContent(message).isError(true).build();
    }
}
