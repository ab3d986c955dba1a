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
 * Follows {@link ProbeHours} in the running monitor: on each flush, each server's probe interval is the one its type's
 * profile gives the hour under way (the learned week's hour: compressed when the week is), from the interval it had
 * before this service first changed it, its <em>base</em> (the configured one, or one the optimizer applied). A
 * server that is anything but healthy (or not seen yet) is set back to its base at once.
 *
 * <p>It only moves an interval it set itself, or its base: one found at another value was changed by someone else
 * (the optimizer's apply or rollback), which then becomes the base, and a server whose interval is on trial is left
 * alone until the trial ends. The interval takes effect from the probe after the one already scheduled. Not on trial
 * itself: every hour the plan returns to the base before traffic comes, and health problems return it at once; what
 * it costs is measured instead (ProbeHoursTest). The profiles are read once a minute (at every call while there are
 * none).
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
    /** The intervals this service set, by server. */
    private final Map<ServerId, Duration> set = new HashMap<>();
    /** The interval each server had before this service changed it. */
    private final Map<ServerId, Duration> base = new HashMap<>();
    private Map<ServerType, UsageProfile> learned = Map.of();
    private Instant learnedAt;

    /**
     * @param monitor  the monitor's plan, read and changed
     * @param observed what the monitor sees of each server now
     * @param trials   the optimizer's changes on trial: a server whose interval is on trial is left alone
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
        // while none is learned (restored at the monitor's first flush), at every call: there is nothing to copy
        if (learnedAt == null || learned.isEmpty() || !now.isBefore(learnedAt.plus(READ_PROFILES_EVERY))) {
            learned = profiles.learnedTypes();
            learnedAt = now;
        }
        HourOfWeek hour = HourOfWeek.of(profiles.weekTime(now), zone);
        Map<ServerId, Duration> inForce = new HashMap<>();
        plan.plan().forEach(e -> inForce.put(e.server(), e.interval()));
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
            Duration current = inForce.get(id);
            if (current == null) {
                continue;
            }
            Duration mine = set.get(id);
            if (mine != null && !mine.equals(current)) {
                // changed by someone else since: theirs is the base from now on
                set.remove(id);
                base.remove(id);
                mine = null;
            }
            if (onTrial.contains(id)) {
                continue;
            }
            Duration configured = mine == null ? current : base.get(id);
            Optional<HealthStatus> seen = status.getOrDefault(id, Optional.empty());
            boolean healthy = seen.isPresent() && seen.get() == HealthStatus.HEALTHY;
            ProbeHours.Hour h = ProbeHours.at(Optional.ofNullable(learned.get(server.type())), hour, configured);
            Duration wanted = healthy ? h.interval() : configured;
            if (wanted.equals(current)) {
                continue;
            }
            try {
                monitor.reschedule(id, wanted);
            } catch (IllegalArgumentException e) {
                continue; // no longer watched (UnknownServerException), or refused: it keeps the interval it has
            }
            if (wanted.equals(configured)) {
                set.remove(id);
                base.remove(id);
            } else {
                set.put(id, wanted);
                base.put(id, configured);
            }
            changed.add(new Retimed(id, current, wanted, healthy ? h.evidence()
                    : "it is " + seen.map(HealthStatus::code).orElse("not seen yet") + ": probed every "
                    + configured.toSeconds() + " s as configured until it is healthy again"));
        }
        return changed;
    }
}
