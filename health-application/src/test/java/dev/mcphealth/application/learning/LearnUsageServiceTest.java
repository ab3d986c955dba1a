package dev.mcphealth.application.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.LearnUsageUseCase;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.application.port.out.UsageProfileStorePort;
import dev.mcphealth.application.testkit.TestClock;
import dev.mcphealth.domain.learning.HourOfWeek;
import dev.mcphealth.domain.learning.UsageProfile;
import dev.mcphealth.domain.model.ServerType;
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

/** Profiles learned from the flush's windows on a test clock, kept in a store double across a restart. */
class LearnUsageServiceTest {
    private static final Instant START = Instant.parse("2026-11-30T09:00:30Z"); // a Monday, half a minute in
    private static final ServerType SEARCH = ServerType.of("search");
    private static final Duration MINUTE = Duration.ofMinutes(1);

    /** Test double of the profile store: keeps the last state of each profile; can be made to fail. */
    static final class MemoryStore implements UsageProfileStorePort {
        final Map<String, StoredProfile> stored = new LinkedHashMap<>();
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

        UsageProfile profile(String key) {
            return UsageProfile.restore(stored.get(key).cells());
        }

        /** How many minutes the profile learned: the weight of its all-hours rate estimate. */
        double minutes(String key) {
            return stored.get(key).cells().stream().filter(c -> c.slot() == UsageProfile.SLOTS - 1
                    && c.figure() == UsageProfile.Figure.RATE).findFirst().orElseThrow().weight();
        }
    }

    private final TestClock clock = new TestClock(START);
    private final MemoryStore store = new MemoryStore();

    private LearnUsageService service() {
        return new LearnUsageService(store, clock, ZoneOffset.UTC);
    }

    private static ToolUsage window(String tool, Instant from, long calls, long failures, double p50) {
        return new ToolUsage(SEARCH, tool, from, MINUTE, calls, failures, OptionalDouble.of(p50),
                OptionalDouble.of(p50 * 2), OptionalDouble.of(p50 * 3));
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
        UsageProfile.Expectation errors = type.expected(new HourOfWeek(9), UsageProfile.Figure.ERRORS).orElseThrow();
        assertEquals(Instant.parse("2026-11-30T09:12:00Z"), store.stored.get("search/find").learnedUpTo());
        assertTrue(errors.expected() > 0 && errors.expected() < 0.1, "3 of 40 failed in 09:01, none in 09:12: "
                + errors);
        double rate = type.expected(new HourOfWeek(9), UsageProfile.Figure.RATE).orElseThrow().expected();
        assertTrue(rate > 0 && rate < 40, "mostly idle minutes: " + rate);

        List<dev.mcphealth.application.port.in.ReadUsageProfilesUseCase.ProfileNow> now = learn.profiles(
                java.util.Set.of());
        assertEquals(List.of("", "fetch", "find"), now.stream().map(p -> p.tool()).toList(), "the type's first");
        assertEquals(12, now.get(2).minutesLearned());
        assertEquals(new HourOfWeek(9), now.get(0).expected().get(0).hour(), "what the hour under way expects");
        assertEquals(List.of(), learn.profiles(java.util.Set.of(ServerType.of("other"))));
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
