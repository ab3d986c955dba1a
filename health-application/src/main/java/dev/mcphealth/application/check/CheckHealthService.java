package dev.mcphealth.application.check;

import dev.mcphealth.domain.model.ProbeMetrics;

import dev.mcphealth.application.port.in.CheckHealthUseCase;
import dev.mcphealth.application.port.in.HealthReport;
import dev.mcphealth.application.port.in.ServerHealth;
import dev.mcphealth.application.port.in.UnknownServerException;
import dev.mcphealth.application.port.out.FailureStorePort;
import dev.mcphealth.application.port.out.MetricStorePort;
import dev.mcphealth.application.port.out.ProbePort;
import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.HealthMetric;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ProbeOutcome;
import dev.mcphealth.domain.model.ProbeReport;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.monitoring.HealthStatusPolicy;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Probes the selected servers concurrently, classifies each outcome, and records an availability and (when answered) a
 * response-time metric per server, plus a failure row per failed probe.
 */
public final class CheckHealthService implements CheckHealthUseCase {
    private final ServerCatalogPort catalog;
    private final ProbePort probes;
    private final MetricStorePort metrics;
    private final FailureStorePort failures;
    private final Clock clock;
    private final Executor executor;

    public CheckHealthService(ServerCatalogPort catalog, ProbePort probes, MetricStorePort metrics,
                              FailureStorePort failures, Clock clock, Executor executor) {
        this.catalog = Objects.requireNonNull(catalog);
        this.probes = Objects.requireNonNull(probes);
        this.metrics = Objects.requireNonNull(metrics);
        this.failures = Objects.requireNonNull(failures);
        this.clock = Objects.requireNonNull(clock);
        this.executor = Objects.requireNonNull(executor);
    }

    @Override
    public HealthReport check(Query query) {
        List<MonitoredServer> selected = select(query.servers());
        Instant checkedAt = clock.instant();
        List<CompletableFuture<ServerHealth>> running = new ArrayList<>();
        for (MonitoredServer server : selected) {
            running.add(CompletableFuture.supplyAsync(() -> assess(server, query.depth()), executor));
        }
        List<ServerHealth> results = running.stream().map(CompletableFuture::join).toList();
        return new HealthReport(checkedAt, results, record(results, query.depth()));
    }

    private List<MonitoredServer> select(Set<ServerId> wanted) {
        List<MonitoredServer> all = catalog.servers();
        if (wanted.isEmpty()) {
            return all;
        }
        Map<ServerId, MonitoredServer> byId = new LinkedHashMap<>();
        all.forEach(s -> byId.put(s.id(), s));
        Set<ServerId> unknown = new TreeSet<>(wanted);
        unknown.removeAll(byId.keySet());
        if (!unknown.isEmpty()) {
            throw new UnknownServerException(unknown, byId.keySet());
        }
        return all.stream().filter(s -> wanted.contains(s.id())).toList();
    }

    private ServerHealth assess(MonitoredServer server, CheckDepth depth) {
        ProbeReport report = probes.probe(server, depth);
        return new ServerHealth(server, HealthStatusPolicy.classify(report.outcome(), server.thresholds()), report);
    }

    private Optional<String> record(List<ServerHealth> results, CheckDepth depth) {
        List<HealthMetric> rows = new ArrayList<>();
        List<Failure> failed = new ArrayList<>();
        for (ServerHealth result : results) {
            ProbeReport probe = result.probe();
            rows.addAll(ProbeMetrics.of(result.server(), probe, result.status(), depth));
            if (probe.outcome() instanceof ProbeOutcome.Failed f) {
                failed.add(Failure.open(result.server(), f.type(),
                        "health_check depth=" + depth.code() + " server=" + result.server().id(), f.message(),
                        probe.startedAt()));
            }
        }
        try {
            metrics.append(rows);
            if (!failed.isEmpty()) {
                failures.record(failed);
            }
            return Optional.empty();
        } catch (StorageUnavailableException e) {
            return Optional.of(e.getMessage());
        }
    }
}
