package dev.mcphealth.domain.routing;

import dev.mcphealth.domain.model.BreakerState;

import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.ServerId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The order in which a call tries the instances of a pool: the primary type's instances in configuration order, then
 * (with the alternative_server strategy) the fallback type's. Rules:
 * <ul>
 *   <li>Usable instances (breaker not open, not critical or offline) come first, primaries before fallbacks (a
 *       usable primary, even in warning, before a healthy fallback), healthy before warning or unknown, then by
 *       configuration order.</li>
 *   <li>Sticky with hysteresis: the instance now serving ({@code current}) keeps the first place while it is usable,
 *       unless an instance before it in configuration order (the primary, typically) has been healthy for
 *       {@code failbackAfter}: then calls fail back to that one. So a primary that comes back is not trusted on its
 *       first good probe, and traffic does not flap between two instances.</li>
 *   <li>Never eject the whole pool: when no instance is usable, the instances whose breaker is not open are still
 *       tried (a bad probe round must not turn a working pool off). Only when every breaker is open is the answer
 *       empty, and the call fails fast.</li>
 * </ul>
 */
public final class FailoverPolicy {
    private FailoverPolicy() {
    }

    public static List<ServerId> candidates(List<InstanceView> pool, Optional<ServerId> current,
                                            Duration failbackAfter, Instant now) {
        // configuration order: the primary type's instances, then the fallback type's, whatever the list's order
        List<InstanceView> configured = new ArrayList<>(pool);
        configured.sort(Comparator.comparing(InstanceView::fallback)); // stable
        List<InstanceView> usable = new ArrayList<>();
        List<InstanceView> rest = new ArrayList<>();
        for (InstanceView i : configured) {
            (i.usable() ? usable : rest).add(i);
        }
        Comparator<InstanceView> byHealth = Comparator.comparing(InstanceView::fallback)
                .thenComparingInt(FailoverPolicy::rank);
        List<InstanceView> ordered = new ArrayList<>(usable);
        ordered.sort(byHealth); // stable: configuration order within a rank
        Optional<InstanceView> sticky = current.flatMap(id -> usable.stream().filter(i -> i.id().equals(id))
                .findFirst());
        if (sticky.isPresent()) {
            InstanceView first = sticky.get();
            for (InstanceView i : usable) {
                if (i == sticky.get()) {
                    break;
                }
                if (i.healthyFor(failbackAfter, now)) {
                    first = i;
                    break;
                }
            }
            ordered.remove(first);
            ordered.add(0, first);
        }
        List<ServerId> out = new ArrayList<>();
        ordered.forEach(i -> out.add(i.id()));
        if (out.isEmpty()) {
            rest.stream().filter(i -> i.breaker() != dev.mcphealth.domain.model.BreakerState.OPEN)
                    .sorted(byHealth).forEach(i -> out.add(i.id()));
        }
        return List.copyOf(out);
    }

    /** Healthy first, then warning and not yet probed, then critical, then offline. */
    private static int rank(InstanceView i) {
        HealthStatus s = i.status().orElse(HealthStatus.WARNING);
        return s.ordinal();
    }
}
