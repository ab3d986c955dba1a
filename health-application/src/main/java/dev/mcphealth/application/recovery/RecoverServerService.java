package dev.mcphealth.application.recovery;

import dev.mcphealth.application.port.in.RecoverServerUseCase;
import dev.mcphealth.application.port.in.UnknownServerException;
import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.recovery.RecoveryPolicy;
import dev.mcphealth.application.catalog.StandbyInstances;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One {@link RecoveryService#attemptNow} of one instance, by hand, timed on the injected clock. It does nothing when an
 * attempt of the instance is already running (the scheduler's, or another by hand): then {@code ran} is false.
 */
public final class RecoverServerService implements RecoverServerUseCase {
    private final ServerCatalogPort catalog;
    private final ManualRecovery recovery;
    private final Clock clock;
    private final StandbyInstances standby;

    public RecoverServerService(ServerCatalogPort catalog, ManualRecovery recovery, Clock clock) {
        this(catalog, recovery, clock, StandbyInstances.NONE);
    }

    /** @param standby the pools' standby instances: a cold one is not started by hand (it is meant not to run) */
    public RecoverServerService(ServerCatalogPort catalog, ManualRecovery recovery, Clock clock,
                                StandbyInstances standby) {
        this.standby = Objects.requireNonNull(standby, "standby");
        this.catalog = Objects.requireNonNull(catalog);
        this.recovery = Objects.requireNonNull(recovery);
        this.clock = Objects.requireNonNull(clock);
    }

    @Override
    public Outcome recover(ServerId server) {
        List<MonitoredServer> all = catalog.servers();
        MonitoredServer s = all.stream().filter(m -> m.id().equals(server)).findFirst()
                .orElseThrow(() -> new UnknownServerException(Set.of(server),
                        all.stream().map(MonitoredServer::id).toList()));
        Instant start = clock.instant();
        if (!standby.probed(server)) {
            return new Outcome(server, RecoveryPolicy.actionFor(s.transport()), false, false, server.value()
                    + " is a standby instance, cold: out of service until its pool wants it (its next probe then"
                    + " starts it); nothing to recover", Duration.ZERO, List.of());
        }
        List<MonitorEvent> raised = recovery.attemptNow(server);
        Duration took = Duration.between(start, clock.instant());
        RecoveryOutcome outcome = RecoveryOutcome.of(raised);
        return new Outcome(server, RecoveryPolicy.actionFor(s.transport()), outcome.ran(), outcome.succeeded(),
                outcome.detail(), took.isNegative() ? Duration.ZERO : took, raised);
    }
}
