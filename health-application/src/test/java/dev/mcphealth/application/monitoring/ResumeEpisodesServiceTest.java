package dev.mcphealth.application.monitoring;

import dev.mcphealth.application.testkit.InMemoryOpenEpisodes;
import dev.mcphealth.application.testkit.FixedCatalog;
import dev.mcphealth.application.testkit.InMemoryFailureStore;
import dev.mcphealth.application.testkit.ScriptedProbe;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.ResumeEpisodesUseCase;
import dev.mcphealth.application.testkit.InMemoryMetricStore;
import dev.mcphealth.application.testkit.TestClock;
import dev.mcphealth.domain.model.Alert;
import dev.mcphealth.domain.model.AlertSeverity;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitoredServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What earlier runs left open is carried (the newest per watched server) or closed at its best-known end. */
class ResumeEpisodesServiceTest {
    static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    final MonitoredServer mem = aServer().named("mem").every(Duration.ofSeconds(1)).build();
    final MonitoredServer gone = aServer().named("gone").every(Duration.ofSeconds(1)).build();

    @Test
    void theNewestOpenEpisodeOfAWatchedServerIsCarriedAndTheRestClosedAtTheirLastSighting() {
        InMemoryOpenEpisodes open = new InMemoryOpenEpisodes();
        Instant first = NOW.minus(Duration.ofHours(5));
        Instant second = NOW.minus(Duration.ofHours(2));
        open.recorded(Failure.open(mem, FailureType.TIMEOUT, "monitor", "no answer", first));
        open.recorded(Failure.open(gone, FailureType.CONNECTION_ERROR, "monitor", "refused", first));
        open.recorded(Failure.open(mem, FailureType.CONNECTION_ERROR, "monitor", "exited", second));
        open.saved(Alert.raise(mem.id(), AlertSeverity.CRITICAL, "mem is critical", first));
        open.saved(Alert.raise(mem.id(), AlertSeverity.CRITICAL, "mem is critical", second));
        open.probed(mem.id(), first.plusSeconds(30));
        open.probed(gone.id(), first.plusSeconds(20));
        open.probed(mem.id(), second.plusSeconds(50));
        InMemoryFailureStore failures = new InMemoryFailureStore();
        List<Alert> alerts = new ArrayList<>();
        TestClock clock = new TestClock(NOW);
        Monitoring monitor = new Monitoring(new FixedCatalog(mem), new ScriptedProbe(clock),
                new InMemoryMetricStore(), failures, alerts::addAll, s -> { }, e -> { }, clock,
                MonitoringSettings.defaults());

        ResumeEpisodesUseCase.Resumed r = new ResumeEpisodesService(open, failures, alerts::addAll, monitor.episodes(), clock)
                .resume();

        assertEquals(new ResumeEpisodesUseCase.Resumed(2, 3), r);
        Failure oldMem = failures.rows().stream().filter(f -> f.occurredAt().equals(first)
                && f.serverInstance().equals(mem.id())).findFirst().orElseThrow();
        assertEquals(Optional.of(Duration.ofSeconds(30)), oldMem.resolutionTime(),
                "its last probe before the next episode began");
        assertTrue(oldMem.errorDetails().contains("a later episode of it was opened"), oldMem.errorDetails());
        Failure ofGone = failures.rows().stream().filter(f -> f.serverInstance().equals(gone.id())).findFirst()
                .orElseThrow();
        assertEquals(Optional.of(Duration.ofSeconds(20)), ofGone.resolutionTime());
        assertTrue(ofGone.errorDetails().contains("no longer watched"), ofGone.errorDetails());
        assertEquals(1, alerts.size(), "the older alert is closed; the newer is carried");
        assertEquals(Optional.of(first.plusSeconds(30)), alerts.get(0).resolvedAt());
        assertEquals(2, failures.rows().size(), "the carried episode is not written until it is decided");
    }

    @Test
    void aMemberOfAClusterResumesOnlyItsOwnServersAndLeavesTheOthersOpen() {
        InMemoryOpenEpisodes open = new InMemoryOpenEpisodes();
        Instant down = NOW.minus(Duration.ofMinutes(10));
        open.recorded(Failure.open(mem, FailureType.TIMEOUT, "monitor", "no answer", down));
        open.recorded(Failure.open(gone, FailureType.CONNECTION_ERROR, "monitor", "refused", down));
        open.saved(Alert.raise(gone.id(), AlertSeverity.CRITICAL, "gone is critical", down));
        open.probed(mem.id(), down.plusSeconds(5));
        InMemoryFailureStore failures = new InMemoryFailureStore();
        List<Alert> alerts = new ArrayList<>();
        TestClock clock = new TestClock(NOW);
        Monitoring monitor = new Monitoring(new FixedCatalog(mem, gone), new ScriptedProbe(clock),
                new InMemoryMetricStore(), failures, alerts::addAll, s -> { }, e -> { }, clock,
                MonitoringSettings.defaults());

        ResumeEpisodesUseCase.Resumed r = new ResumeEpisodesService(open, failures, alerts::addAll,
                monitor.episodes(), clock).resume(mem.id()::equals);

        assertEquals(new ResumeEpisodesUseCase.Resumed(1, 0), r, "its own server's episode carried");
        assertEquals(List.of(), failures.rows(), "another member's server's episode is neither closed nor rewritten");
        assertEquals(List.of(), alerts, "nor its alert");
    }

    @Test
    void aColdStandbyInstancesOpenEpisodeIsClosedAtItsLastSightingNotCarried() {
        InMemoryOpenEpisodes open = new InMemoryOpenEpisodes();
        Instant down = NOW.minus(Duration.ofHours(1));
        open.recorded(Failure.open(gone, FailureType.TIMEOUT, "monitor", "no answer", down));
        open.saved(Alert.raise(gone.id(), AlertSeverity.CRITICAL, "gone is critical", down));
        open.probed(gone.id(), down.plusSeconds(40));
        InMemoryFailureStore failures = new InMemoryFailureStore();
        List<Alert> alerts = new ArrayList<>();
        TestClock clock = new TestClock(NOW);
        FixedCatalog catalog = new FixedCatalog(mem, gone);
        ScriptedProbe probes = new ScriptedProbe(clock);
        Monitoring monitor = new Monitoring(catalog, probes, new InMemoryMetricStore(), failures, alerts::addAll,
                s -> { }, changes -> { }, e -> { }, clock, MonitoringSettings.defaults(),
                Optional.<dev.mcphealth.application.recovery.RecoveryService>empty(),
                dev.mcphealth.application.port.out.ProbeProfileStorePort.NONE,
                new dev.mcphealth.application.catalog.StandbyRegistry(List.of(gone.id()), NOW));

        ResumeEpisodesUseCase.Resumed r = new ResumeEpisodesService(open, failures, alerts::addAll,
                monitor.episodes(), clock).resume();

        assertEquals(new ResumeEpisodesUseCase.Resumed(0, 2), r, "nothing carried: no probe would ever end it");
        Failure f = failures.rows().get(0);
        assertEquals(Optional.of(Duration.ofSeconds(40)), f.resolutionTime());
        assertTrue(f.errorDetails().contains("a standby instance, out of service in this run"), f.errorDetails());
        assertEquals(Optional.of(down.plusSeconds(40)), alerts.get(0).resolvedAt());
    }
}
