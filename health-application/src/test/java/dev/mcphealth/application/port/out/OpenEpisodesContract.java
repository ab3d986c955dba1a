package dev.mcphealth.application.port.out;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcphealth.domain.model.Alert;
import dev.mcphealth.domain.model.AlertSeverity;
import dev.mcphealth.domain.model.FailoverConfig;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.Thresholds;
import dev.mcphealth.domain.model.TransportKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What {@link OpenEpisodesPort} reads back, held against the in-memory fake and the SQLite store alike: what the
 * stores were given and left open (a row written again resolved is not open), oldest first, and a server's last probe
 * in a period (from inclusive, before exclusive, its own probes only).
 */
public abstract class OpenEpisodesContract {
    protected static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");
    private static final MonitoredServer MEM = server("mem");
    private static final MonitoredServer KV = server("kv");

    protected abstract OpenEpisodesPort port();

    /** The failures as the failure store records them (a row written again is updated). */
    protected abstract void recorded(Failure... failures);

    /** The alerts as the alert store saves them (by id). */
    protected abstract void saved(Alert... alerts);

    /** A probe of {@code server} recorded at {@code at} (its availability row). */
    protected abstract void probed(MonitoredServer server, Instant at);

    private static MonitoredServer server(String name) {
        ServerType type = ServerType.of(name);
        return new MonitoredServer(ServerId.of(name), type, TransportKind.STDIO, MonitoredServer.DEFAULT_TIMEOUT,
                MonitoredServer.DEFAULT_CONNECT_TIMEOUT, Thresholds.DEFAULTS, FailoverConfig.defaultsFor(type));
    }

    private static Failure resolved(Failure f, Duration after) {
        return new Failure(f.serverType(), f.serverInstance(), f.type(), f.taskContext(), f.errorDetails(),
                f.recoveryAction(), Optional.of(after), f.occurredAt(), f.orchestratorRecoveryTaskId());
    }

    @Test
    void nothingLeftOpenReadsBackEmpty() {
        assertEquals(List.of(), port().openFailures());
        assertEquals(List.of(), port().openAlerts());
        assertEquals(Optional.empty(), port().lastProbe(MEM.id(), T0, T0.plusSeconds(60)));
    }

    @Test
    void openFailuresOldestFirstAndAResolvedOneIsNotOpen() {
        Failure older = Failure.open(KV, FailureType.CONNECTION_ERROR, "monitor", "refused", T0);
        Failure newer = Failure.open(MEM, FailureType.TIMEOUT, "monitor", "no answer", T0.plusSeconds(10));
        Failure closed = Failure.open(MEM, FailureType.CONNECTION_ERROR, "monitor", "exited", T0.plusSeconds(5));
        recorded(newer, closed, older);
        recorded(resolved(closed, Duration.ofSeconds(2)));
        List<Failure> open = port().openFailures();
        assertEquals(List.of(KV.id(), MEM.id()), open.stream().map(Failure::serverInstance).toList());
        assertEquals(List.of(T0, T0.plusSeconds(10)), open.stream().map(Failure::occurredAt).toList());
        assertEquals(List.of(FailureType.CONNECTION_ERROR, FailureType.TIMEOUT),
                open.stream().map(Failure::type).toList());
    }

    @Test
    void openAlertsOldestFirstAndAResolvedOneIsNotOpen() {
        Alert first = Alert.raise(MEM.id(), AlertSeverity.CRITICAL, "mem is critical", T0);
        Alert second = Alert.raise(KV.id(), AlertSeverity.WARNING, "kv is warning", T0.plusSeconds(20));
        Alert gone = Alert.raise(KV.id(), AlertSeverity.CRITICAL, "kv is critical", T0.plusSeconds(5));
        saved(second, gone, first);
        saved(gone.resolvedAt(T0.plusSeconds(8)));
        List<Alert> open = port().openAlerts();
        assertEquals(List.of(first.id(), second.id()), open.stream().map(Alert::id).toList());
        assertEquals(List.of(AlertSeverity.CRITICAL, AlertSeverity.WARNING),
                open.stream().map(Alert::severity).toList());
    }

    @Test
    void theLastProbeIsTheServersOwnLatestInThePeriodFromInclusiveBeforeExclusive() {
        probed(MEM, T0);
        probed(MEM, T0.plusSeconds(30));
        probed(KV, T0.plusSeconds(45));
        probed(MEM, T0.plusSeconds(60));
        assertEquals(Optional.of(T0.plusSeconds(30)), port().lastProbe(MEM.id(), T0, T0.plusSeconds(60)));
        assertEquals(Optional.of(T0.plusSeconds(60)), port().lastProbe(MEM.id(), T0, T0.plusSeconds(61)));
        assertEquals(Optional.of(T0), port().lastProbe(MEM.id(), T0, T0.plusSeconds(1)));
        assertEquals(Optional.empty(), port().lastProbe(MEM.id(), T0.plusSeconds(61), T0.plusSeconds(120)));
        assertEquals(Optional.of(T0.plusSeconds(45)), port().lastProbe(KV.id(), T0, T0.plusSeconds(120)));
    }
}
