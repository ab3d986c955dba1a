package dev.mcphealth.application.monitoring;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.catalog.StandbyInstances;
import dev.mcphealth.application.port.out.ProbeProfileStorePort;
import dev.mcphealth.application.recovery.RecoveryService;
import dev.mcphealth.application.testkit.FixedCatalog;
import dev.mcphealth.application.testkit.InMemoryFailureStore;
import dev.mcphealth.application.testkit.InMemoryMetricStore;
import dev.mcphealth.application.testkit.InMemoryOpenEpisodes;
import dev.mcphealth.application.testkit.ScriptedProbe;
import dev.mcphealth.application.testkit.TestClock;
import dev.mcphealth.domain.model.Alert;
import dev.mcphealth.domain.model.AlertSeverity;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * A server coming into a cluster member's share mid-episode, as the previous holder left it in the database: the new
 * holder continues what it finds there and makes up for what the old holder could not write (its rows refused once it
 * had lost the lease), so each episode still has one failure row and one alert.
 */
class ServerShareServiceTest {
    static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    static final Duration SECOND = Duration.ofSeconds(1);
    final MonitoredServer flaky = aServer().named("flaky").every(SECOND).build();
    final InMemoryOpenEpisodes open = new InMemoryOpenEpisodes();
    final InMemoryFailureStore failures = new InMemoryFailureStore();
    final Map<String, Alert> alerts = new LinkedHashMap<>();
    final List<MonitorEvent> events = new ArrayList<>();
    final Set<ServerId> held = ConcurrentHashMap.newKeySet();
    final TestClock clock = new TestClock(NOW);
    final ScriptedProbe probe = new ScriptedProbe(clock);
    final Monitoring monitor = new Monitoring(new FixedCatalog(flaky), probe, new InMemoryMetricStore(), failures,
            batch -> batch.forEach(a -> alerts.put(a.id(), a)), s -> { }, changes -> { }, events::add, clock,
            MonitoringSettings.defaults(), Optional.<RecoveryService>empty(), ProbeProfileStorePort.NONE,
            StandbyInstances.NONE, held::contains, open, Optional.empty());

    @Test
    void anEpisodeWhoseAlertTheOldHolderCouldNotWriteGetsItsAlertFromTheNewHolder() {
        Instant down = NOW.minusSeconds(8);
        open.recorded(Failure.open(flaky, FailureType.CONNECTION_ERROR, "monitor", "refused", down));
        open.probed(flaky.id(), NOW.minusSeconds(3));
        // the old holder raised its alert, but the fence refused the row: the database has the failure alone

        held.add(flaky.id());
        assertTrue(monitor.share().adopted(flaky.id()), "the open failure episode is carried on");
        probe.fails("flaky", FailureType.CONNECTION_ERROR);
        rounds(3);

        assertEquals(1, alerts.size(), "the episode's alert, raised by the new holder: " + alerts.values());
        Alert raised = alerts.values().iterator().next();
        assertTrue(raised.resolvedAt().isEmpty());
        assertEquals(List.of(), failures.rows().stream().filter(f -> !f.occurredAt().equals(down)).toList(),
                "no second failure episode: the carried one goes on");

        probe.answers("flaky", 5);
        rounds(8);

        assertEquals(1, alerts.size(), "still one alert: " + alerts.values());
        assertTrue(alerts.get(raised.id()).resolvedAt().isPresent(), "resolved once healthy");
        assertEquals(1, failures.rows().size(), "one failure row, the carried episode's: " + failures.rows());
        assertEquals(down, failures.rows().get(0).occurredAt());
        assertTrue(failures.rows().get(0).resolutionTime().isPresent(), "and it is closed");
    }

    @Test
    void anEpisodeWithItsAlertInTheDatabaseIsContinuedWithoutASecondAlert() {
        Instant down = NOW.minusSeconds(8);
        Alert old = Alert.raise(flaky.id(), AlertSeverity.CRITICAL, "flaky is critical", down);
        open.recorded(Failure.open(flaky, FailureType.TIMEOUT, "monitor", "no answer", down));
        open.saved(old);
        open.probed(flaky.id(), NOW.minusSeconds(2));

        held.add(flaky.id());
        assertTrue(monitor.share().adopted(flaky.id()));
        probe.fails("flaky", FailureType.TIMEOUT);
        rounds(3);
        probe.answers("flaky", 5);
        rounds(8);

        assertEquals(List.of(old.id()), List.copyOf(alerts.keySet()), "the old holder's alert, and no other");
        assertTrue(alerts.get(old.id()).resolvedAt().isPresent());
        assertEquals(0, events.stream().filter(MonitorEvent.AlertRaised.class::isInstance).count(),
                "no alert raised again for the episode");
        assertEquals(1, failures.rows().size(), failures.rows().toString());
        assertTrue(failures.rows().get(0).resolutionTime().isPresent());
    }

    private void rounds(int seconds) {
        for (int i = 0; i < seconds; i++) {
            monitor.schedule().run();
            clock.advance(SECOND);
        }
    }
}
