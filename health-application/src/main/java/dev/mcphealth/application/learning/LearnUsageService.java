package dev.mcphealth.application.learning;

import dev.mcphealth.application.port.in.LearnUsageUseCase;
import dev.mcphealth.application.port.in.ReadUsageProfilesUseCase;
import dev.mcphealth.application.port.out.MonitorEventPort;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.application.port.out.UsageProfileStorePort;
import dev.mcphealth.domain.learning.AnomalyEpisode;
import dev.mcphealth.domain.learning.AnomalyWatch;
import dev.mcphealth.domain.learning.DemandTrend;
import dev.mcphealth.domain.learning.HourOfWeek;
import dev.mcphealth.domain.learning.UsageProfile;
import dev.mcphealth.domain.model.AnomalyRaised;
import dev.mcphealth.domain.model.AnomalyResolved;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.UsageBand;
import dev.mcphealth.domain.model.UsageFigure;
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
import java.util.TreeMap;

/**
 * Keeps a {@link UsageProfile} of each server type and of each of its tools, learned from the windows of calls through
 * the pools (gateway and library calls) as the flush writes them, and the minutes without calls in between: a
 * minute this run was up for and saw no call of a tool is a minute of rate 0 (an idle night is part of the week); a
 * minute it was not up for is not learned. Each minute is first watched against its profile (an anomaly raised or
 * over is published as an event and stored with the next save), and a figure in an anomaly under an hour old is not
 * learned from it. The type's own profile
 * sums its tools' calls and failures; its latencies are the answered-call-weighted mean of its tools' p50 and the
 * highest p95. Profiles are read from the store before the first
 * minute is learned (until the store can be read, nothing is learned: learning anew would overwrite weeks) and
 * written to it every {@link #SAVE_EVERY} and at the stop. At most {@link #MAX_PROFILES} are kept (bounded memory).
 */
public final class LearnUsageService implements LearnUsageUseCase, ReadUsageProfilesUseCase {
    /** How often what was learned is saved: a crash loses at most this much. */
    static final Duration SAVE_EVERY = Duration.ofMinutes(5);
    /** The most anomaly rows kept while the store cannot take them. */
    static final int MAX_PENDING = 1_000;
    /** The most profiles kept: about 18 KB each. */
    static final int MAX_PROFILES = 2_000;

    private final UsageProfileStorePort store;
    private final Clock clock;
    private final ZoneId zone;
    private final MonitorEventPort events;
    private final long minuteNanos;
    private final Map<UsageMinutes.Key, Learning> profiles = new LinkedHashMap<>();
    /** The event each open anomaly was raised as (its resolution names when). */
    private final Map<AnomalyWatch.Raised, AnomalyRaised> raisedEvents = new java.util.HashMap<>();
    /** Anomalies raised or over, not yet stored. */
    private final List<AnomalyEpisode> pending = new ArrayList<>();
    private long droppedAnomalies;
    private boolean restored;
    /** The first whole minute this run was up for, as an epoch-minute index; -1 before the first learn. */
    private long firstMinute = -1;
    private Instant lastSaved;

    /**
     * {@code zone}: whose week the profiles learn (hours of the week are that zone's wall-clock hours); {@code events}:
     * where anomalies raised and over are published.
     */
    public LearnUsageService(UsageProfileStorePort store, MonitorEventPort events, Clock clock, ZoneId zone) {
        this(store, events, clock, zone, Duration.ofMinutes(1));
    }

    /**
     * As above, with learned minutes {@code minute} long (a minute; down to a second to compress the learned week for
     * a demonstration or a test: the profiles' hours are then simulated, events and stored times stay real).
     */
    public LearnUsageService(UsageProfileStorePort store, MonitorEventPort events, Clock clock, ZoneId zone,
                             Duration minute) {
        if (minute.compareTo(Duration.ofSeconds(1)) < 0 || minute.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("a learned minute is 1 s to a minute, got " + minute);
        }
        this.minuteNanos = minute.toNanos();
        this.store = Objects.requireNonNull(store, "store");
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    @Override
    public synchronized Learned learn(List<ToolUsage> windows, Instant through, boolean closing) {
        Instant now = clock.instant();
        long current = minuteOf(through.isBefore(now) ? through : now);
        if (firstMinute < 0) {
            firstMinute = current + 1; // the minute under way was not whole: the first whole one is the next
            lastSaved = now;
        }
        if (!restored) {
            try {
                for (UsageProfileStorePort.StoredProfile p : store.loadProfiles()) {
                    if (profiles.size() < MAX_PROFILES) {
                        UsageMinutes.Key k = new UsageMinutes.Key(p.serverType(), p.tool());
                        profiles.put(k, new Learning(k, UsageProfile.restore(p.cells()), minuteOf(p.learnedUpTo()),
                                p.trend()));
                    }
                }
                store.closeOpenAnomalies(now); // nothing watched them since the run that raised them stopped
                restored = true;
            } catch (StorageUnavailableException e) {
                return new Learned(profiles.size(), 0, Optional.of("usage profiles not read (nothing learned until"
                        + " they are): " + e.getMessage()));
            }
        }
        long learned = 0;
        for (Map.Entry<UsageMinutes.Key, TreeMap<Long, UsageProfile.Minute>> e : UsageMinutes.minutes(windows, minuteNanos).entrySet()) {
            Learning l = profiles.get(e.getKey());
            if (l == null) {
                if (profiles.size() >= MAX_PROFILES) {
                    continue;
                }
                l = new Learning(e.getKey(), new UsageProfile(), Long.MIN_VALUE, Optional.empty());
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
    public synchronized Map<ServerType, UsageProfile> learnedTypes() {
        Map<ServerType, UsageProfile> out = new TreeMap<>();
        profiles.forEach((k, l) -> {
            if (k.tool().isEmpty()) {
                out.put(k.type(), UsageProfile.restore(l.profile.cells()));
            }
        });
        return out;
    }

    @Override
    public synchronized Map<ServerType, DemandTrend.Growth> growth() {
        Map<ServerType, DemandTrend.Growth> out = new TreeMap<>();
        profiles.forEach((k, l) -> l.trend.flatMap(t -> t.growth(l.profile)).ifPresent(g -> out.put(k.type(), g)));
        return out;
    }

    @Override
    public synchronized List<ProfileNow> profiles(java.util.Set<ServerType> types) {
        HourOfWeek hour = HourOfWeek.of(weekTime(minuteOf(clock.instant())), zone);
        List<ProfileNow> out = new ArrayList<>();
        profiles.forEach((k, l) -> {
            if (types.isEmpty() || types.contains(k.type())) {
                List<UsageProfile.Expectation> expected = new ArrayList<>();
                for (UsageFigure f : UsageFigure.values()) {
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

    /**
     * Watches the minute against the profile (an anomaly raised or over is published, and kept to be stored), then
     * learns it but for the figures in an anomaly.
     */
    private void learn(Learning l, long minute, UsageProfile.Minute m) {
        Instant start = weekTime(minute);
        Instant end = instantOf(minute + 1);
        Optional<String> tool = l.key.tool().isEmpty() ? Optional.empty() : Optional.of(l.key.tool());
        for (AnomalyWatch.Change c : l.watch.minute(start, zone, m, l.profile)) {
            MonitorEvent event;
            if (c instanceof AnomalyWatch.Raised r) {
                UsageProfile.Expectation x = r.expected();
                AnomalyRaised raised = new AnomalyRaised(l.key.type(), tool, r.figure(),
                        r.high(), r.observed(), r.minutes(), new UsageBand(x.expected(), x.low(),
                        x.high(), x.confidence()), r.z(), end);
                raisedEvents.put(r, raised);
                keep(new AnomalyEpisode(raised, Optional.empty(), false));
                event = raised;
            } else {
                AnomalyWatch.Resolved r = (AnomalyWatch.Resolved) c;
                AnomalyRaised raised = raisedEvents.remove(r.raised());
                event = new AnomalyResolved(l.key.type(), tool, r.figure(), raised.at(), end);
                keep(new AnomalyEpisode(raised, Optional.of(end), true));
            }
            events.publish(event);
        }
        l.trend.ifPresent(t -> t.observe(start, zone, m.callsPerMinute(), l.profile)); // before the profile learns it
        l.profile.observe(start, zone, m, l.watch.quarantined(start));
    }

    /** Keeps an anomaly's row to be stored with the next save; past {@link #MAX_PENDING}, the oldest is dropped. */
    private void keep(AnomalyEpisode a) {
        if (pending.size() >= MAX_PENDING) {
            pending.remove(0);
            droppedAnomalies++;
        }
        pending.add(a);
    }

    private Optional<String> save(Instant now) {
        List<UsageProfileStorePort.StoredProfile> changed = new ArrayList<>();
        profiles.forEach((k, l) -> {
            if (l.dirty && l.lastMinute != Long.MIN_VALUE) {
                changed.add(new UsageProfileStorePort.StoredProfile(k.type(), k.tool(), instantOf(l.lastMinute),
                        l.profile.cells(), l.trend.map(DemandTrend::state)));
            }
        });
        Optional<String> lost = droppedAnomalies == 0 ? Optional.empty() : Optional.of(droppedAnomalies
                + " usage anomalies not stored (the store could not take them for too long)");
        droppedAnomalies = 0;
        try {
            store.saveAnomalies(pending);
            pending.clear();
            store.saveProfiles(changed);
        } catch (StorageUnavailableException e) {
            return Optional.of("usage profiles not saved (kept, saved later): " + e.getMessage()
                    + lost.map(x -> "; " + x).orElse(""));
        }
        profiles.values().forEach(l -> l.dirty = false);
        lastSaved = now;
        return lost;
    }

    @Override
    public Instant weekTime(Instant now) {
        return minuteNanos == 60_000_000_000L ? now : weekTime(minuteOf(now));
    }

    /** The index of the learned minute {@code t} falls in. */
    private long minuteOf(Instant t) {
        return UsageMinutes.index(t, minuteNanos);
    }

    /** When learned minute {@code minute} began. */
    private Instant instantOf(long minute) {
        return Instant.ofEpochSecond(0, Math.multiplyExact(minute, minuteNanos));
    }

    /**
     * Learned minute {@code minute} as a time of the learned week: the minute's own start when minutes are a minute;
     * when they are compressed, minute n of the epoch (the week the profile learns is then simulated time).
     */
    private static Instant weekTime(long minute) {
        return Instant.ofEpochSecond(minute * 60);
    }

}
