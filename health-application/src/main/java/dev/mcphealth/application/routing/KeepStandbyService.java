package dev.mcphealth.application.routing;

import dev.mcphealth.application.catalog.StandbyInstances;
import dev.mcphealth.application.monitoring.InstanceViews;
import dev.mcphealth.application.monitoring.CooledInstances;
import dev.mcphealth.application.monitoring.InstanceLoads;
import dev.mcphealth.application.port.in.KeepStandbyUseCase;
import dev.mcphealth.application.port.in.ReadUsageProfilesUseCase;
import dev.mcphealth.application.port.out.BreakerPort;
import dev.mcphealth.application.port.out.MonitorEventPort;
import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.application.port.out.SessionPort;
import dev.mcphealth.domain.learning.Prewarm;
import dev.mcphealth.domain.learning.UsageProfile;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.StandbyChanged;
import dev.mcphealth.domain.model.StandbyPhase;
import dev.mcphealth.domain.model.StandbyTransition;
import dev.mcphealth.domain.routing.InstanceView;
import dev.mcphealth.domain.recovery.RecoveryEpisode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Keeps each pool's standby instances as {@link Prewarm} says, from what the monitor sees of the pool's instances and
 * the pool's usage profile (read once a minute: an hour's usual rate barely moves in one). Warming one only lets the
 * monitor probe it again: its next probe opens its session (starts a stdio server's process), and once a probe saw it
 * usable it takes calls. Cooling one forgets what the monitor saw of it, sends it no more calls, and closes its session
 * once the calls out to it are answered. A cold instance keeps no session otherwise: one opened meanwhile (a probe
 * under way when it was cooled, a recovery asked for by hand) is closed at the next call.
 */
public final class KeepStandbyService implements KeepStandbyUseCase {
    /** The pools that have standby instances, each in configuration order. */
    private final Map<ServerType, List<MonitoredServer>> pools = new LinkedHashMap<>();
    private final StandbyInstances standby;
    private final InstanceViews monitor;
    private final CooledInstances board;
    private final BreakerPort breakers;
    private final SessionPort sessions;
    private final ReadUsageProfilesUseCase profiles;
    private final MonitorEventPort events;
    private final Clock clock;
    private final ZoneId zone;
    private final Prewarm.Timing timing;
    /** The profiles as last read, and when: read once a minute (a copy of every pool's), not on every flush. */
    private Map<ServerType, UsageProfile> learned = Map.of();
    private Instant learnedAt;
    static final java.time.Duration READ_PROFILES_EVERY = java.time.Duration.ofMinutes(1);
    private final InstanceLoads loads;
    private final Function<ServerId, Optional<RecoveryEpisode>> recovery;
    private final java.time.Duration drainAtMost;
    /**
     * Cooled instances whose calls under way may still be answered, and when each was cooled: no new call goes to
     * them, and their sessions close at a later call once none is out (or {@code drainAtMost} after), so that taking
     * an instance out of service fails no call.
     */
    private final Map<ServerId, Instant> draining = new LinkedHashMap<>();
    /** Each pool's last time it wanted all of its standby instances in service that were. */
    private final Map<ServerType, Instant> wantedUntil = new LinkedHashMap<>();

    /**
     * @param board       what the monitor sees of each instance, and where a cooled one's status is forgotten
     * @param profiles    the pools' usage profiles as learned now
     * @param zone        the zone of the profiles' weeks
     * @param timing      how long ahead of a surge standby instances are warmed, and how long they serve at least
     * @param loads       the calls out to each instance now (the router's): a cooled one's session closes once it has
     *                    none ({@link InstanceLoads#NONE}: at the next call)
     * @param drainAtMost how long a cooled instance's calls under way may take before its session closes anyway (the
     *                    longest a call waits on an instance)
     * @param recovery    the recovery episode open for each instance, if any: one still recovering is not cooled
     */
    public <B extends InstanceViews & CooledInstances> KeepStandbyService(ServerCatalogPort catalog,
            StandbyInstances standby, B board, BreakerPort breakers, SessionPort sessions,
            ReadUsageProfilesUseCase profiles, MonitorEventPort events, Clock clock, ZoneId zone,
            Prewarm.Timing timing, InstanceLoads loads, java.time.Duration drainAtMost,
            Function<ServerId, Optional<RecoveryEpisode>> recovery) {
        this.recovery = Objects.requireNonNull(recovery, "recovery");
        this.timing = Objects.requireNonNull(timing, "timing");
        this.loads = Objects.requireNonNull(loads, "loads");
        this.drainAtMost = Objects.requireNonNull(drainAtMost, "drainAtMost");
        this.standby = Objects.requireNonNull(standby, "standby");
        this.board = Objects.requireNonNull(board, "board");
        this.monitor = board;
        this.breakers = Objects.requireNonNull(breakers, "breakers");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.profiles = Objects.requireNonNull(profiles, "profiles");
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.zone = Objects.requireNonNull(zone, "zone");
        Map<ServerType, List<MonitoredServer>> all = new LinkedHashMap<>();
        catalog.servers().forEach(s -> all.computeIfAbsent(s.type(), t -> new ArrayList<>()).add(s));
        all.forEach((type, pool) -> {
            if (pool.stream().anyMatch(s -> standby.isStandby(s.id()))) {
                pools.put(type, List.copyOf(pool));
            }
        });
    }

    @Override
    public synchronized List<StandbyChanged> keep() {
        if (pools.isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant();
        if (learnedAt == null || !now.isBefore(learnedAt.plus(READ_PROFILES_EVERY)) || now.isBefore(learnedAt)) {
            learned = profiles.learnedTypes();
            learnedAt = now;
        }
        List<StandbyChanged> made = new ArrayList<>();
        Instant weekNow = profiles.weekTime(now);
        Instant weekAhead = profiles.weekTime(now.plus(timing.lead()));
        pools.forEach((type, pool) -> {
            Prewarm.Pool seen = poolNow(pool);
            Optional<UsageProfile> profile = Optional.ofNullable(learned.get(type));
            Prewarm.Want want = Prewarm.wanted(seen, profile, weekNow, weekAhead, zone);
            if (want.instances() >= seen.serving()) {
                wantedUntil.put(type, now);
            }
            Prewarm.Pool p = new Prewarm.Pool(seen.active(), seen.activeUsable(), seen.standbys(),
                    wantedUntil.getOrDefault(type, Instant.EPOCH));
            for (Prewarm.Step step : Prewarm.steps(p, want, now, timing)) {
                ServerId id = step.server();
                if (step.change().to() == StandbyPhase.COLD) {
                    // checked and moved under its monitor's lock: a probe taken in just before keeps it in service
                    if (!board.cooled(id, () -> standby.move(id, step.change(), now))) {
                        continue;
                    }
                    draining.put(id, now);
                } else if (!standby.move(id, step.change(), now)) {
                    continue;
                }
                if (step.change() != StandbyTransition.READY) {
                    breakers.recovered(id); // a fresh start: an old open breaker would keep it from ever serving
                }
                StandbyChanged e = new StandbyChanged(id, type, step.change(), step.reason(), now);
                made.add(e);
                events.publish(e);
            }
        });
        // a call routed just before the cooling may not be counted yet: sessions close from the next call on
        draining.entrySet().removeIf(e -> {
            ServerId id = e.getKey();
            if (standby.probed(id)) {
                return true; // warmed again meanwhile: its session serves on
            }
            boolean idle = loads.of(id, now).map(f -> f.inFlight() == 0).orElse(true);
            if (now.isAfter(e.getValue()) && idle || !now.isBefore(e.getValue().plus(drainAtMost))) {
                sessions.close(id);
                return true;
            }
            return false;
        });
        for (ServerId id : standby.all()) {
            if (!standby.probed(id) && !draining.containsKey(id) && sessions.isOpen(id)) {
                draining.put(id, now); // closed once its calls (a retry begun before the cooling) are answered
            }
        }
        return List.copyOf(made);
    }

    private Prewarm.Pool poolNow(List<MonitoredServer> pool) {
        int active = 0;
        boolean activeUsable = false;
        List<Prewarm.Standby> standbys = new ArrayList<>();
        for (MonitoredServer s : pool) {
            InstanceView v = monitor.view(s.id(), false, breakers.state(s.id()));
            Optional<StandbyInstances.Entry> e = standby.entry(s.id());
            if (e.isEmpty()) {
                active++;
                activeUsable |= v.usable();
            } else {
                standbys.add(new Prewarm.Standby(s.id(), e.get().phase(), e.get().since(), v.status(),
                        recovery.apply(s.id()).isPresent()));
            }
        }
        return new Prewarm.Pool(active, activeUsable, standbys);
    }
}
