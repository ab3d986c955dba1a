package dev.mcphealth.application.tuning;

import dev.mcphealth.application.monitoring.Rescheduling;
import dev.mcphealth.application.port.in.FollowProbeHoursUseCase;
import dev.mcphealth.application.port.in.ObserveMonitoringUseCase;
import dev.mcphealth.application.port.in.PlanMonitoringUseCase;
import dev.mcphealth.application.port.in.ReadTrialsUseCase;
import dev.mcphealth.application.port.in.ReadUsageProfilesUseCase;
import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.domain.learning.HourOfWeek;
import dev.mcphealth.domain.learning.ProbeHours;
import dev.mcphealth.domain.learning.UsageProfile;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.StatusSnapshot;
import dev.mcphealth.domain.tuning.ChangeTrial;
import dev.mcphealth.domain.tuning.TrialPhase;
import dev.mcphealth.domain.tuning.TuningAdvice.Setting;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Follows {@link ProbeHours} in the running monitor: on each flush, each server is probed at the interval its type's
 * profile gives the hour under way (the learned week's hour: compressed when the week is), from its interval in force
 * (the plan's {@code base}: the configured one, or one the optimizer applied). The stretch is laid over that interval
 * ({@link Rescheduling#stretch}), never written into it: the optimizer's advice, its changes and their trials read and
 * change the interval in force, whatever hour it is. A server that is anything but healthy (or not seen yet), and one
 * whose interval is on trial, is probed at its interval in force; the monitor then brings its next probe forward. Not on
 * trial itself: every stretch ends an hour before traffic and at the first sign of trouble; what it costs is measured
 * instead (ProbeHoursTest). The profiles are read once a minute (at every call while there are none).
 */
public final class FollowProbeHoursService implements FollowProbeHoursUseCase {
    static final Duration READ_PROFILES_EVERY = Duration.ofMinutes(1);

    private final ServerCatalogPort catalog;
    private final PlanMonitoringUseCase plan;
    private final Rescheduling monitor;
    private final ObserveMonitoringUseCase observed;
    private final ReadTrialsUseCase trials;
    private final ReadUsageProfilesUseCase profiles;
    private final Clock clock;
    private final ZoneId zone;
    private Map<ServerType, UsageProfile> learned = Map.of();
    private Instant learnedAt;

    /**
     * @param monitor  the monitor's plan, read, and where stretches are laid
     * @param observed what the monitor sees of each server now
     * @param trials   the optimizer's changes on trial: a server whose interval is on trial is not stretched
     * @param profiles the server types' usage profiles as learned now
     * @param zone     the zone of the profiles' weeks
     */
    public <M extends PlanMonitoringUseCase & Rescheduling> FollowProbeHoursService(
            ServerCatalogPort catalog, M monitor, ObserveMonitoringUseCase observed, ReadTrialsUseCase trials,
            ReadUsageProfilesUseCase profiles, Clock clock, ZoneId zone) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.plan = Objects.requireNonNull(monitor, "monitor");
        this.monitor = monitor;
        this.observed = Objects.requireNonNull(observed, "observed");
        this.trials = Objects.requireNonNull(trials, "trials");
        this.profiles = Objects.requireNonNull(profiles, "profiles");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    @Override
    public synchronized List<Retimed> follow() {
        Instant now = clock.instant();
        if (learnedAt == null || learned.isEmpty() || !now.isBefore(learnedAt.plus(READ_PROFILES_EVERY))) {
            learned = profiles.learnedTypes();
            learnedAt = now;
        }
        HourOfWeek hour = HourOfWeek.of(profiles.weekTime(now), zone);
        Map<ServerId, PlanMonitoringUseCase.Entry> planned = new HashMap<>();
        plan.plan().forEach(e -> planned.put(e.server(), e));
        Map<ServerId, Optional<HealthStatus>> status = new HashMap<>();
        for (StatusSnapshot s : observed.snapshot()) {
            status.put(s.server(), s.standby().isPresent() ? Optional.empty() : s.status());
        }
        Set<ServerId> onTrial = new HashSet<>();
        for (ChangeTrial t : trials.trials()) {
            if (t.phase() == TrialPhase.RUNNING && t.setting() == Setting.PROBE_INTERVAL) {
                onTrial.add(t.server());
            }
        }
        List<Retimed> changed = new ArrayList<>();
        for (MonitoredServer server : catalog.servers()) {
            ServerId id = server.id();
            PlanMonitoringUseCase.Entry e = planned.get(id);
            if (e == null) {
                continue;
            }
            Optional<HealthStatus> seen = status.getOrDefault(id, Optional.empty());
            boolean healthy = seen.isPresent() && seen.get() == HealthStatus.HEALTHY;
            ProbeHours.Hour h = ProbeHours.at(Optional.ofNullable(learned.get(server.type())), hour, e.base());
            String why = onTrial.contains(id) ? "its interval in force is on trial: probed at it until the trial ends"
                    : !healthy ? "it is " + seen.map(HealthStatus::code).orElse("not seen yet") + ": probed at its"
                    + " interval in force until it is healthy again" : h.evidence();
            Duration wanted = healthy && !onTrial.contains(id) ? h.interval() : e.base();
            if (wanted.equals(e.interval())) {
                continue;
            }
            try {
                monitor.stretch(id, wanted.equals(e.base()) ? Optional.empty() : Optional.of(wanted));
            } catch (IllegalArgumentException refused) {
                continue; // no longer watched (UnknownServerException), or refused: it keeps the interval it has
            }
            changed.add(new Retimed(id, e.interval(), wanted, why));
        }
        return changed;
    }
}
