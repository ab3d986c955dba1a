package dev.mcphealth.application.tuning;

import dev.mcphealth.application.port.in.AdviseTuningUseCase;
import dev.mcphealth.application.port.in.AnalyzeFailuresUseCase;
import dev.mcphealth.application.port.in.ObserveMonitoringUseCase;
import dev.mcphealth.application.port.in.PlanMonitoringUseCase;
import dev.mcphealth.application.port.in.UnknownServerTypeException;
import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.domain.routing.BreakerSettings;
import dev.mcphealth.domain.history.FailureAnalysis;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.StatusSnapshot;
import dev.mcphealth.domain.tuning.TuningAdvice;
import dev.mcphealth.domain.tuning.TuningAdvisor;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Collects what {@link TuningAdvisor} judges, for the configured servers of the asked types in name order: each one's
 * configuration as it is now (the catalog, tuned timeouts included), the interval the monitor probes it at now (its
 * plan; the configured interval if the plan lacks it), the monitor's live windows, its breaker's settings in force,
 * and its failures over the last {@link #HISTORY}. All are read on each call, so advice after an applied change
 * judges the changed values.
 */
public final class AdviseTuningService implements AdviseTuningUseCase {
    /** How far back the failure history is read. */
    public static final Duration HISTORY = Duration.ofHours(24);

    private final ServerCatalogPort catalog;
    private final ObserveMonitoringUseCase monitor;
    private final PlanMonitoringUseCase plan;
    private final AnalyzeFailuresUseCase failures;
    private final Function<ServerId, BreakerSettings> breakers;
    private final Clock clock;

    /**
     * @param plan the monitor's schedule: how often each server is probed, overrides included
     * @param breakers the circuit-breaker settings each server's calls run under now
     *                 (e.g. {@code BreakerPort::settings})
     */
    public AdviseTuningService(ServerCatalogPort catalog, ObserveMonitoringUseCase monitor, PlanMonitoringUseCase plan,
                               AnalyzeFailuresUseCase failures, Function<ServerId, BreakerSettings> breakers,
                               Clock clock) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        this.plan = Objects.requireNonNull(plan, "plan");
        this.failures = Objects.requireNonNull(failures, "failures");
        this.breakers = Objects.requireNonNull(breakers, "breakers");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public TuningAdvice advise(Query query) {
        Objects.requireNonNull(query, "query");
        List<MonitoredServer> all = catalog.servers();
        Set<ServerType> known = all.stream().map(MonitoredServer::type).collect(Collectors.toSet());
        query.types().stream().filter(t -> !known.contains(t)).sorted().findFirst().ifPresent(t -> {
            throw new UnknownServerTypeException(t, known);
        });
        List<MonitoredServer> servers = all.stream()
                .filter(s -> query.types().isEmpty() || query.types().contains(s.type()))
                .sorted(Comparator.comparing(MonitoredServer::id))
                .toList();

        Map<ServerId, StatusSnapshot> live = monitor.snapshot().stream()
                .collect(Collectors.toMap(StatusSnapshot::server, Function.identity(), (a, b) -> b));
        Map<ServerId, Duration> intervals = plan.plan().stream()
                // the interval in force, not an idle hour's stretch over it (probe hours): what tuning changes
                .collect(Collectors.toMap(PlanMonitoringUseCase.Entry::server, PlanMonitoringUseCase.Entry::base,
                        (a, b) -> b));
        FailureAnalysis history = failures.analyze(new AnalyzeFailuresUseCase.Query(query.types(), HISTORY));
        Map<ServerId, FailureAnalysis.InstanceFailures> failed = history.instances().stream()
                .collect(Collectors.toMap(FailureAnalysis.InstanceFailures::server, Function.identity(), (a, b) -> a));

        List<TuningAdvisor.Instance> instances = servers.stream().map(s -> new TuningAdvisor.Instance(s,
                intervals.getOrDefault(s.id(), s.failover().healthCheckInterval()),
                Optional.ofNullable(live.get(s.id())), breakers.apply(s.id()),
                Optional.ofNullable(failed.get(s.id()))))
                .toList();
        return TuningAdvisor.advise(instances, HISTORY, query.target(), query.level(), clock.instant());
    }
}
