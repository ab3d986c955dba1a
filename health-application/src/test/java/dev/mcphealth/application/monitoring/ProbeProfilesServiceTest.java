package dev.mcphealth.application.monitoring;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.out.ProbeProfileStorePort;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.application.testkit.FixedCatalog;
import dev.mcphealth.application.testkit.TestClock;
import dev.mcphealth.domain.learning.UsageProfile;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.prediction.Seasonality;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** Each server's probe-latency profile: learned from its probes a minute at a time, restored first, saved. */
class ProbeProfilesServiceTest {
    private static final Instant MONDAY_9 = Instant.parse("2026-11-30T09:00:00Z");
    private final MonitoredServer mem = aServer().named("mem").every(Duration.ofSeconds(1)).build();
    private final MonitoredServer fresh = aServer().named("fresh").every(Duration.ofSeconds(1)).build();
    private final TestClock clock = new TestClock(MONDAY_9.plus(Duration.ofDays(7)));
    private final MonitorState state = new MonitorState(new FixedCatalog(mem, fresh), e -> { }, clock,
            MonitoringSettings.defaults(), dev.mcphealth.application.catalog.StandbyInstances.NONE,
            dev.mcphealth.application.port.out.WorkSharePort.ALL);

    /** Test double of the probe profile store: keeps the last state of each server's; can be made to fail. */
    static final class MemoryStore implements ProbeProfileStorePort {
        final Map<ServerId, StoredProbeProfile> stored = new LinkedHashMap<>();
        boolean down;

        @Override
        public List<StoredProbeProfile> load() {
            if (down) {
                throw new StorageUnavailableException("the test's store is down", null);
            }
            return new ArrayList<>(stored.values());
        }

        @Override
        public void save(List<StoredProbeProfile> profiles) {
            if (down) {
                throw new StorageUnavailableException("the test's store is down", null);
            }
            profiles.forEach(p -> stored.put(p.server(), p));
        }
    }

    /** Forty minutes of Monday 09:00 at 100 ms, as an earlier run learned and stored them. */
    private static ProbeProfileStorePort.StoredProbeProfile lastWeek(ServerId server) {
        UsageProfile p = new UsageProfile();
        for (int m = 0; m < 40; m++) {
            p.observe(MONDAY_9.plus(Duration.ofMinutes(m)), ZoneOffset.UTC, new UsageProfile.Minute(60, 0,
                    OptionalDouble.of(100 + m % 5), OptionalDouble.of(150)));
        }
        return new ProbeProfileStorePort.StoredProbeProfile(server, MONDAY_9.plus(Duration.ofMinutes(39)), p.cells());
    }

    /** A probe a second of {@code server} from the clock's time for {@code seconds}, at {@code ms}. */
    private void probes(MonitoredServer server, int seconds, double ms) {
        for (int i = 0; i < seconds; i++) {
            state.monitor(server.id()).probeProfile.sample(clock.instant(), ms);
            clock.advance(Duration.ofSeconds(1));
        }
    }

    @Test
    void aStoredProfileIsRestoredBeforeLearningAndIsTheSeasonalityOfItsForecasts() {
        MemoryStore store = new MemoryStore();
        store.stored.put(mem.id(), lastWeek(mem.id()));
        ProbeProfilesService service = new ProbeProfilesService(state, store);

        assertEquals(Optional.empty(), service.keep(false));

        Seasonality.Band band = state.monitor(mem.id()).probeProfile.usual(MONDAY_9.plus(Duration.ofDays(7))
                .plus(Duration.ofMinutes(20))).orElseThrow();
        assertTrue(band.low() < 100 && band.high() > 104 && band.high() < 200, "last week's 09:00: " + band);
        assertEquals(Optional.empty(), state.monitor(fresh.id()).probeProfile.usual(clock.instant()),
                "a server never seen has nothing usual");
    }

    @Test
    void itLearnsEachMinuteFromTheProbesAndSavesAtTheStopWhatItLearned() {
        MemoryStore store = new MemoryStore();
        ProbeProfilesService service = new ProbeProfilesService(state, store);
        service.keep(false);

        probes(fresh, 150, 80); // 09:00:00 .. 09:02:29: two whole minutes, the third under way
        assertEquals(Optional.empty(), service.keep(true));

        ProbeProfileStorePort.StoredProbeProfile saved = store.stored.get(fresh.id());
        assertEquals(MONDAY_9.plus(Duration.ofDays(7)).plus(Duration.ofMinutes(1)), saved.learnedUpTo(),
                "the last whole minute");
        UsageProfile p = UsageProfile.restore(saved.cells());
        assertEquals(2, p.minutes());
        assertTrue(store.stored.get(mem.id()) == null, "nothing learned, nothing written");
    }

    @Test
    void whileTheStoreCannotBeReadNothingIsLearnedAndOnceItCanTheStoredWeeksAreKept() {
        MemoryStore store = new MemoryStore();
        store.stored.put(mem.id(), lastWeek(mem.id()));
        store.down = true;
        ProbeProfilesService service = new ProbeProfilesService(state, store);

        assertTrue(service.keep(false).orElseThrow().contains("not read (nothing learned until they are)"));
        probes(mem, 130, 300);
        assertEquals(Optional.empty(), state.monitor(mem.id()).probeProfile.changed(), "learned nothing");

        store.down = false;
        assertEquals(Optional.empty(), service.keep(false));
        probes(mem, 130, 100);
        service.keep(true);
        assertEquals(40 + 2, UsageProfile.restore(store.stored.get(mem.id()).cells()).minutes(),
                "last week's forty minutes and two more, none of the minutes before the restore");
    }
}
