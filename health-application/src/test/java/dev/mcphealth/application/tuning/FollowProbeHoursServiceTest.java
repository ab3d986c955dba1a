package dev.mcphealth.application.tuning;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.catalog.LiveServerCatalog;
import dev.mcphealth.application.monitoring.Monitoring;
import dev.mcphealth.application.monitoring.MonitoringSettings;
import dev.mcphealth.application.port.in.ApplyTuningUseCase;
import dev.mcphealth.application.port.in.FollowProbeHoursUseCase.Retimed;
import dev.mcphealth.application.port.in.ReadUsageProfilesUseCase;
import dev.mcphealth.application.testkit.FakeBreakers;
import dev.mcphealth.application.testkit.FixedCatalog;
import dev.mcphealth.application.testkit.InMemoryFailureStore;
import dev.mcphealth.application.testkit.InMemoryMetricStore;
import dev.mcphealth.application.testkit.ScriptedProbe;
import dev.mcphealth.application.testkit.TestClock;
import dev.mcphealth.domain.learning.HourOfWeek;
import dev.mcphealth.domain.learning.UsageProfile;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.routing.BreakerSettings;
import dev.mcphealth.domain.tuning.TuningAdvice.Recommendation;
import dev.mcphealth.domain.tuning.TuningAdvice.Setting;
import dev.mcphealth.domain.tuning.TuningAdvice.Value;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The monitor following the probe hours, built of the real services over fakes and a test clock: a server of a type
 * whose nights are idle is probed every 40 s at night once it is healthy, as configured from the hour before work,
 * and at once when it stops answering; an interval the optimizer applied is left alone while on trial and is the base
 * after.
 */
class FollowProbeHoursServiceTest {
    /** Monday 02:00 UTC: a night hour. */
    private static final Instant NIGHT = Instant.parse("2026-12-07T02:00:00Z");
    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);
    private static final MonitoredServer SEARCH = aServer().named("search-1").ofType("search").every(TEN_SECONDS)
            .build();
    private static final ServerId ID = SEARCH.id();

    private final TestClock clock = new TestClock(NIGHT);
    private final ScriptedProbe probe = new ScriptedProbe(clock).answers("search-1", 40);
    private final LiveServerCatalog catalog = new LiveServerCatalog(new FixedCatalog(SEARCH));
    private final Monitoring monitor = new Monitoring(catalog, probe, new InMemoryMetricStore(),
            new InMemoryFailureStore(), alerts -> { }, statuses -> { }, events -> { }, clock,
            MonitoringSettings.defaults());
    private final ApplyTuningService tuning = new ApplyTuningService(catalog, monitor.schedule(),
            new FakeBreakers(clock, BreakerSettings.DEFAULTS), monitor.board(), e -> { },
            dev.mcphealth.application.port.out.TrialStorePort.NONE, Duration.ofMinutes(15), clock);
    private final FollowProbeHoursService service = new FollowProbeHoursService(catalog, monitor.schedule(),
            monitor.board(), tuning, profiles(learned()), clock, ZoneOffset.UTC);
    private final List<Retimed> retimed = new ArrayList<>();

    /** A week of the search type: weekdays 09:00-16:59 at 12 calls a minute, every other hour idle. */
    private static UsageProfile learned() {
        UsageProfile p = new UsageProfile();
        Instant from = NIGHT.minus(Duration.ofHours(2)).minus(Duration.ofDays(7));
        for (int m = 0; m < 7 * 24 * 60; m++) {
            Instant t = from.plus(Duration.ofMinutes(m));
            HourOfWeek h = HourOfWeek.of(t, ZoneOffset.UTC);
            boolean busy = h.index() / 24 < 5 && h.hourOfDay() >= 9 && h.hourOfDay() < 17;
            p.observe(t, ZoneOffset.UTC, busy ? new UsageProfile.Minute(12, 0, OptionalDouble.of(20),
                    OptionalDouble.of(40)) : UsageProfile.Minute.idle());
        }
        return p;
    }

    private static ReadUsageProfilesUseCase profiles(UsageProfile search) {
        return new ReadUsageProfilesUseCase() {
            @Override
            public List<ProfileNow> profiles(Set<ServerType> types) {
                return List.of();
            }

            @Override
            public Map<ServerType, UsageProfile> learnedTypes() {
                return Map.of(ServerType.of("search"), search);
            }
        };
    }

    /** Runs the monitor for {@code length}, a second at a time, following the hours after each flush. */
    private void run(Duration length) {
        Instant until = clock.instant().plus(length);
        while (clock.instant().isBefore(until)) {
            clock.advance(Duration.ofSeconds(1));
            monitor.schedule().run();
            retimed.addAll(service.follow());
            tuning.judgeDue();
        }
    }

    private Duration interval() {
        return monitor.schedule().plan().stream().filter(e -> e.server().equals(ID)).findFirst().orElseThrow()
                .interval();
    }

    @Test
    void anIdleHourStretchesAHealthyServerAndTheHourBeforeWorkSetsItBack() {
        assertEquals(List.of(), service.follow(), "not seen yet: as configured");
        run(Duration.ofSeconds(30));
        assertEquals(Duration.ofSeconds(40), interval(), "healthy at night: every 40 s");
        Retimed r = retimed.get(0);
        assertEquals(TEN_SECONDS, r.from());
        assertTrue(r.why().startsWith("Mon 02:00 usually sees 0.000 calls a minute (60 minutes learned) and Mon 03:00"),
                r.why());

        long probesBefore = probe.probes("search-1");
        run(Duration.ofHours(1));
        long atNight = probe.probes("search-1") - probesBefore;
        assertTrue(atNight >= 88 && atNight <= 92, "an hour at 40 s: " + atNight + " probes, not 360");

        clock.advance(Duration.between(clock.instant(), Instant.parse("2026-12-07T07:59:30Z")));
        run(Duration.ofSeconds(31));
        assertEquals(TEN_SECONDS, interval(), "08:00, the hour before work: as configured");
        assertTrue(retimed.get(retimed.size() - 1).why().contains("Mon 09:00 12.0"), retimed.toString());
    }

    @Test
    void aServerThatStopsAnsweringIsProbedAsConfiguredAtOnce() {
        run(Duration.ofSeconds(30));
        assertEquals(Duration.ofSeconds(40), interval());
        probe.fails("search-1", FailureType.TIMEOUT);
        run(Duration.ofSeconds(45));
        assertEquals(TEN_SECONDS, interval());
        Retimed back = retimed.get(retimed.size() - 1);
        assertTrue(back.why().startsWith("it is ") && back.why().contains("probed at its interval in force until it is healthy again"),
                back.why());
        probe.answers("search-1", 40);
        run(Duration.ofMinutes(2));
        assertEquals(Duration.ofSeconds(40), interval(), "healthy again: stretched again");
    }

    @Test
    void theOptimizerSeesAndChangesTheIntervalInForceNotTheStretchOverIt() {
        run(Duration.ofSeconds(30));
        assertEquals(Duration.ofSeconds(40), interval());
        assertEquals(TEN_SECONDS, base(), "the interval in force is still 10 s");
        ApplyTuningUseCase.Result applied = tuning.apply(new ApplyTuningUseCase.Command(List.of(
                Recommendation.change(ID, Setting.PROBE_INTERVAL, new Value.Time(TEN_SECONDS),
                        new Value.Time(Duration.ofSeconds(20)), "asked for", "a test"))));
        assertEquals(1, applied.applied().size(), applied.toString());
        run(Duration.ofSeconds(2));
        assertEquals(Duration.ofSeconds(20), interval(), "on trial: probed at it, not stretched");
        assertTrue(retimed.get(retimed.size() - 1).why().contains("on trial"), retimed.toString());
        run(Duration.ofMinutes(14));
        assertEquals(Duration.ofSeconds(20), interval());
        run(Duration.ofMinutes(2));
        assertEquals(Duration.ofSeconds(80), interval(), "kept, then stretched from it: 4 x 20 s");
        assertEquals(Duration.ofSeconds(20), base());
    }

    @Test
    void aRollbackSetsTheIntervalInForceBackNotAStretch() {
        run(Duration.ofMinutes(15)); // a window before the change with probes enough to judge it
        tuning.apply(new ApplyTuningUseCase.Command(List.of(Recommendation.change(ID, Setting.PROBE_INTERVAL,
                new Value.Time(TEN_SECONDS), new Value.Time(Duration.ofSeconds(20)), "asked for", "a test"))));
        probe.fails("search-1", FailureType.TIMEOUT); // worse after the change: rolled back
        run(Duration.ofMinutes(15).plusSeconds(5));
        assertEquals(TEN_SECONDS, base(), "rolled back to the interval in force before it, 10 s, not the 40 s stretch");
        probe.answers("search-1", 40);
        run(Duration.ofMinutes(2));
        assertEquals(Duration.ofSeconds(40), interval(), "healthy again at night: stretched from 10 s");
    }

    private Duration base() {
        return monitor.schedule().plan().stream().filter(e -> e.server().equals(ID)).findFirst().orElseThrow()
                .base();
    }
}
