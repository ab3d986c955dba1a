package dev.mcphealth.application.recovery;

import dev.mcphealth.application.port.in.ObserveMonitoringUseCase;
import dev.mcphealth.application.port.in.ReadRecoveryStatusUseCase;
import dev.mcphealth.application.port.in.UnknownServerException;
import dev.mcphealth.application.port.out.BreakerPort;
import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.StatusSnapshot;
import dev.mcphealth.domain.recovery.RecoveryPolicy;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Recovery as it stands, per instance: the monitor's status of it, its circuit breaker, and from
 * {@link RecoveryService#progress} its open episode, whether an attempt runs, and the attempts made so far. A class
 * of its own rather than a face of {@link RecoveryService}: the status comes from the monitor, and the monitor already
 * depends on recovery.
 */
public final class ReadRecoveryStatusService implements ReadRecoveryStatusUseCase {
    private final ServerCatalogPort catalog;
    private final ObserveMonitoringUseCase monitor;
    private final RecoveryProgress recovery;
    private final BreakerPort breakers;

    public ReadRecoveryStatusService(ServerCatalogPort catalog, ObserveMonitoringUseCase monitor,
                                     RecoveryProgress recovery, BreakerPort breakers) {
        this.catalog = Objects.requireNonNull(catalog);
        this.monitor = Objects.requireNonNull(monitor);
        this.recovery = Objects.requireNonNull(recovery);
        this.breakers = Objects.requireNonNull(breakers);
    }

    @Override
    public List<RecoveryState> read(Optional<ServerId> server) {
        List<MonitoredServer> all = catalog.servers();
        List<MonitoredServer> selected = all.stream().filter(s -> server.isEmpty() || server.get().equals(s.id()))
                .sorted(Comparator.comparing(MonitoredServer::id)).toList();
        if (selected.isEmpty() && server.isPresent()) {
            throw new UnknownServerException(Set.of(server.get()),
                    all.stream().map(MonitoredServer::id).toList());
        }
        Map<ServerId, Optional<HealthStatus>> statuses = monitor.snapshot().stream()
                .collect(Collectors.toMap(StatusSnapshot::server, StatusSnapshot::status, (a, b) -> a));
        return selected.stream().map(s -> stateOf(s, statuses.getOrDefault(s.id(), Optional.empty()))).toList();
    }

    private RecoveryState stateOf(MonitoredServer s, Optional<HealthStatus> status) {
        RecoveryProgress.Progress p = recovery.progress(s.id());
        return new RecoveryState(s.id(), s.type(), RecoveryPolicy.actionFor(s.transport()), status,
                breakers.state(s.id()), p.episode(), p.attempting(), p.attempts());
    }
}
