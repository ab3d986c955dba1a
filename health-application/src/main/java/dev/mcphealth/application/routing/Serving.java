package dev.mcphealth.application.routing;

import dev.mcphealth.application.port.out.MonitorEventPort;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.routing.InstanceView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Which instance serves each server type's calls for {@link ResilientCallService}, and the {@code failover} events
 * that say it changed: each change of a pool whose calls stay (sticky, or moved by hand), and in a balanced pool each
 * call that failed on one instance and was served by another.
 */
final class Serving {
    private final Map<ServerType, ServerId> current = new ConcurrentHashMap<>();
    /** When a person last moved the type's calls ({@link #moveTo}), until calls move again. */
    private final Map<ServerType, Instant> movedByHand = new ConcurrentHashMap<>();
    private final MonitorEventPort events;
    private final Clock clock;
    /** What the router knows of an instance now, as a primary (to say why calls left it). */
    private final Function<ServerId, InstanceView> view;
    private final Duration failbackAfter;

    Serving(MonitorEventPort events, Clock clock, Function<ServerId, InstanceView> view, Duration failbackAfter) {
        this.events = events;
        this.clock = clock;
        this.view = view;
        this.failbackAfter = failbackAfter;
    }

    /** The instance the type's calls went to last, if any went anywhere yet (or calls were moved by hand). */
    Optional<ServerId> current(ServerType type) {
        return Optional.ofNullable(current.get(type));
    }

    /** When a person moved the type's calls, if they have not moved again since. */
    Optional<Instant> movedByHand(ServerType type) {
        return Optional.ofNullable(movedByHand.get(type));
    }

    /** Moves the type's calls from {@code from} to {@code to} (the coordinator run by hand). */
    void moveTo(ServerType type, ServerId from, ServerId to, String reason) {
        current.put(type, to);
        movedByHand.put(type, clock.instant());
        events.publish(new MonitorEvent.FailedOver(type, from, to, reason, clock.instant()));
    }

    /**
     * Remembers who served the type's call. With {@code everyChange} (a sticky or priority pool, one moved by hand, a
     * move to or from the fallback type) each change of the instance serving ({@code before}, null for none) is said;
     * between the usable primaries of a balanced pool calls move by load all the time, which is no failover, and one
     * is said only when the call failed on an instance ({@code failedOn}, null if it failed on none) and another
     * served it. (Null rather than empty: it runs on every call and allocates nothing.)
     */
    void served(ServerType type, boolean everyChange, ServerId before, ServerId failedOn, ServerId by) {
        if (everyChange) {
            moved(type, before, by, failedOn != null ? "the previous instance failed" : null);
            return;
        }
        if (movedByHand.containsKey(type)) {
            return; // a call that went out before a move by hand does not undo it
        }
        current.put(type, by);
        if (failedOn != null && !failedOn.equals(by)) {
            events.publish(new MonitorEvent.FailedOver(type, failedOn, by, "the previous instance failed",
                    clock.instant()));
        }
    }

    /** Remembers who serves the type now, and says so when it changed (a failover, or a fail-back). */
    private void moved(ServerType type, ServerId before, ServerId now, String reason) {
        current.put(type, now);
        if (before != null && !before.equals(now)) {
            movedByHand.remove(type);
            InstanceView was = view.apply(before);
            String why = reason != null ? reason
                    : was.usable() ? "fail back: " + now.value() + " has been healthy for "
                    + Math.max(1, (failbackAfter.toMillis() + 999) / 1000) + " s"
                    : before.value() + " cannot serve (" + was.status().map(s -> s.code()).orElse("unknown")
                    + ", breaker " + was.breaker().code() + ")";
            events.publish(new MonitorEvent.FailedOver(type, before, now, why, clock.instant()));
        }
    }
}
