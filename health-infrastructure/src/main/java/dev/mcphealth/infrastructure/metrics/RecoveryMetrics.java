package dev.mcphealth.infrastructure.metrics;

import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.infrastructure.events.Delivery;
import dev.mcphealth.infrastructure.events.EventSink;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What recovery did, as Prometheus metrics, from the monitor's events: attempts begun, attempts that failed and
 * recoveries by server and action (restart, reconnect...), the time from an episode's first failure to its recovery
 * as a histogram in seconds, and failovers by pool. Labelled by the configured servers and types (a bounded set).
 * An event sink of the monitor's fan-out, so it counts every recovery the events tell, whichever way it began.
 */
public final class RecoveryMetrics implements EventSink {
    /** Time to recovery, in seconds: a second to an hour. */
    static final double[] BUCKETS = {1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600};

    private final Map<String, String> types;
    private final Counter attempts;
    private final Counter failed;
    private final Counter recovered;
    private final Histogram timeToRecovery;
    private final Counter failovers;

    public RecoveryMetrics(PrometheusRegistry registry, List<MonitoredServer> servers) {
        Objects.requireNonNull(registry, "registry");
        types = servers.stream().collect(Collectors.toUnmodifiableMap(s -> s.id().value(), s -> s.type().value(),
                (a, b) -> a));
        attempts = Counter.builder().name("mcphealth_recovery_attempts_total")
                .help("Recovery attempts begun, by server and action (restart, reconnect, ...)")
                .labelNames("server", "server_type", "action").register(registry);
        failed = Counter.builder().name("mcphealth_recovery_failures_total")
                .help("Recovery attempts that did not bring the server back, by server and action")
                .labelNames("server", "server_type", "action").register(registry);
        recovered = Counter.builder().name("mcphealth_recoveries_total")
                .help("Servers brought back by recovery, by server and the action that did it")
                .labelNames("server", "server_type", "action").register(registry);
        timeToRecovery = Histogram.builder().name("mcphealth_time_to_recovery_seconds")
                .help("From a failure episode's first failure to its recovery, in seconds")
                .labelNames("server", "server_type").classicUpperBounds(BUCKETS).classicOnly().register(registry);
        failovers = Counter.builder().name("mcphealth_failovers_total")
                .help("Failovers of a pool's calls from one instance to another, by pool (server type)")
                .labelNames("server_type").register(registry);
    }

    @Override
    public String name() {
        return "metrics";
    }

    @Override
    public Delivery deliver(MonitorEvent event) {
        if (event instanceof MonitorEvent.RecoveryStarted r) {
            attempts.labelValues(server(r.server().value()), type(r.server().value()), r.action().code()).inc();
        } else if (event instanceof MonitorEvent.RecoveryFailed r) {
            failed.labelValues(server(r.server().value()), type(r.server().value()), r.action().code()).inc();
        } else if (event instanceof MonitorEvent.RecoverySucceeded r) {
            String s = r.server().value();
            recovered.labelValues(server(s), type(s), r.action().code()).inc();
            timeToRecovery.labelValues(server(s), type(s)).observe(r.resolution().toNanos() / 1e9);
        } else if (event instanceof MonitorEvent.FailedOver f) {
            failovers.labelValues(f.serverType().value()).inc();
        }
        return Delivery.delivered();
    }

    /** A configured server's name; anything else (none is expected) as "other", so labels stay bounded. */
    private String server(String name) {
        return types.containsKey(name) ? name : "other";
    }

    private String type(String name) {
        return types.getOrDefault(name, "other");
    }
}
