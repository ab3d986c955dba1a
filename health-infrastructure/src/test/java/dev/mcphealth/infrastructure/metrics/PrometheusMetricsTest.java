package dev.mcphealth.infrastructure.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.ObserveMonitoringUseCase;
import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ProbeMethod;
import dev.mcphealth.domain.model.ProbeOutcome;
import dev.mcphealth.domain.model.ProbeReport;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.StatusSnapshot;
import dev.mcphealth.domain.model.Uptime;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The exposition the monitor's figures make: the status board read once per scrape (each server's up, status,
 * availability, breaker; the monitor's own row as its own metrics), the probes counted where they are made, and the
 * format chosen by Accept. A real Prometheus scrapes it in MetricsIT.
 */
class PrometheusMetricsTest {
    private static final Instant NOW = Instant.parse("2026-12-06T08:00:00Z");

    private final List<StatusSnapshot> board = new ArrayList<>();
    private int reads;
    private final ObserveMonitoringUseCase monitor = () -> {
        reads++;
        return List.copyOf(board);
    };
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ProbeMetrics probes = new ProbeMetrics(registry);
    private final PrometheusMetrics metrics = new PrometheusMetrics(registry, monitor, "1.2.3");

    private static StatusSnapshot server(String id, String type, Optional<HealthStatus> status, String breaker) {
        return new StatusSnapshot(ServerId.of(id), ServerType.of(type), status, Optional.of(NOW), List.of(), 10, 9,
                new Uptime(Duration.ofMinutes(10), Duration.ofMinutes(1)), 0.999, Optional.empty(), Optional.empty(),
                NOW, Map.of("breaker", breaker));
    }

    private String text() {
        PrometheusMetrics.Scrape s = metrics.scrape(null);
        assertTrue(s.contentType().startsWith("text/plain; version=0.0.4"), s.contentType());
        return new String(s.body(), StandardCharsets.UTF_8);
    }

    @Test
    void eachServerIsUpOrNotWithItsStatusAvailabilityAndBreakerAndNothingBeforeItsFirstProbe() {
        board.add(new StatusSnapshot(ServerId.of("files"), ServerType.of("filesystem"), Optional.of(HealthStatus.WARNING),
                Optional.of(NOW), List.of(), 10, 9, new Uptime(Duration.ofMinutes(10), Duration.ofMinutes(1)), 0.999,
                Optional.empty(), Optional.empty(), NOW, Map.of("breaker", "closed", "lastProbeAt",
                "2026-12-06T07:59:58.500Z")));
        board.add(server("search", "search", Optional.of(HealthStatus.OFFLINE), "open"));
        board.add(new StatusSnapshot(ServerId.of("new"), ServerType.of("search"), Optional.empty(), Optional.empty(),
                List.of(), 0, 0, Uptime.NONE, 0.999, Optional.empty(), Optional.empty(), NOW, Map.of("breaker", "closed")));
        // a server of the monitor's type is a server like any other; the monitor's row is the one of its name
        board.add(server("other-monitor", "mcp-health", Optional.of(HealthStatus.HEALTHY), "closed"));
        board.add(new StatusSnapshot(ServerId.of("mcp-health"), ServerType.of("mcp-health"),
                Optional.of(HealthStatus.HEALTHY), Optional.of(NOW), List.of(), 0, 0, Uptime.NONE, 0.999,
                Optional.empty(), Optional.empty(), NOW, Map.of("lagP99Ms", "12.500", "bufferDepth", "3",
                "missedProbes", "2", "droppedRows", "0", "watchdogRestarts", "1", "dbWriteP99Ms", "4.000")));
        String out = text();
        assertEquals(1, reads, "the board is read once a scrape");
        assertTrue(out.contains("mcphealth_up{server=\"files\",server_type=\"filesystem\"} 1.0\n"), out);
        assertTrue(out.contains("mcphealth_up{server=\"search\",server_type=\"search\"} 0.0\n"), out);
        assertTrue(!out.contains("mcphealth_up{server=\"new\"") && !out.contains("mcphealth_availability_ratio{server=\"new\"")
                && !out.contains("mcphealth_health_status{server=\"new\""), "not probed yet: no figure: " + out);
        assertTrue(!out.contains("server=\"mcp-health\""), "the monitor's own row is not a server: " + out);
        assertTrue(out.contains("mcphealth_up{server=\"other-monitor\",server_type=\"mcp-health\"} 1.0\n"), out);
        assertTrue(out.contains("mcphealth_health_status{server=\"files\",server_type=\"filesystem\",status=\"warning\"}"
                + " 1.0\n"), out);
        assertTrue(out.contains("mcphealth_health_status{server=\"files\",server_type=\"filesystem\",status=\"healthy\"}"
                + " 0.0\n"), out);
        assertTrue(out.contains("mcphealth_availability_ratio{server=\"files\",server_type=\"filesystem\"} 0.9\n"),
                out);
        assertTrue(out.contains("mcphealth_breaker_state{server=\"search\",server_type=\"search\",state=\"open\"} 1.0\n"),
                out);
        assertTrue(out.contains("mcphealth_monitor_loop_lag_p99_seconds 0.0125\n"), out);
        assertTrue(out.contains("mcphealth_monitor_buffer_rows 3.0\n"), out);
        assertTrue(out.contains("mcphealth_monitor_missed_probes_total 2.0\n"), out);
        assertTrue(out.contains("mcphealth_monitor_watchdog_restarts_total 1.0\n"), out);
        assertTrue(out.contains("mcphealth_build_info{version=\"1.2.3\"} 1\n"), out);
        assertTrue(out.contains("mcphealth_last_probe_timestamp_seconds{server=\"files\",server_type=\"filesystem\"}"
                + " 1.7965439985E9\n"), out);
    }

    @Test
    void everyProbeIsCountedAndTimedInSecondsByOutcomeAndFailureType() {
        ServerType fs = ServerType.of("filesystem");
        MonitoredServer files = new MonitoredServer(ServerId.of("files"), fs, dev.mcphealth.domain.model.TransportKind.STDIO,
                Duration.ofSeconds(10), Duration.ofSeconds(30), dev.mcphealth.domain.model.Thresholds.DEFAULTS,
                dev.mcphealth.domain.model.FailoverConfig.defaultsFor(fs));
        var measured = probes.measured(new dev.mcphealth.application.port.out.ProbePort() {
            private int n;

            @Override
            public ProbeReport probe(MonitoredServer server, CheckDepth depth) {
                return new ProbeReport(server.id(), NOW, Optional.empty(), n++ == 0
                        ? new ProbeOutcome.Answered(Duration.ofMillis(30), ProbeMethod.PING, Optional.empty())
                        : new ProbeOutcome.Failed(FailureType.TIMEOUT, "no answer in 10 s", Duration.ofSeconds(10)));
            }
        });
        measured.probe(files, CheckDepth.BASIC);
        measured.probeKept(files, CheckDepth.BASIC);
        String out = text();
        assertTrue(out.contains("mcphealth_probes_total{outcome=\"answered\",server=\"files\",server_type=\"filesystem\"}"
                + " 1.0\n"), out);
        assertTrue(out.contains("mcphealth_probe_failures_total{failure_type=\"timeout\",server=\"files\","
                + "server_type=\"filesystem\"} 1.0\n"), out);
        assertTrue(out.contains("mcphealth_probe_duration_seconds_bucket{outcome=\"answered\",server=\"files\","
                + "server_type=\"filesystem\",le=\"0.05\"} 1\n"), out);
        assertTrue(out.contains("mcphealth_probe_duration_seconds_bucket{outcome=\"failed\",server=\"files\","
                + "server_type=\"filesystem\",le=\"5.0\"} 0\n"), out);
        assertTrue(out.contains("mcphealth_probe_duration_seconds_sum{outcome=\"failed\",server=\"files\","
                + "server_type=\"filesystem\"} 10.0\n"), out);
    }

    @Test
    void aScraperAskingForProtobufGetsTheTextFormat() {
        PrometheusMetrics.Scrape s = metrics.scrape("application/vnd.google.protobuf;"
                + "proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.8,text/plain;q=0.5");
        assertTrue(s.contentType().startsWith("text/plain; version=0.0.4"), s.contentType());
    }

    @Test
    void openMetricsWhenTheScraperAsksForIt() {
        PrometheusMetrics.Scrape s = metrics.scrape("application/openmetrics-text;version=1.0.0,text/plain;q=0.5");
        assertTrue(s.contentType().startsWith("application/openmetrics-text"), s.contentType());
        assertTrue(new String(s.body(), StandardCharsets.UTF_8).endsWith("# EOF\n"));
    }

    @Test
    void eachToolCallIsCountedByOutcomeAndTimedPerPoolToolAndAFloodOfToolNamesIsCapped() {
        ToolCallMetrics tools = new ToolCallMetrics(registry);
        ServerType demo = ServerType.of("demo");
        MonitoredServer one = new MonitoredServer(ServerId.of("one"), demo, dev.mcphealth.domain.model.TransportKind.STDIO,
                Duration.ofSeconds(10), Duration.ofSeconds(30), dev.mcphealth.domain.model.Thresholds.DEFAULTS,
                dev.mcphealth.domain.model.FailoverConfig.defaultsFor(demo));
        tools.record(one, "echo", new dev.mcphealth.domain.model.CallOutcome.Replied(
                new dev.mcphealth.domain.model.ToolReply(false, List.of("hi"), "{}"), Duration.ofMillis(40)));
        tools.record(one, "echo", new dev.mcphealth.domain.model.CallOutcome.Replied(
                new dev.mcphealth.domain.model.ToolReply(true, List.of("bad"), "{}"), Duration.ofMillis(60)));
        tools.record(one, "echo", new dev.mcphealth.domain.model.CallOutcome.Failed(FailureType.TIMEOUT, "no answer",
                true, Duration.ofSeconds(5)));
        for (int i = 0; i < ToolCallMetrics.MAX_TOOLS + 5; i++) {
            tools.record(one, "t" + i, new dev.mcphealth.domain.model.CallOutcome.Cancelled(Duration.ofMillis(1)));
        }
        String out = text();
        assertTrue(out.contains("mcphealth_tool_calls_total{outcome=\"ok\",server=\"one\",server_type=\"demo\","
                + "tool=\"echo\"} 1.0\n"), out);
        assertTrue(out.contains("mcphealth_tool_calls_total{outcome=\"tool_error\",server=\"one\",server_type=\"demo\","
                + "tool=\"echo\"} 1.0\n"), out);
        assertTrue(out.contains("mcphealth_tool_call_failures_total{failure_type=\"timeout\",server=\"one\","
                + "server_type=\"demo\",tool=\"echo\"} 1.0\n"), out);
        assertTrue(out.contains("mcphealth_tool_call_duration_seconds_count{server_type=\"demo\",tool=\"echo\"} 3\n"),
                out);
        assertTrue(out.contains("mcphealth_tool_calls_total{outcome=\"cancelled\",server=\"one\",server_type=\"demo\","
                + "tool=\"other\"} 6.0\n"), "past the cap: other (1,000 named, echo among them): " + out.length());
    }
}
