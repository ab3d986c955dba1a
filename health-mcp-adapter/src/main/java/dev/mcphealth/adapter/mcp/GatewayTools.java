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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstream servers' tools as MCP Health serves them in {@link Gateway} mode: each server type's tools listed once
 * through the resilient path when the server starts, named {@code <serverType>__<tool>}; a call goes to
 * {@link CallToolUseCase} and its upstream result comes back as it was (content, structured content, isError). A type
 * that cannot list its tools at start (or not within {@link #LIST_DEADLINE}) is left out, said on stderr; a name that is not a legal tool name
 * ({@code [A-Za-z0-9_-]{1,64}}, what Claude Desktop accepts) or that another already took is left out too.
 */
final class GatewayTools {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayTools.class);
    private static final Pattern LEGAL_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final AtomicLong INCIDENTS = new AtomicLong();
    /** How long the server's start waits for the upstreams' tools: a cold npx start takes seconds. */
    static final Duration LIST_DEADLINE = Duration.ofSeconds(20);

    private GatewayTools() {
    }

    /**
     * The tools of every type of {@code gateway} that lists within {@link #LIST_DEADLINE} of the start, in type order,
     * each type's in its own order. The types are listed at once, side by side, so one hung upstream delays the
     * server's start by the deadline at most.
     */
    static List<SyncToolSpecification> of(Gateway gateway, McpJsonMapper mapper) {
        ExecutorService listers = Executors.newFixedThreadPool(Math.max(1, Math.min(gateway.serverTypes().size(), 8)),
                r -> {
                    Thread t = new Thread(r, "mcp-health-gateway-list");
                    t.setDaemon(true);
                    return t;
                });
        Map<String, CompletableFuture<ListToolsUseCase.Listing>> listings = new LinkedHashMap<>();
        try {
            for (String type : gateway.serverTypes()) {
                listings.put(type, CompletableFuture.supplyAsync(() -> gateway.list().list(ServerType.of(type)),
                        listers));
            }
        } finally {
            listers.shutdown(); // a listing still out when the deadline passes ends on its own; it is not used
        }
        try {
            CompletableFuture.allOf(listings.values().toArray(CompletableFuture[]::new))
                    .get(LIST_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // each listing is looked at below: the ones not done, or failed, are said one by one
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<SyncToolSpecification> out = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (Map.Entry<String, CompletableFuture<ListToolsUseCase.Listing>> e : listings.entrySet()) {
            String type = e.getKey();
            Optional<ListToolsUseCase.Listing> listing = listed(type, e.getValue());
            if (listing.isEmpty()) {
                continue;
            }
            for (ToolSpec t : listing.get().tools()) {
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

    /** The type's listing if it came by the deadline; else empty, said on stderr. */
    private static Optional<ListToolsUseCase.Listing> listed(String type,
                                                             CompletableFuture<ListToolsUseCase.Listing> listing) {
        if (!listing.isDone()) {
            LOG.warn("gateway: the tools of {} are not served: they were not listed within {} s", type,
                    LIST_DEADLINE.toSeconds());
            return Optional.empty();
        }
        try {
            return Optional.of(listing.join());
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            LOG.warn("gateway: the tools of {} are not served: {}", type, cause instanceof NoHealthyInstanceException
                    ? cause.getMessage() : Faults.describe(cause));
            return Optional.empty();
        }
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
        } catch (RuntimeException | Error e) {
            long incident = INCIDENTS.incrementAndGet();
            LOG.error("gateway: {}{}{} failed (incident {}): {}", type, Gateway.SEPARATOR, tool, incident,
                    Faults.describe(e));
            return error(type + Gateway.SEPARATOR + tool + ": internal error (incident " + incident
                    + ", on the server's stderr)");
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
