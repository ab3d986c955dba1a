package dev.mcphealth.application.tuning;

import dev.mcphealth.application.monitoring.Rescheduling;
import dev.mcphealth.application.port.in.FollowProbeHoursUseCase;
import dev.mcphealth.application.port.in.ObserveMonitoringUseCase;
import dev.mcphealth.application.port.in.PlanMonitoringUseCase;
import dev.mcphealth.application.port.in.ReadTrialsUseCase;
import dev.mcphealth.application.port.in.ReadUsageProfilesUseCase;
import dev.mcphealth.application.port.out.ProbeProfileStorePort;
import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.learning.HourOfWeek;
import dev.mcphealth.domain.learning.ProbeHours;
import dev.mcphealth.domain.learning.ProbeTimeouts;
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
import java.time.ZoneOffset;
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
 *
 * <p>The probe timeouts likewise ({@link ProbeTimeouts}, from each server's stored probe profile, in UTC hours of the
 * real week): in an hour whose probes are usually slow, a server is probed with the longer timeout the hour asks for,
 * laid over its timeout in force ({@link Rescheduling#lengthenTimeout}), whatever its health (its slowness then is the
 * hour's usual). A shorter timeout is never followed, only advised (the report): it would turn a slow minute into a
 * failed probe, and the failure would bring the longer one back, a flap. Not while the server's timeout is on trial.
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
    private final ProbeProfileStorePort probeProfiles;
    private Map<ServerType, UsageProfile> learned = Map.of();
    private Instant learnedAt;
    private Map<ServerId, UsageProfile> probesLearned = Map.of();
    /** The timeouts laid over each server's in force, as last laid. */
    private final Map<ServerId, Duration> lengthened = new HashMap<>();

    /**
     * @param monitor  the monitor's plan, read, and where stretches are laid
     * @param observed what the monitor sees of each server now
     * @param trials   the optimizer's changes on trial: a server whose interval is on trial is not stretched
     * @param profiles the server types' usage profiles as learned now
     * @param probeProfiles the servers' probe-latency profiles as last saved (every few minutes)
     * @param zone     the zone of the profiles' weeks
     */
    public <M extends PlanMonitoringUseCase & Rescheduling> FollowProbeHoursService(
            ServerCatalogPort catalog, M monitor, ObserveMonitoringUseCase observed, ReadTrialsUseCase trials,
            ReadUsageProfilesUseCase profiles, ProbeProfileStorePort probeProfiles, Clock clock, ZoneId zone) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.plan = Objects.requireNonNull(monitor, "monitor");
        this.monitor = monitor;
        this.observed = Objects.requireNonNull(observed, "observed");
        this.trials = Objects.requireNonNull(trials, "trials");
        this.profiles = Objects.requireNonNull(profiles, "profiles");
        this.probeProfiles = Objects.requireNonNull(probeProfiles, "probeProfiles");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    @Override
    public synchronized List<Retimed> follow() {
        Instant now = clock.instant();
        if (learnedAt == null || learned.isEmpty() || !now.isBefore(learnedAt.plus(READ_PROFILES_EVERY))) {
            learned = profiles.learnedTypes();
            learnedAt = now;
            probesLearned = readProbeProfiles();
        }
        HourOfWeek hour = HourOfWeek.of(profiles.weekTime(now), zone);
        Map<ServerId, PlanMonitoringUseCase.Entry> planned = new HashMap<>();
        plan.plan().forEach(e -> planned.put(e.server(), e));
        Map<ServerId, Optional<HealthStatus>> status = new HashMap<>();
        for (StatusSnapshot s : observed.snapshot()) {
            status.put(s.server(), s.standby().isPresent() ? Optional.empty() : s.status());
        }
        Set<ServerId> onTrial = new HashSet<>();
        Set<ServerId> timeoutOnTrial = new HashSet<>();
        for (ChangeTrial t : trials.trials()) {
            if (t.phase() == TrialPhase.RUNNING && t.setting() == Setting.PROBE_INTERVAL) {
                onTrial.add(t.server());
            } else if (t.phase() == TrialPhase.RUNNING && t.setting() == Setting.PROBE_TIMEOUT) {
                timeoutOnTrial.add(t.server());
            }
        }
        HourOfWeek utcHour = HourOfWeek.of(now, ZoneOffset.UTC);
        List<Retimed> changed = new ArrayList<>();
        for (MonitoredServer server : catalog.servers()) {
            ServerId id = server.id();
            timeout(server, utcHour, timeoutOnTrial.contains(id)).ifPresent(changed::add);
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
            changed.add(new Retimed(id, Setting.PROBE_INTERVAL, e.interval(), wanted, why));
        }
        return changed;
    }

    /** Lays the longer timeout {@code hour} asks of {@code server}, if any, over its own; the change, if one. */
    private Optional<Retimed> timeout(MonitoredServer server, HourOfWeek hour, boolean onTrial) {
        ServerId id = server.id();
        Duration inForce = server.timeout();
        ProbeTimeouts.Hour h = ProbeTimeouts.at(Optional.ofNullable(probesLearned.get(id)), hour, inForce);
        Optional<Duration> wanted = onTrial ? Optional.empty() : h.wanted().filter(w -> w.compareTo(inForce) > 0);
        Optional<Duration> before = Optional.ofNullable(lengthened.get(id));
        if (wanted.equals(before)) {
            return Optional.empty();
        }
        try {
            monitor.lengthenTimeout(id, wanted);
        } catch (IllegalArgumentException refused) {
            return Optional.empty(); // no longer watched, or refused: it keeps the timeout it has
        }
        wanted.ifPresentOrElse(w -> lengthened.put(id, w), () -> lengthened.remove(id));
        Duration from = before.filter(b -> b.compareTo(inForce) > 0).orElse(inForce);
        Duration to = wanted.orElse(inForce);
        if (from.equals(to)) {
            return Optional.empty();
        }
        String why = onTrial ? "its timeout in force is on trial: probed with it until the trial ends"
                : h.evidence() + (h.wanted().filter(w -> w.compareTo(inForce) < 0).isPresent()
                ? " (a shorter timeout is advised, not followed)" : "");
        return Optional.of(new Retimed(id, Setting.PROBE_TIMEOUT, from, to, why));
    }

    /** The stored probe profiles; what was read before while the store is away. */
    private Map<ServerId, UsageProfile> readProbeProfiles() {
        try {
            Map<ServerId, UsageProfile> read = new HashMap<>();
            probeProfiles.load().forEach(p -> read.put(p.server(), UsageProfile.restore(p.cells())));
            return read;
        } catch (StorageUnavailableException e) {
            return probesLearned;
        }
    }
}
