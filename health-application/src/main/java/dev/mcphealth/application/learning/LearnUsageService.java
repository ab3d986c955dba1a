package dev.mcphealth.application.learning;

import dev.mcphealth.application.port.in.LearnUsageUseCase;
import dev.mcphealth.application.port.in.ReadUsageProfilesUseCase;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.application.port.out.UsageProfileStorePort;
import dev.mcphealth.domain.learning.AnomalyWatch;
import dev.mcphealth.domain.learning.HourOfWeek;
import dev.mcphealth.domain.learning.UsageProfile;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.routing.ToolUsage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Keeps a {@link UsageProfile} of each server type and of each of its tools, learned from the windows of calls through
 * the pools (gateway and library calls) as the flush writes them, and the minutes without calls in between: a
 * minute this run was up for and saw no call of a tool is a minute of rate 0 (an idle night is part of the week); a
 * minute it was not up for is not learned. Each minute is first watched against its profile (anomalies: not yet
 * raised as events), and a figure in an anomaly under an hour old is not learned from it. The type's own profile
 * sums its tools' calls and failures; its latencies are the answered-call-weighted mean of its tools' p50 and the
 * highest p95. Profiles are read from the store before the first
 * minute is learned (until the store can be read, nothing is learned: learning anew would overwrite weeks) and
 * written to it every {@link #SAVE_EVERY} and at the stop. At most {@link #MAX_PROFILES} are kept (bounded memory).
 */
public final class LearnUsageService implements LearnUsageUseCase, ReadUsageProfilesUseCase {
    /** How often what was learned is saved: a crash loses at most this much. */
    static final Duration SAVE_EVERY = Duration.ofMinutes(5);
    /** The most profiles kept: about 18 KB each. */
    static final int MAX_PROFILES = 2_000;
    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final UsageProfileStorePort store;
    private final Clock clock;
    private final ZoneId zone;
    private final Map<Key, Learning> profiles = new LinkedHashMap<>();
    private boolean restored;
    /** The first whole minute this run was up for, as an epoch-minute index; -1 before the first learn. */
    private long firstMinute = -1;
    private Instant lastSaved;

    private record Key(ServerType type, String tool) {
    }

    /**
     * One profile, the last minute (epoch-minute index) it learned, and its minutes watched against it: a figure in
     * an anomaly under an hour old is not learned ({@link AnomalyWatch#quarantined}).
     */
    private static final class Learning {
        final UsageProfile profile;
        final AnomalyWatch watch = new AnomalyWatch();
        long lastMinute;
        boolean dirty;

        Learning(UsageProfile profile, long lastMinute) {
            this.profile = profile;
            this.lastMinute = lastMinute;
        }
    }

    /** {@code zone}: whose week the profiles learn (hours of the week are that zone's wall-clock hours). */
    public LearnUsageService(UsageProfileStorePort store, Clock clock, ZoneId zone) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    @Override
    public synchronized Learned learn(List<ToolUsage> windows, boolean closing) {
        Instant now = clock.instant();
        long current = minuteOf(now);
        if (firstMinute < 0) {
            firstMinute = current + 1; // the minute under way was not whole: the first whole one is the next
            lastSaved = now;
        }
        if (!restored) {
            try {
                for (UsageProfileStorePort.StoredProfile p : store.loadProfiles()) {
                    if (profiles.size() < MAX_PROFILES) {
                        profiles.put(new Key(p.serverType(), p.tool()), new Learning(UsageProfile.restore(p.cells()),
                                minuteOf(p.learnedUpTo())));
                    }
                }
                restored = true;
            } catch (StorageUnavailableException e) {
                return new Learned(profiles.size(), 0, Optional.of("usage profiles not read (nothing learned until"
                        + " they are): " + e.getMessage()));
            }
        }
        long learned = 0;
        for (Map.Entry<Key, TreeMap<Long, UsageProfile.Minute>> e : minutes(windows).entrySet()) {
            Learning l = profiles.get(e.getKey());
            if (l == null) {
                if (profiles.size() >= MAX_PROFILES) {
                    continue;
                }
                l = new Learning(new UsageProfile(), Long.MIN_VALUE);
                profiles.put(e.getKey(), l);
            }
            for (Map.Entry<Long, UsageProfile.Minute> m : e.getValue().entrySet()) {
                if (m.getKey() > l.lastMinute) {
                    learned += idleUntil(l, m.getKey());
                    learn(l, m.getKey(), m.getValue());
                    l.lastMinute = m.getKey();
                    l.dirty = true;
                    learned++;
                }
            }
        }
        for (Learning l : profiles.values()) {
            learned += idleUntil(l, current); // every minute that ended by now was written: one without a row was idle
        }
        Optional<String> problem = Optional.empty();
        if (closing || !now.isBefore(lastSaved.plus(SAVE_EVERY))) {
            problem = save(now);
        }
        return new Learned(profiles.size(), learned, problem);
    }

    @Override
    public synchronized List<ProfileNow> profiles(java.util.Set<ServerType> types) {
        HourOfWeek hour = HourOfWeek.of(clock.instant(), zone);
        List<ProfileNow> out = new ArrayList<>();
        profiles.forEach((k, l) -> {
            if (types.isEmpty() || types.contains(k.type())) {
                List<UsageProfile.Expectation> expected = new ArrayList<>();
                for (UsageProfile.Figure f : UsageProfile.Figure.values()) {
                    l.profile.expected(hour, f).ifPresent(expected::add);
                }
                out.add(new ProfileNow(k.type(), k.tool(), l.profile.minutes(), expected, l.watch.open()));
            }
        });
        out.sort(java.util.Comparator.comparing((ProfileNow p) -> p.serverType().value())
                .thenComparing(ProfileNow::tool));
        return out;
    }

    /** Learns the minutes of {@code l} after its last one and before {@code until} that this run saw whole: idle. */
    private long idleUntil(Learning l, long until) {
        long from = Math.max(l.lastMinute + 1, firstMinute);
        for (long m = from; m < until; m++) {
            learn(l, m, UsageProfile.Minute.idle());
        }
        if (until - 1 > l.lastMinute && from < until) {
            l.lastMinute = until - 1;
            l.dirty = true;
            return until - from;
        }
        return 0;
    }

    /** Watches the minute against the profile, then learns it but for the figures in an anomaly. */
    private void learn(Learning l, long minute, UsageProfile.Minute m) {
        Instant start = instantOf(minute);
        l.watch.minute(start, zone, m, l.profile);
        l.profile.observe(start, zone, m, l.watch.quarantined(start));
    }

    private Optional<String> save(Instant now) {
        List<UsageProfileStorePort.StoredProfile> changed = new ArrayList<>();
        profiles.forEach((k, l) -> {
            if (l.dirty && l.lastMinute != Long.MIN_VALUE) {
                changed.add(new UsageProfileStorePort.StoredProfile(k.type(), k.tool(), instantOf(l.lastMinute),
                        l.profile.cells()));
            }
        });
        if (changed.isEmpty()) {
            lastSaved = now;
            return Optional.empty();
        }
        try {
            store.saveProfiles(changed);
        } catch (StorageUnavailableException e) {
            return Optional.of("usage profiles not saved (kept, saved later): " + e.getMessage());
        }
        profiles.values().forEach(l -> l.dirty = false);
        lastSaved = now;
        return Optional.empty();
    }

    /**
     * The windows as minutes of each tool and of each type (its tools summed), by epoch-minute index; a window of
     * another length than a minute counts as its calls per minute at its start.
     */
    private static Map<Key, TreeMap<Long, UsageProfile.Minute>> minutes(List<ToolUsage> windows) {
        Map<Key, TreeMap<Long, UsageProfile.Minute>> tools = new LinkedHashMap<>();
        for (ToolUsage w : windows) {
            double perMinute = MINUTE_NANOS / (double) w.window().toNanos();
            tools.computeIfAbsent(new Key(w.serverType(), w.tool()), k -> new TreeMap<>()).merge(minuteOf(w.from()),
                    new UsageProfile.Minute(w.calls() * perMinute, w.failures() * perMinute, w.p50Ms(), w.p95Ms()),
                    LearnUsageService::together);
        }
        Map<Key, TreeMap<Long, List<UsageProfile.Minute>>> byType = new LinkedHashMap<>();
        tools.forEach((k, perMinute) -> perMinute.forEach((minute, m) -> byType.computeIfAbsent(new Key(k.type(), ""),
                x -> new TreeMap<>()).computeIfAbsent(minute, x -> new ArrayList<>()).add(m)));
        Map<Key, TreeMap<Long, UsageProfile.Minute>> out = new LinkedHashMap<>(tools);
        byType.forEach((k, perMinute) -> {
            TreeMap<Long, UsageProfile.Minute> type = new TreeMap<>();
            perMinute.forEach((minute, ms) -> type.put(minute, summed(ms)));
            out.put(k, type);
        });
        return out;
    }

    /** A type's minute from its tools': calls and failures summed, the answered calls' mean p50, the highest p95. */
    private static UsageProfile.Minute summed(List<UsageProfile.Minute> tools) {
        double calls = 0;
        double failures = 0;
        double weighted = 0;
        double answered = 0;
        OptionalDouble p95 = OptionalDouble.empty();
        for (UsageProfile.Minute m : tools) {
            calls += m.callsPerMinute();
            failures += m.failures();
            if (m.p50Ms().isPresent()) {
                double n = m.callsPerMinute() - m.failures();
                weighted += m.p50Ms().getAsDouble() * n;
                answered += n;
            }
            p95 = max(p95, m.p95Ms());
        }
        return new UsageProfile.Minute(calls, failures,
                answered > 0 ? OptionalDouble.of(weighted / answered) : OptionalDouble.empty(), p95);
    }

    /** Two rows of one tool's minute (a gateway's and a library's): their calls summed, the slower latencies. */
    private static UsageProfile.Minute together(UsageProfile.Minute a, UsageProfile.Minute b) {
        return new UsageProfile.Minute(a.callsPerMinute() + b.callsPerMinute(), a.failures() + b.failures(),
                max(a.p50Ms(), b.p50Ms()), max(a.p95Ms(), b.p95Ms()));
    }

    private static OptionalDouble max(OptionalDouble a, OptionalDouble b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : OptionalDouble.of(Math.max(a.getAsDouble(), b.getAsDouble()));
    }

    private static long minuteOf(Instant t) {
        return Math.floorDiv(t.getEpochSecond(), 60);
    }

    private static Instant instantOf(long minute) {
        return Instant.ofEpochSecond(minute * 60);
    }
}
