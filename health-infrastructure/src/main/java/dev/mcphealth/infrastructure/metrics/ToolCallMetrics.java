package dev.mcphealth.infrastructure.metrics;

import dev.mcphealth.application.port.out.ToolCallPort;
import dev.mcphealth.domain.model.CallOutcome;
import dev.mcphealth.domain.model.Caller;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.Progress;
import dev.mcphealth.domain.model.UpstreamRequest;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Every tool call made through the pools (the gateway's and a library user's) as Prometheus metrics: counters by
 * instance, tool and outcome, failures by type, and a histogram of each pool's tool's call time in seconds (the MCP
 * semantic conventions' buckets). Tool names come from the upstreams: past {@link #MAX_TOOLS} pairs of server type and
 * tool, further ones count as {@code tool="other"}, so that an upstream listing thousands cannot flood the scrape.
 * Listing and other requests are not counted here (the probes' metrics time the listings the monitor makes).
 */
public final class ToolCallMetrics {
    /** The most (server type, tool) pairs with labels of their own. */
    static final int MAX_TOOLS = 1000;
    static final String OTHER = "other";

    private final Histogram duration;
    private final Counter calls;
    private final Counter failures;
    private final Set<String> named = ConcurrentHashMap.newKeySet();

    public ToolCallMetrics(PrometheusRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        duration = Histogram.builder().name("mcphealth_tool_call_duration_seconds")
                .help("How long each tool call through a pool took on its instance, in seconds")
                .labelNames("server_type", "tool").classicUpperBounds(ProbeMetrics.BUCKETS).classicOnly()
                .register(registry);
        calls = Counter.builder().name("mcphealth_tool_calls_total")
                .help("Tool calls made through the pools, by instance, tool and outcome (ok, tool_error, failed,"
                        + " cancelled)")
                .labelNames("server", "server_type", "tool", "outcome").register(registry);
        failures = Counter.builder().name("mcphealth_tool_call_failures_total")
                .help("Tool calls that failed on their instance, by failure type")
                .labelNames("server", "server_type", "tool", "failure_type").register(registry);
    }

    /** {@code calls}, each tool call it makes recorded here; every other request passed on as it is. */
    public ToolCallPort measured(ToolCallPort calls) {
        Objects.requireNonNull(calls, "calls");
        return new ToolCallPort() {
            @Override
            public CallOutcome callTool(MonitoredServer server, String tool, Map<String, Object> arguments,
                                        Duration timeout, boolean mayConnect) {
                return record(server, tool, calls.callTool(server, tool, arguments, timeout, mayConnect));
            }

            @Override
            public CallOutcome callTool(MonitoredServer server, String tool, Map<String, Object> arguments,
                                        Duration timeout, boolean mayConnect, Consumer<Progress> progress) {
                return record(server, tool, calls.callTool(server, tool, arguments, timeout, mayConnect, progress));
            }

            @Override
            public CallOutcome callTool(MonitoredServer server, String tool, Map<String, Object> arguments,
                                        Duration timeout, boolean mayConnect, Caller caller) {
                return record(server, tool, calls.callTool(server, tool, arguments, timeout, mayConnect, caller));
            }

            @Override
            public CallOutcome listTools(MonitoredServer server, Duration timeout, boolean mayConnect) {
                return calls.listTools(server, timeout, mayConnect);
            }

            @Override
            public CallOutcome request(MonitoredServer server, UpstreamRequest what, Map<String, Object> params,
                                       Duration timeout, boolean mayConnect) {
                return calls.request(server, what, params, timeout, mayConnect);
            }

            @Override
            public CallOutcome request(MonitoredServer server, UpstreamRequest what, Map<String, Object> params,
                                       Duration timeout, boolean mayConnect,
                                       dev.mcphealth.domain.model.Cancellation cancel) {
                return calls.request(server, what, params, timeout, mayConnect, cancel);
            }
        };
    }

    /** Records {@code outcome} of a call of {@code tool} on {@code server}; returns it. */
    CallOutcome record(MonitoredServer server, String tool, CallOutcome outcome) {
        String id = server.id().value();
        String type = server.type().value();
        String name = label(type, tool);
        Duration took;
        String what;
        if (outcome instanceof CallOutcome.Replied r) {
            took = r.elapsed();
            what = r.reply().error() ? "tool_error" : "ok";
        } else if (outcome instanceof CallOutcome.Failed f) {
            took = f.elapsed();
            what = "failed";
            failures.labelValues(id, type, name, f.type().code()).inc();
        } else if (outcome instanceof CallOutcome.Cancelled c) {
            took = c.elapsed();
            what = "cancelled";
        } else {
            return outcome; // a call answers with a reply, a failure or a cancellation; nothing else is a call's
        }
        calls.labelValues(id, type, name, what).inc();
        if (!what.equals("cancelled")) {
            duration.labelValues(type, name).observe(took.toNanos() / 1e9);
        }
        return outcome;
    }

    /** The tool's label: its name while there is room, else {@link #OTHER}. */
    private String label(String type, String tool) {
        String key = type + '\u0000' + tool;
        if (named.size() < MAX_TOOLS) {
            named.add(key);
        }
        return named.contains(key) ? tool : OTHER;
    }
}
