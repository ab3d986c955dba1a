package dev.mcphealth.application.monitoring;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.testkit.FixedCatalog;
import dev.mcphealth.application.testkit.InMemoryFailureStore;
import dev.mcphealth.application.testkit.InMemoryMetricStore;
import dev.mcphealth.application.testkit.ScriptedProbe;
import dev.mcphealth.application.testkit.TestClock;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.StatusSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The status board is written a share at a time: all of it at the first flush, then at each flush the servers whose
 * status changed and a fifth of the others in turn, so that every row is at most {@link
 * FlushMonitoringService#STATUS_EVERY} old and no flush writes every server's row.
 */
class StatusSlicesTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    @Test
    void everyServerIsWrittenEveryFiveFlushesAShareAtATimeAndAChangeAtTheNextFlush() {
        TestClock clock = new TestClock(Instant.parse("2026-12-07T01:00:00Z"));
        ScriptedProbe probe = new ScriptedProbe(clock);
        List<MonitoredServer> servers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            servers.add(aServer().named("s" + i).every(SECOND).build());
            probe.answers("s" + i, 5);
        }
        List<List<StatusSnapshot>> saves = new ArrayList<>();
        List<MonitorEvent> changes = new ArrayList<>();
        Monitoring monitoring = new Monitoring(new FixedCatalog(servers.toArray(MonitoredServer[]::new)), probe,
                new InMemoryMetricStore(), new InMemoryFailureStore(), alerts -> { }, saves::add, e -> {
                    if (e instanceof MonitorEvent.StatusChanged c && c.server().value().equals("s7")) {
                        changes.add(e);
                    }
                }, clock,
                MonitoringSettings.defaults());

        monitoring.schedule().run();
        clock.advance(SECOND);
        assertEquals(41, saves.get(0).size(), "the first flush writes every server and the monitor's own row");

        Set<ServerId> written = new HashSet<>();
        for (int flush = 1; flush <= 5; flush++) {
            monitoring.schedule().run();
            clock.advance(SECOND);
            List<StatusSnapshot> batch = saves.get(flush);
            assertTrue(batch.size() < 41 / 2, "flush " + flush + " wrote " + batch.size() + " rows");
            batch.forEach(s -> written.add(s.server()));
        }
        servers.forEach(s -> assertTrue(written.contains(s.id()), s.id() + " written within five flushes"));

        // a server whose status changes is written by the flush of the round that changed it, whatever its share
        probe.fails("s7", FailureType.CONNECTION_ERROR);
        for (int round = 0; round < 10; round++) {
            int before = saves.size();
            int changesBefore = changes.size();
            monitoring.schedule().run();
            clock.advance(SECOND);
            if (changes.size() > changesBefore) {
                assertTrue(saves.get(before).stream().anyMatch(x -> x.server().value().equals("s7")
                        && x.status().isPresent() && !x.status().get().code().equals("healthy")),
                        "s7's new status written by the same round's flush");
                assertTrue(saves.get(before).size() < 41 / 2, "with its share only, not every row: "
                        + saves.get(before).size());
                return;
            }
        }
        throw new AssertionError("s7's change of status was never written");
    }
}
