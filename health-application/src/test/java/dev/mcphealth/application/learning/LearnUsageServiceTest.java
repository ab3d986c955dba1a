package dev.mcphealth.application.learning;

import dev.mcphealth.application.port.in.LearnUsageUseCase;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.application.port.out.UsageProfileStorePort;
import dev.mcphealth.application.testkit.TestClock;
import dev.mcphealth.domain.learning.AnomalyEpisode;
import dev.mcphealth.domain.learning.DemandTrend;
import dev.mcphealth.domain.learning.HourOfWeek;
import dev.mcphealth.domain.learning.UsageProfile;
import dev.mcphealth.domain.model.AnomalyRaised;
import dev.mcphealth.domain.model.AnomalyResolved;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.UsageFigure;
import dev.mcphealth.domain.routing.ToolUsage;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Profiles learned from the flush's windows on a test clock, kept in a store double across a restart. */
class LearnUsageServiceTest {
    private static final Instant START = Instant.parse("2026-11-30T09:00:30Z"); // a Monday, half a minute in
    private static final ServerType SEARCH = ServerType.of("search");
    private static final Duration MINUTE = Duration.ofMinutes(1);

    /** Test double of the profile store: keeps the last state of each profile; can be made to fail. */
    static final class MemoryStore implements UsageProfileStorePort {
        final Map<String, StoredProfile> stored = new LinkedHashMap<>();
        final Map<String, AnomalyEpisode> anomalies = new LinkedHashMap<>();
        boolean down;
        int saves;

        @Override
        public List<StoredProfile> loadProfiles() {
            if (down) {
                throw new StorageUnavailableException("the test's store is down", null);
            }
            return new ArrayList<>(stored.values());
        }

        @Override
        public void saveProfiles(List<StoredProfile> profiles) {
            if (down) {
                throw new StorageUnavailableException("the test's store is down", null);
            }
            saves++;
            profiles.forEach(p -> stored.put(p.serverType().value() + "/" + p.tool(), p));
        }

        @Override
        public void saveAnomalies(List<AnomalyEpisode> anomalies) {
            if (down) {
                throw new StorageUnavailableException("the test's store is down", null);
            }
            anomalies.forEach(a -> this.anomalies.put(key(a.raised()), a));
        }

        @Override
        public int closeOpenAnomalies(Instant at) {
            if (down) {
                throw new StorageUnavailableException("the test's store is down", null);
            }
            int closed = 0;
            for (Map.Entry<String, AnomalyEpisode> e : anomalies.entrySet()) {
                if (e.getValue().over().isEmpty()) {
                    e.setValue(new AnomalyEpisode(e.getValue().raised(), java.util.Optional.of(at), false));
                    closed++;
                }
            }
            return closed;
        }

        @Override
        public List<AnomalyEpisode> anomalies(Instant since) {
            return anomalies.values().stream().filter(a -> !a.raised().at().isBefore(since)).toList();
        }

        private static String key(AnomalyRaised r) {
            return r.serverType() + "/" + r.tool().orElse("") + "/" + r.figure() + "/" + r.at();
        }

        UsageProfile profile(String key) {
            return UsageProfile.restore(stored.get(key).cells());
        }

        /** How many minutes the profile learned: the weight of its all-hours rate estimate. */
        double minutes(String key) {
            return stored.get(key).cells().stream().filter(c -> c.slot() == UsageProfile.SLOTS - 1
                    && c.figure() == UsageFigure.RATE).findFirst().orElseThrow().weight();
        }
    }

    private final TestClock clock = new TestClock(START);
    private final MemoryStore store = new MemoryStore();
    private final List<MonitorEvent> events = new ArrayList<>();

    private LearnUsageService service() {
        return new LearnUsageService(store, events::add, clock, ZoneOffset.UTC);
    }

    /**
     * Learns {@code hours} of steady traffic (20 calls a minute, give or take 2, at 40 ms) an hour at a time, from the
     * clock's minute on; the clock ends half a minute into the next hour's first minute.
     */
    private void steady(LearnUsageService learn, int hours) {
        for (int h = 0; h < hours; h++) {
            Instant from = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
            List<ToolUsage> windows = new ArrayList<>();
            for (int m = 0; m < 60; m++) {
                windows.add(window("find", from.plus(MINUTE.multipliedBy(m)), 18 + (m * 7) % 5, 0, 40 + m % 3));
            }
            clock.advance(Duration.ofHours(1));
            learn.learn(windows, false);
        }
    }

    private static ToolUsage window(String tool, Instant from, long calls, long failures, double p50) {
        return new ToolUsage(SEARCH, tool, from, MINUTE, calls, failures, OptionalDouble.of(p50),
                OptionalDouble.of(p50 * 2), OptionalDouble.of(p50 * 3), OptionalDouble.of(p50 * 1.25));
    }

    private static Instant minute(int n) {
        return Instant.parse("2026-11-30T09:00:00Z").plus(MINUTE.multipliedBy(n));
    }

    @Test
    void windowsAndTheIdleMinutesBetweenAreLearnedPerToolAndPerTypeAndSavedAtTheStop() {
        LearnUsageService learn = service();
        learn.learn(List.of(), false); // the first flush: this run's first whole minute is 09:01
        clock.advance(Duration.ofMinutes(3)); // 09:03:30: the windows of 09:01 and 09:02 have ended
        LearnUsageUseCase.Learned l = learn.learn(List.of(window("find", minute(1), 30, 3, 40),
                window("fetch", minute(1), 10, 0, 200)), false);
        assertEquals(3, l.profiles(), "find, fetch and the type");
        clock.advance(Duration.ofMinutes(10)); // 09:13:30: nothing called since 09:02
        learn.learn(List.of(window("find", minute(12), 6, 0, 40)), true);

        assertEquals(12, store.minutes("search/find"), "09:01 .. 09:12, the idle ten among them");
        assertEquals(12, store.minutes("search/fetch"));
        assertEquals(12, store.minutes("search/"));
        UsageProfile type = store.profile("search/");
        UsageProfile.Expectation errors = type.expected(new HourOfWeek(9), UsageFigure.ERRORS).orElseThrow();
        assertEquals(Instant.parse("2026-11-30T09:12:00Z"), store.stored.get("search/find").learnedUpTo());
        assertTrue(errors.expected() > 0 && errors.expected() < 0.1, "3 of 40 failed in 09:01, none in 09:12: "
                + errors);
        double rate = type.expected(new HourOfWeek(9), UsageFigure.RATE).orElseThrow().expected();
        assertTrue(rate > 0 && rate < 40, "mostly idle minutes: " + rate);

        List<dev.mcphealth.application.port.in.ReadUsageProfilesUseCase.ProfileNow> now = learn.profiles(
                java.util.Set.of());
        assertEquals(List.of("", "fetch", "find"), now.stream().map(p -> p.tool()).toList(), "the type's first");
        assertEquals(12, now.get(2).minutesLearned());
        assertEquals(new HourOfWeek(9), now.get(0).expected().get(0).hour(), "what the hour under way expects");
        assertEquals(List.of(), learn.profiles(java.util.Set.of(ServerType.of("other"))));
    }

    @Test
    void aSurgeAfterAWeekIsOneAnomalyPerProfilePublishedAndStoredThenResolvedWhenItEnds() {
        LearnUsageService learn = service();
        learn.learn(List.of(), false);
        steady(learn, 24 * 7);
        assertEquals(List.of(), events, "a steady week raises nothing");

        // Monday 09:01 again: five minutes of 100 calls, then back to the usual
        Instant surge = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        List<ToolUsage> windows = new ArrayList<>();
        for (int m = 0; m < 15; m++) {
            windows.add(window("find", surge.plus(MINUTE.multipliedBy(m)), m < 5 ? 100 : 20, 0, 40));
        }
        clock.advance(Duration.ofMinutes(15));
        learn.learn(windows, true);

        List<AnomalyRaised> raised = events.stream().filter(e -> e instanceof AnomalyRaised)
                .map(e -> (AnomalyRaised) e).toList();
        assertEquals(2, raised.size(), "the tool's and the type's call rate, once each: " + events);
        for (AnomalyRaised r : raised) {
            assertEquals(UsageFigure.RATE, r.figure());
            assertTrue(r.high() && r.observed() >= 100 && r.band().high() < 50, r.toString());
            assertEquals(surge.plus(MINUTE), r.at(), "seen at the end of the surge's first minute");
            assertEquals("search", r.server().value(), "the pool, by its type");
        }
        assertEquals(java.util.Set.of(java.util.Optional.empty(), java.util.Optional.of("find")),
                raised.stream().map(AnomalyRaised::tool).collect(java.util.stream.Collectors.toSet()));
        List<AnomalyResolved> over = events.stream().filter(e -> e instanceof AnomalyResolved)
                .map(e -> (AnomalyResolved) e).toList();
        assertEquals(2, over.size(), events.toString());
        over.forEach(o -> assertTrue(o.raisedAt().equals(surge.plus(MINUTE)) && o.at().isAfter(surge.plus(
                Duration.ofMinutes(5))), o.toString()));
        assertEquals(2, store.anomalies(surge).size());
        store.anomalies(surge).forEach(a -> assertTrue(a.backInBand() && a.over().isPresent(), a.toString()));
    }

    @Test
    void anAnomalyStillOpenAtTheStopIsStoredOpenAndMarkedNotWatchedByTheNextRun() {
        LearnUsageService first = service();
        first.learn(List.of(), false);
        steady(first, 24 * 7);
        Instant surge = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        clock.advance(Duration.ofMinutes(2));
        first.learn(List.of(window("find", surge, 120, 0, 40), window("find", surge.plus(MINUTE), 120, 0, 40)), true);
        assertEquals(2, store.anomalies(surge).size());
        store.anomalies(surge).forEach(a -> assertTrue(a.over().isEmpty(), "open at the stop: " + a));

        clock.advance(Duration.ofMinutes(10));
        service().learn(List.of(), false);
        store.anomalies(surge).forEach(a -> assertTrue(a.over().isPresent() && !a.backInBand(),
                "nothing watched it since: " + a));
    }

    @Test
    void anomaliesTheStoreCannotTakeAreKeptAndStoredWhenItIsBack() {
        LearnUsageService learn = service();
        learn.learn(List.of(), false);
        steady(learn, 24 * 7);
        Instant surge = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        store.down = true;
        clock.advance(Duration.ofMinutes(2));
        LearnUsageUseCase.Learned l = learn.learn(List.of(window("find", surge, 120, 0, 40)), true);
        assertTrue(l.problem().isPresent());
        assertEquals(2, events.size(), "published at once, whatever the store");
        store.down = false;
        learn.learn(List.of(), true);
        assertEquals(2, store.anomalies(surge).size());
    }

    @Test
    void aMinuteThatEndedWhileItsWindowsWereBeingWrittenIsNotLearnedIdleBeforeItsWindowArrives() {
        LearnUsageService learn = service();
        learn.learn(List.of(), false); // 09:00:30: the first whole minute is 09:01
        clock.advance(Duration.ofSeconds(150)); // 09:03:00: the windows were collected at 09:02:59.5, before 09:02 ended
        learn.learn(List.of(window("find", minute(1), 5, 0, 40)), Instant.parse("2026-11-30T09:02:59.500Z"), false);
        clock.advance(Duration.ofSeconds(1));
        learn.learn(List.of(window("find", minute(2), 7, 0, 40)), true); // 09:02's window, at the next flush

        UsageProfile find = store.profile("search/find");
        assertEquals(2, store.minutes("search/find"), "09:01 and 09:02, each once");
        double rate = find.expected(new HourOfWeek(9), UsageFigure.RATE).orElseThrow().expected();
        assertTrue(rate > 4, "both minutes with their calls, none learned as idle: " + rate);
    }

    @Test
    void theTypesDemandTrendIsMeasuredKeptOverARestartAndGoesOn() {
        LearnUsageService first = service();
        first.learn(List.of(), false);
        steady(first, 24 * 10); // a week to learn the shape, then 3 days counted
        first.learn(List.of(), true);
        assertTrue(store.stored.get("search/").trend().orElseThrow().days() >= 2, "kept with the type's profile");
        assertTrue(store.stored.get("search/find").trend().isEmpty(), "a tool's profile measures none");
        assertEquals(Map.of(), first.growth(), "3 days: not told yet");

        LearnUsageService second = service();
        second.learn(List.of(), false);
        steady(second, 24 * 6);
        DemandTrend.Growth g = second.growth().get(SEARCH);
        assertTrue(g != null && g.days() >= 7, "the days before the restart count too: " + second.growth());
        assertTrue(Math.abs(g.weekly()) < 0.05 && !g.clear(), "steady traffic: no clear growth: " + g);
    }

    @Test
    void aRestartKeepsWhatWasLearnedAndDoesNotLearnTheMinutesItWasDown() {
        LearnUsageService first = service();
        first.learn(List.of(), false);
        clock.advance(Duration.ofMinutes(5));
        first.learn(List.of(window("find", minute(2), 5, 0, 40)), true);
        assertEquals(4, store.minutes("search/find"), "09:01 .. 09:04");

        clock.advance(Duration.ofHours(1)); // down for an hour
        LearnUsageService second = service();
        second.learn(List.of(), false);
        clock.advance(Duration.ofMinutes(3));
        second.learn(List.of(), true);
        assertEquals(4 + 2, store.minutes("search/find"), "its two whole minutes since the restart, not the hour down");
        assertEquals(Instant.parse("2026-11-30T10:07:00Z"), store.stored.get("search/find").learnedUpTo());
    }

    @Test
    void untilTheStoreCanBeReadNothingIsLearnedAndAFailedSaveIsTriedAgain() {
        store.down = true;
        LearnUsageService learn = service();
        LearnUsageUseCase.Learned refused = learn.learn(List.of(window("find", minute(0), 5, 0, 40)), false);
        assertEquals(0, refused.minutes());
        assertTrue(refused.problem().orElseThrow().contains("nothing learned"), refused.toString());

        store.down = false;
        clock.advance(Duration.ofMinutes(2));
        learn.learn(List.of(window("find", minute(1), 5, 0, 40)), false);
        store.down = true;
        clock.advance(LearnUsageService.SAVE_EVERY);
        LearnUsageUseCase.Learned unsaved = learn.learn(List.of(), false);
        assertTrue(unsaved.problem().orElseThrow().contains("not saved"), unsaved.toString());
        assertTrue(store.stored.isEmpty());

        store.down = false;
        learn.learn(List.of(), true);
        assertTrue(store.minutes("search/find") >= 6, "kept and saved once the store was back");
    }
}
