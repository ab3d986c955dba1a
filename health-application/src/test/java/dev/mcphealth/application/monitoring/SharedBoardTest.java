package dev.mcphealth.application.monitoring;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.out.HealthHistoryPort;
import dev.mcphealth.application.port.out.OpenEpisodesPort;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.application.testkit.FixedCatalog;
import dev.mcphealth.application.testkit.InMemoryFailureStore;
import dev.mcphealth.application.testkit.InMemoryMetricStore;
import dev.mcphealth.application.testkit.ScriptedProbe;
import dev.mcphealth.application.testkit.TestClock;
import dev.mcphealth.domain.history.HistoryReport;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.StatusSnapshot;
import dev.mcphealth.domain.model.Uptime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * One of several monitors sharing a database: its board shows the servers another member holds as that member last
 * stored them (read by the flush, never by a reader of the board), marked {@code heldElsewhere}; what it stores is its
 * own servers only.
 */
class SharedBoardTest {
    static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    final MonitoredServer mine = aServer().named("mine").every(Duration.ofSeconds(1)).build();
    final MonitoredServer theirs = aServer().named("theirs").every(Duration.ofSeconds(1)).build();

    private StatusSnapshot stored(MonitoredServer s, HealthStatus status) {
        return new StatusSnapshot(s.id(), s.type(), Optional.of(status), Optional.of(NOW.minusSeconds(300)),
                List.of(), 40, 40, Uptime.NONE, 0.999, Optional.empty(), Optional.empty(), NOW.minusSeconds(3),
                Map.of("breaker", "closed"));
    }

    @Test
    void theOthersServersAreShownAsTheyStoredThemAndOnlyItsOwnAreStored() {
        TestClock clock = new TestClock(NOW);
        List<List<StatusSnapshot>> saved = new ArrayList<>();
        int[] reads = {0};
        boolean[] away = {false};
        HealthHistoryPort db = new HealthHistoryPort() {
            @Override
            public List<StatusSnapshot> statuses() {
                reads[0]++;
                if (away[0]) {
                    throw new StorageUnavailableException("cannot read statuses: the database is away", null);
                }
                return List.of(stored(mine, HealthStatus.OFFLINE), stored(theirs, HealthStatus.HEALTHY));
            }

            @Override
            public List<ServerId> recorded() {
                throw new AssertionError("not read");
            }

            @Override
            public boolean recorded(ServerId server) {
                throw new AssertionError("not read");
            }

            @Override
            public HistoryReport history(ServerId server, Instant since, Instant until) {
                throw new AssertionError("not read");
            }
        };
        ScriptedProbe probes = new ScriptedProbe(clock);
        Monitoring monitor = new Monitoring(new FixedCatalog(mine, theirs), probes, new InMemoryMetricStore(),
                new InMemoryFailureStore(), alerts -> { }, saved::add, changes -> { }, e -> { }, clock,
                MonitoringSettings.defaults(), Optional.<dev.mcphealth.application.recovery.RecoveryService>empty(),
                dev.mcphealth.application.port.out.ProbeProfileStorePort.NONE,
                dev.mcphealth.application.catalog.StandbyInstances.NONE, id -> id.equals(mine.id()),
                OpenEpisodesPort.NONE, Optional.of(db));
        assertEquals(Optional.empty(), status(monitor, theirs), "not read before the first flush");

        monitor.schedule().run(); // probes what it holds (mine)
        monitor.flusher().flush();
        assertEquals(1, reads[0], "read once, by the flush");
        StatusSnapshot shown = row(monitor, theirs);
        assertEquals(Optional.of(HealthStatus.HEALTHY), shown.status(), "as its holder stored it");
        assertEquals("true", shown.details().get("heldElsewhere"));
        assertEquals(NOW.minusSeconds(3), shown.updatedAt(), "with when its holder stored it");
        assertEquals(Optional.of(HealthStatus.HEALTHY), status(monitor, mine), "its own as it probed it, not"
                + " as the database had it");
        assertTrue(row(monitor, mine).details().get("heldElsewhere") == null);
        for (StatusSnapshot s : saved.get(saved.size() - 1)) {
            assertTrue(!s.server().equals(theirs.id()), "another member's server is not stored by this one");
        }
        monitor.board().snapshot();
        monitor.board().snapshot();
        assertEquals(1, reads[0], "reading the board reads no database");

        dev.mcphealth.domain.routing.InstanceView routed = monitor.board().view(theirs.id(), false,
                dev.mcphealth.domain.model.BreakerState.CLOSED);
        assertEquals(Optional.of(HealthStatus.HEALTHY), routed.status(), "the router sees it as its holder does");
        assertEquals(Optional.of(NOW.minusSeconds(300)), routed.statusSince());

        away[0] = true;
        clock.advance(Duration.ofSeconds(6));
        monitor.schedule().run();
        monitor.flusher().flush();
        assertEquals(Optional.of(HealthStatus.HEALTHY), status(monitor, theirs), "kept while the database is away");
        clock.advance(Duration.ofMinutes(5));
        assertEquals(Optional.of(HealthStatus.HEALTHY), monitor.board().view(theirs.id(), false,
                dev.mcphealth.domain.model.BreakerState.CLOSED).status(), "routed by what its holder last said");
    }

    private static StatusSnapshot row(Monitoring m, MonitoredServer s) {
        return m.board().snapshot().stream().filter(x -> x.server().equals(s.id())).findFirst().orElseThrow();
    }

    private static Optional<HealthStatus> status(Monitoring m, MonitoredServer s) {
        return row(m, s).status();
    }
}
