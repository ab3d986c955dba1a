package dev.mcphealth.infrastructure.metrics;

import dev.mcphealth.application.port.in.ObserveMonitoringUseCase;
import dev.mcphealth.domain.model.BreakerState;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.StatusSnapshot;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the monitor knows, for Prometheus (docs/metrics.md): the probes' histogram and counters ({@link ProbeMetrics}),
 * and, read from the monitor's status board at each scrape, each server's up, availability and breaker state, the
 * monitor's own loop lag, missed probes, write buffer and database latency, and the build. Its own registry, not the
 * process-wide default one, so that two monitors in one JVM (a library user's) do not mix. Exposed in the Prometheus
 * text format or OpenMetrics, as the scraper's {@code Accept} asks ({@link #scrape}).
 */
public final class PrometheusMetrics {
    /** One scrape's answer: its content type and body. */
    public record Scrape(String contentType, byte[] body) {
        public Scrape {
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(body, "body");
        }
    }

    private final PrometheusRegistry registry;
    private final ObserveMonitoringUseCase monitor;
    private final java.util.function.Predicate<dev.mcphealth.domain.model.ServerId> exported;
    private final ExpositionFormats formats = ExpositionFormats.init();
    /** The status board as read for the scrape under way (each scrape reads it once, for every gauge). */
    private List<StatusSnapshot> board = List.of();

    /** Reads {@code monitor} at each scrape; the probes' metrics are {@code probes}', in {@code registry}. */
    public PrometheusMetrics(PrometheusRegistry registry, ObserveMonitoringUseCase monitor, String version) {
        this(registry, monitor, version, server -> true);
    }

    /**
     * @param exported the servers whose status is exported: of one of several monitors sharing a database, the ones
     *                 it holds now (each member exports its own, so a scrape of every member counts each once)
     */
    public PrometheusMetrics(PrometheusRegistry registry, ObserveMonitoringUseCase monitor, String version,
                             java.util.function.Predicate<dev.mcphealth.domain.model.ServerId> exported) {
        this.exported = Objects.requireNonNull(exported, "exported");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        Info.builder().name("mcphealth_build_info").help("The MCP Health build serving these metrics")
                .labelNames("version").register(registry).setLabelValues(version);
        GaugeWithCallback.builder().name("mcphealth_up")
                .help("1 when the monitor counts the server up: healthy or warning (answering within its critical"
                        + " latency); 0 when critical (too slow, or failing) or offline; absent before its first probe")
                .labelNames("server", "server_type")
                .callback(cb -> servers(s -> s.status().ifPresent(h -> cb.call(h == HealthStatus.HEALTHY
                        || h == HealthStatus.WARNING ? 1 : 0, s.server().value(), s.type().value()))))
                .register(registry);
        GaugeWithCallback.builder().name("mcphealth_health_status")
                .help("1 for the server's status now (healthy, warning, critical or offline), 0 for the others")
                .labelNames("server", "server_type", "status")
                .callback(cb -> servers(s -> s.status().ifPresent(h -> {
                    for (HealthStatus each : HealthStatus.values()) {
                        cb.call(each == h ? 1 : 0, s.server().value(), s.type().value(), each.code());
                    }
                })))
                .register(registry);
        GaugeWithCallback.builder().name("mcphealth_availability_ratio")
                .help("The server's availability since the monitor began, time-weighted (0..1): the status table's")
                .labelNames("server", "server_type")
                .callback(cb -> servers(s -> s.sla().ifPresent(a -> cb.call(a, s.server().value(),
                        s.type().value()))))
                .register(registry);
        GaugeWithCallback.builder().name("mcphealth_breaker_state")
                .help("1 for the state of the server's circuit breaker now (closed, open or half_open), 0 for the"
                        + " others")
                .labelNames("server", "server_type", "state")
                .callback(cb -> servers(s -> Optional.ofNullable(s.details().get("breaker")).ifPresent(now -> {
                    for (BreakerState each : BreakerState.values()) {
                        cb.call(each.code().equals(now) ? 1 : 0, s.server().value(), s.type().value(), each.code());
                    }
                })))
                .register(registry);
        GaugeWithCallback.builder().name("mcphealth_last_probe_timestamp_seconds")
                .help("When the server's last probe ended, in seconds since the epoch: a figure that stops moving is"
                        + " a monitor that stopped probing it")
                .labelNames("server", "server_type")
                .callback(cb -> servers(s -> Optional.ofNullable(s.details().get("lastProbeAt")).ifPresent(at -> {
                    try {
                        cb.call(java.time.Instant.parse(at).toEpochMilli() / 1000.0, s.server().value(),
                                s.type().value());
                    } catch (java.time.format.DateTimeParseException notATime) {
                        // not exported
                    }
                })))
                .register(registry);
        self("mcphealth_monitor_loop_lag_p99_seconds", "The 99th percentile of how late the monitor's probes"
                + " started over the last minute, in seconds", "lagP99Ms", 1e-3, false);
        self("mcphealth_monitor_db_write_p99_seconds", "The 99th percentile of the monitor's database writes (each"
                + " a transaction) over the last minute, in seconds", "dbWriteP99Ms", 1e-3, false);
        self("mcphealth_monitor_buffer_rows", "Rows waiting in the monitor's write buffer", "bufferDepth", 1, false);
        self("mcphealth_monitor_missed_probes", "Probes the monitor started too late to count (a stalled loop)",
                "missedProbes", 1, true);
        self("mcphealth_monitor_dropped_rows", "Rows the monitor's write buffer had to drop (the database away too"
                + " long)", "droppedRows", 1, true);
        self("mcphealth_monitor_watchdog_restarts", "Probe loops the monitor's watchdog started again",
                "watchdogRestarts", 1, true);
    }

    /** A figure of the monitor's own row, as a gauge or a counter ({@code _total}), scaled to base units. */
    private void self(String name, String help, String detail, double scale, boolean counter) {
        Consumer<Consumer<Double>> read = emit -> board.stream().filter(StatusSnapshot::isMonitor)
                .findFirst().map(s -> s.details().get(detail)).ifPresent(v -> {
                    try {
                        emit.accept(Double.parseDouble(v) * scale);
                    } catch (NumberFormatException notANumber) {
                        // a figure the board did not have: not exported
                    }
                });
        if (counter) {
            CounterWithCallback.builder().name(name).help(help).callback(cb -> read.accept(cb::call))
                    .register(registry);
        } else {
            GaugeWithCallback.builder().name(name).help(help).callback(cb -> read.accept(cb::call))
                    .register(registry);
        }
    }

    /** Each watched server's row of the board under scrape (not the monitor's own). */
    private void servers(Consumer<StatusSnapshot> each) {
        board.stream().filter(s -> !s.isMonitor()).forEach(each);
    }

    /**
     * The metrics now, in the format {@code accept} asks for (an HTTP {@code Accept} header; null or anything else:
     * the Prometheus text format).
     */
    public Scrape scrape(String accept) {
        ExpositionFormatWriter writer = formats.findWriter(accept == null ? "" : accept);
        if (!writer.isAvailable()) {
            // protobuf asked for (native histograms, scrape_protocols): not built in; the text format serves
            writer = formats.getPrometheusTextFormatWriter();
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
            writer.write(out, snapshots());
            return new Scrape(writer.getContentType(), out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("the metrics could not be written: " + e.getMessage(), e);
        }
    }

    /**
     * Every metric now, the status board read once for all its gauges: what a scrape writes, and what the
     * OpenTelemetry export sends (one at a time: the board is this call's).
     */
    public synchronized MetricSnapshots snapshots() {
        // of a cluster's member, the servers it holds (the others' rows on its board are theirs to export)
        board = monitor.snapshot().stream().filter(s -> s.isMonitor() || exported.test(s.server())).toList();
        try {
            return registry.scrape();
        } finally {
            board = List.of();
        }
    }
}
