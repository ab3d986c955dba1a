package dev.mcphealth.infrastructure.metrics;

import dev.mcphealth.application.port.out.ProbePort;
import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ProbeOutcome;
import dev.mcphealth.domain.model.ProbeReport;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Objects;

/**
 * Every probe's outcome as Prometheus metrics: a histogram of how long it took, in seconds, with the buckets of the
 * OpenTelemetry MCP semantic conventions ({@code mcp.client.operation.duration}), and counters of probes by outcome and
 * of failures by type, labelled by server and server type (the configured servers: a bounded set). The monitor's own
 * probes ({@link #measured} wraps the probes the monitor is given); an on-demand check's or a stress test's are not
 * counted: their bursts would read as the server's.
 */
public final class ProbeMetrics {
    /** The MCP semantic conventions' buckets for an operation's duration, in seconds. */
    static final double[] BUCKETS = {0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300};

    private final Histogram duration;
    private final Counter probes;
    private final Counter failures;

    public ProbeMetrics(PrometheusRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        duration = Histogram.builder().name("mcphealth_probe_duration_seconds")
                .help("How long each of the monitor's probes took, in seconds: an answered one its request's round"
                        + " trip, a failed one from its start (connecting included)")
                .labelNames("server", "server_type", "outcome").classicUpperBounds(BUCKETS).classicOnly()
                .register(registry);
        probes = Counter.builder().name("mcphealth_probes_total")
                .help("Probes made, by outcome (answered or failed)")
                .labelNames("server", "server_type", "outcome").register(registry);
        failures = Counter.builder().name("mcphealth_probe_failures_total")
                .help("Failed probes, by failure type (timeout, connection_error, authentication, rate_limit,"
                        + " server_error)")
                .labelNames("server", "server_type", "failure_type").register(registry);
    }

    /** {@code probes}, each probe it makes recorded here. */
    public ProbePort measured(ProbePort probes) {
        Objects.requireNonNull(probes, "probes");
        return new ProbePort() {
            @Override
            public ProbeReport probe(MonitoredServer server, CheckDepth depth) {
                return record(server, probes.probe(server, depth));
            }

            @Override
            public ProbeReport probeKept(MonitoredServer server, CheckDepth depth) {
                return record(server, probes.probeKept(server, depth));
            }
        };
    }

    /** Records {@code report}'s outcome; returns it. */
    ProbeReport record(MonitoredServer server, ProbeReport report) {
        String id = server.id().value();
        String type = server.type().value();
        ProbeOutcome outcome = report.outcome();
        Duration took;
        String what;
        if (outcome instanceof ProbeOutcome.Answered a) {
            took = a.responseTime();
            what = "answered";
        } else {
            ProbeOutcome.Failed f = (ProbeOutcome.Failed) outcome;
            took = f.elapsed();
            what = "failed";
            failures.labelValues(id, type, f.type().code()).inc();
        }
        duration.labelValues(id, type, what).observe(took.toNanos() / 1e9);
        probes.labelValues(id, type, what).inc();
        return report;
    }
}
