package dev.mcphealth.application.learning;

import dev.mcphealth.application.port.in.ReadUsageProfilesUseCase;
import dev.mcphealth.application.port.in.ReportUsageUseCase;
import dev.mcphealth.application.port.out.HealthHistoryPort;
import dev.mcphealth.application.port.out.ToolUsageStorePort;
import dev.mcphealth.application.port.out.TrialStorePort;
import dev.mcphealth.application.port.out.UsageProfileStorePort;
import dev.mcphealth.domain.learning.AnomalyEpisode;
import dev.mcphealth.domain.learning.CapacityModel;
import dev.mcphealth.domain.learning.CapacityPlan;
import dev.mcphealth.domain.learning.DemandTrend;
import dev.mcphealth.domain.learning.LimitAdvice;
import dev.mcphealth.domain.learning.HourOfWeek;
import dev.mcphealth.domain.learning.ProbeHours;
import dev.mcphealth.domain.learning.ProbeTimeouts;
import dev.mcphealth.application.port.in.ReportUsageUseCase.ProbeHoursSettings;
import dev.mcphealth.application.port.in.ReportUsageUseCase.ProbeHoursView;
import java.time.Duration;
import dev.mcphealth.domain.learning.UsageProfile;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.StatusSnapshot;
import dev.mcphealth.domain.model.UsageFigure;
import dev.mcphealth.domain.routing.ToolUsage;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The usage report from the store: the stored profiles, the anomalies and the minutes of calls of the last
 * {@link ReportUsageUseCase#LOOK_BACK}, and the servers the monitor last recorded (a pool's instances, those on
 * standby left out: the plan's instances are the ones that run, and its extra ones at a surge are what standby
 * instances cover). A minute of a pool is its tools' calls summed and their mean latencies weighted by their answered
 * calls; minutes with no mean (rows written before it was kept, or none answered) are left out of the capacity
 * estimate, which assumes every instance of the pool served in every minute.
 */
public final class ReportUsageService implements ReportUsageUseCase {
    private final UsageProfileStorePort profiles;
    private final ToolUsageStorePort usage;
    private final HealthHistoryPort statuses;
    private final Clock clock;
    private final ZoneId zone;
    private final Optional<ReadUsageProfilesUseCase> live;
    private final LimitAdvice.InForce limits;
    private final TrialStorePort trials;
    private final java.util.function.Supplier<ProbeHoursSettings> probeHours;

    /** A report from the store alone: what was saved (a stopped monitor's database, or a running one's). */
    public ReportUsageService(UsageProfileStorePort profiles, ToolUsageStorePort usage, HealthHistoryPort statuses,
                              Clock clock, ZoneId zone) {
        this(profiles, usage, statuses, clock, zone, Optional.empty());
    }

    /**
     * A report of a running monitor: its profiles as learned now ({@code live}), the rest from the store (the
     * profiles are saved every five minutes).
     */
    public ReportUsageService(UsageProfileStorePort profiles, ToolUsageStorePort usage, HealthHistoryPort statuses,
                              Clock clock, ZoneId zone, Optional<ReadUsageProfilesUseCase> live) {
        this(profiles, usage, statuses, TrialStorePort.NONE, clock, zone, live, new LimitAdvice.Unknown());
    }

    /**
     * @param trials the changes applied by the optimizer and their trials
     * @param limits the concurrency limiter in force (its floor and ceiling, or off), which the limit advice compares
     *               with
     */
    public ReportUsageService(UsageProfileStorePort profiles, ToolUsageStorePort usage, HealthHistoryPort statuses,
                              TrialStorePort trials, Clock clock, ZoneId zone, Optional<ReadUsageProfilesUseCase> live,
                              LimitAdvice.InForce limits) {
        this(profiles, usage, statuses, trials, clock, zone, live, limits, () -> ProbeHoursSettings.NONE);
    }

    /**
     * @param probeHours each server type's configured probe interval, from which its probe hours are shown; read at
     *                   each report
     */
    public ReportUsageService(UsageProfileStorePort profiles, ToolUsageStorePort usage, HealthHistoryPort statuses,
                              TrialStorePort trials, Clock clock, ZoneId zone, Optional<ReadUsageProfilesUseCase> live,
                              LimitAdvice.InForce limits, java.util.function.Supplier<ProbeHoursSettings> probeHours) {
        this.probeHours = Objects.requireNonNull(probeHours, "probeHours");
        this.trials = Objects.requireNonNull(trials, "trials");
        this.live = Objects.requireNonNull(live, "live");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.profiles = Objects.requireNonNull(profiles, "profiles");
        this.usage = Objects.requireNonNull(usage, "usage");
        this.statuses = Objects.requireNonNull(statuses, "statuses");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    @Override
    public UsageReport report(Query query) {
        Instant now = clock.instant();
        Instant since = now.minus(LOOK_BACK);
        Map<ServerType, UsageProfile> typeProfiles = new TreeMap<>();
        Map<ServerType, TreeSet<String>> tools = new TreeMap<>();
        Map<ServerType, DemandTrend.Growth> growth = new TreeMap<>();
        if (live.isPresent()) {
            typeProfiles.putAll(live.get().learnedTypes());
            growth.putAll(live.get().growth());
            for (ReadUsageProfilesUseCase.ProfileNow p : live.get().profiles(Set.of())) {
                if (!p.tool().isEmpty()) {
                    tools.computeIfAbsent(p.serverType(), t -> new TreeSet<>()).add(p.tool());
                }
            }
        } else {
            for (UsageProfileStorePort.StoredProfile p : profiles.loadProfiles()) {
                if (p.tool().isEmpty()) {
                    UsageProfile restored = UsageProfile.restore(p.cells());
                    typeProfiles.put(p.serverType(), restored);
                    p.trend().flatMap(t -> DemandTrend.restore(t).growth(restored)).ifPresent(g ->
                            growth.put(p.serverType(), g));
                } else {
                    tools.computeIfAbsent(p.serverType(), t -> new TreeSet<>()).add(p.tool());
                }
            }
        }
        List<ToolUsage> rows = usage.read(since, now);
        Map<ServerType, TreeMap<Instant, double[]>> minutes = minutes(rows);
        // the learned minute is the windows' length: a minute, or less when the learned week is compressed
        long minuteNanos = rows.isEmpty() ? 60_000_000_000L : rows.get(rows.size() - 1).window().toNanos();
        Map<ServerType, Integer> instances = new TreeMap<>();
        for (StatusSnapshot s : statuses.statuses()) {
            if (s.standby().isEmpty()) { // a standby instance serves only when its pool needs it: not one that runs
                instances.merge(s.type(), 1, Integer::sum);
            }
        }
        TreeSet<ServerType> types = new TreeSet<>(typeProfiles.keySet());
        types.addAll(minutes.keySet());
        if (!query.types().isEmpty()) {
            types.retainAll(query.types());
        }
        List<AnomalyEpisode> anomalies = new ArrayList<>(profiles.anomalies(since));
        anomalies.sort(Comparator.comparing((AnomalyEpisode a) -> a.raised().at()).reversed());
        HourOfWeek hour = HourOfWeek.of(Instant.ofEpochSecond(UsageMinutes.index(now, minuteNanos) * 60), zone);
        List<PoolUsage> pools = new ArrayList<>();
        ProbeHoursSettings hoursSettings = probeHours.get();
        for (ServerType type : types) {
            int n = instances.getOrDefault(type, 0);
            List<CapacityModel.LoadPoint> load = new ArrayList<>();
            // Little's law within one set of calls: the answered ones (the latency is theirs), not the failed too
            minutes.getOrDefault(type, new TreeMap<>()).values().forEach(m -> {
                if (m[2] > 0) {
                    load.add(new CapacityModel.LoadPoint(m[2] / 60, m[1] / m[2] / 1000, Math.max(n, 1)));
                }
            });
            CapacityModel.Estimate capacity = CapacityModel.estimate(load);
            UsageProfile profile = typeProfiles.get(type);
            List<UsageProfile.Expectation> expected = new ArrayList<>();
            CapacityPlan.Result plan;
            if (profile == null) {
                plan = new CapacityPlan.TooLittle("no usage profile of this pool is stored yet");
            } else {
                for (UsageFigure f : UsageFigure.values()) {
                    profile.expected(hour, f).ifPresent(expected::add);
                }
                plan = n == 0 ? new CapacityPlan.TooLittle("no server of this pool was recorded by the monitor")
                        : CapacityPlan.plan(profile, capacity, n, query.target(), hour, minuteNanos / 1e9,
                        Optional.ofNullable(growth.get(type)));
            }
            pools.add(new PoolUsage(type, n, profile == null ? 0 : profile.minutes(), expected,
                    List.copyOf(tools.getOrDefault(type, new TreeSet<>())), anomalies.stream()
                    .filter(a -> a.raised().serverType().equals(type)).toList(), capacity, plan,
                    LimitAdvice.of(capacity, limits), probeHours(hoursSettings, type, profile, hour),
                    Optional.ofNullable(growth.get(type))));
        }
        return new UsageReport(now, pools, trials.since(since));
    }

    /** The type's probe hours from its configured interval; empty when that is not known. */
    private static Optional<ProbeHoursView> probeHours(ProbeHoursSettings settings, ServerType type,
                                                       UsageProfile profile, HourOfWeek now) {
        Duration configured = settings.configured().get(type);
        if (configured == null) {
            return Optional.empty();
        }
        List<ProbeHours.Hour> week = ProbeHours.week(Optional.ofNullable(profile), configured);
        String evidence = week.stream().filter(ProbeHours.Hour::stretched).findFirst()
                .orElse(week.get(now.index())).evidence();
        List<ReportUsageUseCase.ServerTimeouts> timeouts = new ArrayList<>();
        for (ReportUsageUseCase.ServerProbes s : settings.probes().getOrDefault(type, List.of())) {
            Duration base = s.timeout().orElse(ProbeTimeouts.LEAST);
            timeouts.add(new ReportUsageUseCase.ServerTimeouts(s.server(), s.timeout(), ProbeTimeouts.spans(
                    ProbeTimeouts.week(s.profile(), base)).stream().filter(sp -> sp.example().wanted().isPresent()
                    && !sp.timeout().equals(base)).toList()));
        }
        return Optional.of(new ProbeHoursView(configured, ProbeHours.spans(week), ProbeHours.saved(week),
                settings.followed(), evidence, timeouts));
    }

    /**
     * Each pool's windows: {calls a minute, the sum of mean latency x answered calls a minute (ms), answered calls a
     * minute with a mean}, by the window's start (its tools' windows summed; a window of another length than a minute
     * counts as its calls a minute).
     */
    private static Map<ServerType, TreeMap<Instant, double[]>> minutes(List<ToolUsage> rows) {
        Map<ServerType, TreeMap<Instant, double[]>> out = new TreeMap<>();
        for (ToolUsage r : rows) {
            double perMinute = 60_000.0 / Math.max(1, r.window().toMillis());
            double[] m = out.computeIfAbsent(r.serverType(), t -> new TreeMap<>()).computeIfAbsent(
                    r.from(), t -> new double[3]);
            m[0] += r.calls() * perMinute;
            if (r.meanMs().isPresent()) {
                double answered = (r.calls() - r.failures()) * perMinute;
                m[1] += r.meanMs().getAsDouble() * answered;
                m[2] += answered;
            }
        }
        return out;
    }
}
