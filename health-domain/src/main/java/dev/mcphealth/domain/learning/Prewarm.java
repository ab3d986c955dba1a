package dev.mcphealth.domain.learning;

import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.UsageFigure;
import dev.mcphealth.domain.model.StandbyPhase;
import dev.mcphealth.domain.model.StandbyTransition;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * When a pool's standby instances go into service and when they leave it (docs/learning.md, "Standby instances").
 * A pool wants standby instances in service:
 * <ul>
 *   <li>at once, one, when none of its active instances is usable (its failover);</li>
 *   <li>from {@link Timing#lead()} before an hour that its usage profile says usually brings a surge, and through it: an hour
 *       whose usual call rate, learned from at least {@link UsageProfile#READY_MINUTES} of its own minutes, is at
 *       least {@link #SURGE} times the pool's typical busy hour (the median of the hours that usually see at least
 *       {@link #MIN_RATE} calls a minute). As many as the active instances would need at that ratio, if they are
 *       sized for the typical busy hour: ceil(active x ratio) - active, at most the pool's standby instances.</li>
 * </ul>
 * Standby instances are warmed in configuration order and cooled in the reverse order. One leaves service only after
 * {@link Timing#stay()} in its phase (a scale-down stabilization, as the Kubernetes autoscaler's 300 s) and only while its
 * monitor sees it healthy or has not seen it at all: one that is down stays until it is back, so its outage, alert
 * and recovery end as any other's do. A warming instance goes into service once a probe saw it usable.
 */
public final class Prewarm {
    /** How many times the pool's typical busy hour an hour's usual rate must be to be a surge. */
    public static final double SURGE = 2.0;
    /** Calls a minute below which an hour is not busy: neither typical nor a surge. */
    public static final double MIN_RATE = 1.0;
    /** How long before a surge hour its standby instances are warmed by default: to start a process and probe it. */
    public static final Duration LEAD = Duration.ofMinutes(10);
    /** The least time in a phase before an instance is cooled, by default: no flapping at an hour's edge. */
    public static final Duration STAY = Duration.ofMinutes(10);

    /**
     * @param lead how long before a surge hour its standby instances are warmed (health.prewarm.leadSeconds)
     * @param stay the least time in a phase before an instance is cooled (health.prewarm.staySeconds)
     */
    public record Timing(Duration lead, Duration stay) {
        public static final Timing DEFAULT = new Timing(LEAD, STAY);

        public Timing {
            if (lead.isNegative() || stay.isNegative()) {
                throw new IllegalArgumentException("a lead and a stay are not negative");
            }
        }
    }

    private Prewarm() {
    }

    /**
     * One standby instance now.
     *
     * @param since      when it entered its phase
     * @param status     what its monitor sees (empty: not probed since it was warmed)
     * @param recovering whether recovery has an episode open for it (down, or not yet up for long)
     */
    public record Standby(ServerId id, StandbyPhase phase, Instant since, Optional<HealthStatus> status,
                          boolean recovering) {
        public Standby {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(phase, "phase");
            Objects.requireNonNull(since, "since");
            Objects.requireNonNull(status, "status");
        }

        /** A probe saw it down (critical or offline). */
        boolean down() {
            return status.filter(HealthStatus::isDown).isPresent();
        }

        /** Nothing of its own to end first: not seen, or healthy with no recovery episode open. */
        boolean settled() {
            return !recovering && (status.isEmpty() || status.get() == HealthStatus.HEALTHY);
        }
    }

    /**
     * A pool now: its active instances (those not configured as standby), whether any of them is usable, its standby
     * instances in configuration order, and until when it last wanted all of those in service (none is cooled before
     * {@link Timing#stay()} after that either: an active instance that flaps does not cool and warm one each time).
     */
    public record Pool(int active, boolean activeUsable, List<Standby> standbys, Instant wantedUntil) {
        public Pool {
            standbys = List.copyOf(standbys);
            Objects.requireNonNull(wantedUntil, "wantedUntil");
        }

        /** A pool whose past wants are not known: only each instance's own stay holds cooling back. */
        public Pool(int active, boolean activeUsable, List<Standby> standbys) {
            this(active, activeUsable, standbys, Instant.EPOCH);
        }

        /** How many of its standby instances are in service and not seen down. */
        public int serving() {
            return (int) standbys.stream().filter(s -> s.phase().probed() && !s.down()).count();
        }
    }

    /** What a pool wants: how many standby instances in service, and why (empty reason when none). */
    public record Want(int instances, String reason) {
        public Want {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** One change to make now, with why. */
    public record Step(ServerId server, StandbyTransition change, String reason) {
        public Step {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(change, "change");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** How many standby instances {@code pool} wants in service at {@code now}, from its usage profile if any. */
    public static Want wanted(Pool pool, Optional<UsageProfile> profile, Instant now, ZoneId zone) {
        return wanted(pool, profile, now, now.plus(LEAD), zone);
    }

    /**
     * As above, the profile's week read at {@code weekNow} and, for the surge ahead, at {@code weekAhead} (the lead
     * later: when a learned week is compressed, its own time, not the wall clock's).
     */
    public static Want wanted(Pool pool, Optional<UsageProfile> profile, Instant weekNow, Instant weekAhead,
                              ZoneId zone) {
        Want want = new Want(0, "");
        if (profile.isPresent() && !pool.standbys().isEmpty()) {
            Optional<Double> typical = typical(profile.get());
            if (typical.isPresent()) {
                Want here = surge(pool, profile.get(), HourOfWeek.of(weekNow, zone), typical.get(), "");
                Want next = surge(pool, profile.get(), HourOfWeek.of(weekAhead, zone), typical.get(), "ahead: ");
                want = next.instances() > here.instances() ? next : here;
            }
        }
        if (!pool.activeUsable() && pool.active() > 0 && want.instances() < 1 && !pool.standbys().isEmpty()) {
            want = new Want(1, "no active instance of the pool is usable");
        }
        return want;
    }

    /** The changes to make now: warmed instances seen usable go into service, then as many as wanted. */
    public static List<Step> steps(Pool pool, Optional<UsageProfile> profile, Instant now, ZoneId zone) {
        return steps(pool, wanted(pool, profile, now, zone), now, Timing.DEFAULT);
    }

    /** As above, for what the pool {@code want}s ({@link #wanted}), with {@code timing}'s stay on the wall clock. */
    public static List<Step> steps(Pool pool, Want want, Instant now, Timing timing) {
        List<Step> out = new ArrayList<>();
        StandbyPhase[] phase = new StandbyPhase[pool.standbys().size()];
        int inService = 0;
        for (int i = 0; i < phase.length; i++) {
            Standby s = pool.standbys().get(i);
            phase[i] = s.phase();
            if (s.phase() == StandbyPhase.WARMING && s.status().isPresent() && !s.down()) {
                out.add(new Step(s.id(), StandbyTransition.READY, "a probe saw it " + s.status().get().code()));
                phase[i] = StandbyPhase.WARM;
            }
            // one seen down serves nobody: the next is warmed in its place
            inService += phase[i].probed() && !s.down() ? 1 : 0;
        }
        for (int i = 0; i < phase.length && inService < want.instances(); i++) {
            if (phase[i] == StandbyPhase.COLD) {
                out.add(new Step(pool.standbys().get(i).id(), StandbyTransition.WARM_UP, want.reason()));
                inService++;
            }
        }
        String why = want.instances() == 0 ? "no longer wanted"
                : "the pool wants " + want.instances() + " in service (" + want.reason() + ")";
        for (int i = phase.length - 1; i >= 0 && inService > want.instances(); i--) {
            Standby s = pool.standbys().get(i);
            Instant from = s.since().isAfter(pool.wantedUntil()) ? s.since() : pool.wantedUntil();
            if (phase[i] == StandbyPhase.COLD || s.down() || !s.settled() || now.isBefore(from.plus(timing.stay()))) {
                continue;
            }
            out.add(new Step(s.id(), phase[i] == StandbyPhase.WARM ? StandbyTransition.COOL
                    : StandbyTransition.CANCEL, why));
            inService--;
        }
        return List.copyOf(out);
    }

    /** The median usual rate of the hours that are busy ({@link #MIN_RATE} or more); empty when none is. */
    static Optional<Double> typical(UsageProfile profile) {
        double[] busy = new double[HourOfWeek.COUNT];
        int n = 0;
        for (int h = 0; h < HourOfWeek.COUNT; h++) {
            Optional<UsageProfile.Expectation> e = profile.expected(new HourOfWeek(h), UsageFigure.RATE);
            if (e.isPresent() && e.get().expected() >= MIN_RATE) {
                busy[n++] = e.get().expected();
            }
        }
        if (n == 0) {
            return Optional.empty();
        }
        Arrays.sort(busy, 0, n);
        return Optional.of(n % 2 == 1 ? busy[n / 2] : (busy[n / 2 - 1] + busy[n / 2]) / 2);
    }

    private static Want surge(Pool pool, UsageProfile profile, HourOfWeek hour, double typical, String prefix) {
        Optional<UsageProfile.Expectation> e = profile.expected(hour, UsageFigure.RATE);
        if (e.isEmpty() || e.get().leaning() || !(e.get().expected() >= MIN_RATE)
                || !Double.isFinite(e.get().expected()) || !Double.isFinite(typical)) {
            return new Want(0, "");
        }
        double ratio = e.get().expected() / typical;
        if (!(ratio >= SURGE)) {
            return new Want(0, "");
        }
        int extra = (int) Math.ceil(pool.active() * ratio - 1e-9) - pool.active();
        int n = Math.min(pool.standbys().size(), Math.max(1, extra));
        return new Want(n, String.format(Locale.ROOT, "%s%s usually brings %.1fx the pool's typical busy hour"
                + " (%.1f calls/min against %.1f)", prefix, hour.label(), ratio, e.get().expected(), typical));
    }
}
