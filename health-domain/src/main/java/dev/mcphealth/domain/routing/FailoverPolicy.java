package dev.mcphealth.domain.routing;

import dev.mcphealth.domain.model.BreakerState;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.ServerId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * {@link #order} computes it without allocating (it runs on every call); {@link #candidates} is the same order as a
 * list.
 */
public final class FailoverPolicy {
    private FailoverPolicy() {
    }

    public static List<ServerId> candidates(List<InstanceView> pool, Optional<ServerId> current,
                                            Duration failbackAfter, Instant now) {
        InstanceView[] views = pool.toArray(new InstanceView[0]);
        int[] order = new int[views.length];
        int n = order(views, views.length, current.orElse(null), failbackAfter, now, order);
        List<ServerId> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            out.add(views[order[k]].id());
        }
        return List.copyOf(out);
    }

    /**
     * The order of {@link #candidates}, without allocating: the indices into {@code pool[0..size)} of the instances
     * to try, in turn, written to {@code out} from its start.
     *
     * @param current the instance now serving, or {@code null} for none
     * @param out     at least {@code size} long
     * @return how many indices were written
     */
    public static int order(InstanceView[] pool, int size, ServerId current, Duration failbackAfter, Instant now,
                            int[] out) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (pool[i].usable()) {
                n = insert(pool, out, n, i);
            }
        }
        if (n == 0) {
            for (int i = 0; i < size; i++) {
                if (pool[i].breaker() != BreakerState.OPEN) {
                    n = insert(pool, out, n, i);
                }
            }
            return n;
        }
        int sticky = -1;
        for (int k = 0; current != null && k < n; k++) {
            if (pool[out[k]].id().equals(current)) {
                sticky = out[k];
            }
        }
        if (sticky < 0) {
            return n;
        }
        // fail back to the first usable instance before the sticky one in configuration order that has been healthy
        // long enough; else the sticky one stays first
        int first = sticky;
        for (int k = 0; k < n; k++) {
            int i = out[k];
            if (configuredBefore(pool, i, first) && pool[i].healthyFor(failbackAfter, now)) {
                first = i;
            }
        }
        int at = 0;
        while (out[at] != first) {
            at++;
        }
        System.arraycopy(out, 0, out, 1, at);
        out[0] = first;
        return n;
    }

    /** Inserts index {@code i} into the sorted {@code out[0..n)}: primaries first, then by health, then by index. */
    private static int insert(InstanceView[] pool, int[] out, int n, int i) {
        int k = n;
        while (k > 0 && before(pool, i, out[k - 1])) {
            out[k] = out[k - 1];
            k--;
        }
        out[k] = i;
        return n + 1;
    }

    private static boolean before(InstanceView[] pool, int a, int b) {
        if (pool[a].fallback() != pool[b].fallback()) {
            return !pool[a].fallback();
        }
        int ra = rank(pool[a]);
        int rb = rank(pool[b]);
        return ra != rb ? ra < rb : a < b;
    }

    /** Configuration order: the primary type's instances in list order, then the fallback type's. */
    private static boolean configuredBefore(InstanceView[] pool, int a, int b) {
        if (pool[a].fallback() != pool[b].fallback()) {
            return !pool[a].fallback();
        }
        return a < b;
    }

    /** Healthy first, then warning and not yet probed, then critical, then offline. */
    private static int rank(InstanceView i) {
        return i.status().isPresent() ? i.status().get().ordinal() : HealthStatus.WARNING.ordinal();
    }
}
