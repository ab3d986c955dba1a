package dev.mcphealth.infrastructure.telemetry;

import dev.mcphealth.application.port.out.ProbePort;
import dev.mcphealth.application.port.out.ToolCallPort;
import dev.mcphealth.domain.model.CallOutcome;
import dev.mcphealth.domain.model.Caller;
import dev.mcphealth.domain.model.Cancellation;
import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ProbeOutcome;
import dev.mcphealth.domain.model.ProbeReport;
import dev.mcphealth.domain.model.Progress;
import dev.mcphealth.domain.model.TransportKind;
import dev.mcphealth.domain.model.UpstreamRequest;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Spans of what the monitor sends to MCP servers, with the attributes of the OpenTelemetry MCP semantic conventions:
 * each of its own probes ({@code ping}, or {@code tools/list} at the comprehensive depth) and each call through its
 * pools ({@code tools/call <tool>}, and the gateway's other requests), a client span each, named
 * {@code <mcp.method.name> [target]}, with {@code mcp.method.name}, {@code gen_ai.tool.name} and
 * {@code gen_ai.operation.name} ({@code execute_tool}) for a tool call, {@code network.transport} ({@code pipe} for
 * stdio, {@code tcp} for HTTP and SSE), {@code mcp.protocol.version} when the probe saw it, {@code error.type} (the
 * failure type, or {@code tool_error} for a tool's error answer), and the server's name and pool
 * ({@code mcphealth.server}, {@code mcphealth.server_type}). The MCP session id is not on them: the SDK's transport
 * keeps it to itself.
 */
public final class Tracing {
    private final Tracer tracer;

    Tracing(Tracer tracer) {
        this.tracer = Objects.requireNonNull(tracer, "tracer");
    }

    /** {@code probes}, each probe a span. */
    public ProbePort traced(ProbePort probes) {
        Objects.requireNonNull(probes, "probes");
        return new ProbePort() {
            @Override
            public ProbeReport probe(MonitoredServer server, CheckDepth depth) {
                return probeSpan(server, depth, () -> probes.probe(server, depth));
            }

            @Override
            public ProbeReport probeKept(MonitoredServer server, CheckDepth depth) {
                return probeSpan(server, depth, () -> probes.probeKept(server, depth));
            }
        };
    }

    /** {@code calls}, each call and request a span. */
    public ToolCallPort traced(ToolCallPort calls) {
        Objects.requireNonNull(calls, "calls");
        return new ToolCallPort() {
            @Override
            public CallOutcome callTool(MonitoredServer server, String tool, Map<String, Object> arguments,
                                        Duration timeout, boolean mayConnect) {
                return callSpan(server, "tools/call", tool, () -> calls.callTool(server, tool, arguments, timeout,
                        mayConnect));
            }

            @Override
            public CallOutcome callTool(MonitoredServer server, String tool, Map<String, Object> arguments,
                                        Duration timeout, boolean mayConnect, Consumer<Progress> progress) {
                return callSpan(server, "tools/call", tool, () -> calls.callTool(server, tool, arguments, timeout,
                        mayConnect, progress));
            }

            @Override
            public CallOutcome callTool(MonitoredServer server, String tool, Map<String, Object> arguments,
                                        Duration timeout, boolean mayConnect, Caller caller) {
                return callSpan(server, "tools/call", tool, () -> calls.callTool(server, tool, arguments, timeout,
                        mayConnect, caller));
            }

            @Override
            public CallOutcome listTools(MonitoredServer server, Duration timeout, boolean mayConnect) {
                return callSpan(server, "tools/list", null, span -> { }, () -> calls.listTools(server, timeout,
                        mayConnect));
            }

            @Override
            public CallOutcome request(MonitoredServer server, UpstreamRequest what, Map<String, Object> params,
                                       Duration timeout, boolean mayConnect) {
                return requestSpan(server, what, params, () -> calls.request(server, what, params, timeout,
                        mayConnect));
            }

            @Override
            public CallOutcome request(MonitoredServer server, UpstreamRequest what, Map<String, Object> params,
                                       Duration timeout, boolean mayConnect, Cancellation cancel) {
                return requestSpan(server, what, params, () -> calls.request(server, what, params, timeout,
                        mayConnect, cancel));
            }
        };
    }

    /** The MCP method of a request the gateway passes on. */
    static String method(UpstreamRequest what) {
        return switch (what) {
            case LIST_PROMPTS -> "prompts/list";
            case LIST_RESOURCES -> "resources/list";
            case LIST_RESOURCE_TEMPLATES -> "resources/templates/list";
            case GET_PROMPT -> "prompts/get";
            case READ_RESOURCE -> "resources/read";
        };
    }

    /**
     * A request the gateway passes on: {@code prompts/get <prompt>} with {@code gen_ai.prompt.name},
     * {@code resources/read} with {@code mcp.resource.uri}, a listing by its method alone.
     */
    private CallOutcome requestSpan(MonitoredServer server, UpstreamRequest what, Map<String, Object> params,
                                    Supplier<CallOutcome> call) {
        Object name = params == null ? null : params.get("name");
        Object uri = params == null ? null : params.get("uri");
        String target = what == UpstreamRequest.GET_PROMPT && name instanceof String n ? n : null;
        return callSpan(server, method(what), target, span -> {
            if (target != null) {
                span.setAttribute("gen_ai.prompt.name", target);
            }
            if (what == UpstreamRequest.READ_RESOURCE && uri instanceof String u) {
                span.setAttribute("mcp.resource.uri", u);
            }
        }, call);
    }

    private Span start(MonitoredServer server, String method, String target) {
        Span span = tracer.spanBuilder(target == null ? method : method + " " + target).setSpanKind(SpanKind.CLIENT)
                .setAttribute("mcp.method.name", method)
                .setAttribute("network.transport", server.transport() == TransportKind.STDIO ? "pipe" : "tcp")
                .setAttribute("mcphealth.server", server.id().value())
                .setAttribute("mcphealth.server_type", server.type().value())
                .startSpan();
        if (server.transport() != TransportKind.STDIO) {
            span.setAttribute("network.protocol.name", "http");
        }
        return span;
    }

    private ProbeReport probeSpan(MonitoredServer server, CheckDepth depth, Supplier<ProbeReport> probe) {
        Span span = start(server, depth == CheckDepth.COMPREHENSIVE ? "tools/list" : "ping", null);
        return within(span, probe, report -> {
            report.handshake().ifPresent(h -> span.setAttribute("mcp.protocol.version", h.protocolVersion()));
            if (report.outcome() instanceof ProbeOutcome.Failed f) {
                failed(span, f.type().code());
            } else if (report.outcome() instanceof ProbeOutcome.Answered a) {
                span.updateName(a.method().code());
                span.setAttribute("mcp.method.name", a.method().code());
            }
        });
    }

    private CallOutcome callSpan(MonitoredServer server, String method, String tool, Supplier<CallOutcome> call) {
        return callSpan(server, method, tool, span -> {
            if (tool != null) {
                span.setAttribute("gen_ai.tool.name", tool);
                span.setAttribute("gen_ai.operation.name", "execute_tool");
            }
        }, call);
    }

    private CallOutcome callSpan(MonitoredServer server, String method, String target, Consumer<Span> attributes,
                                 Supplier<CallOutcome> call) {
        Span span = start(server, method, target);
        attributes.accept(span);
        return within(span, call, outcome -> {
            if (outcome instanceof CallOutcome.Failed f) {
                failed(span, f.type().code());
            } else if (outcome instanceof CallOutcome.Replied r && r.reply().error()) {
                failed(span, "tool_error");
            } else if (outcome instanceof CallOutcome.Cancelled) {
                span.setAttribute("error.type", "cancelled");
            }
        });
    }

    /** {@code work} within {@code span}: its result told to {@code outcome}; the span ended however it ends. */
    private static <T> T within(Span span, Supplier<T> work, Consumer<T> outcome) {
        try {
            T result = work.get();
            outcome.accept(result);
            return result;
        } catch (RuntimeException e) {
            failed(span, "internal");
            throw e;
        } finally {
            span.end();
        }
    }

    private static void failed(Span span, String type) {
        span.setAttribute("error.type", type);
        span.setStatus(StatusCode.ERROR, type);
    }
}
