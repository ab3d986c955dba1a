package dev.mcphealth.application.catalog;

import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.StandbyPhase;
import dev.mcphealth.domain.model.StandbyTransition;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link StandbyInstances} in memory, every one cold at the start: one map, replaced entry by entry (a move
 * compares and sets), read without a lock.
 */
public final class StandbyRegistry implements StandbyInstances {
    private final Map<ServerId, Entry> phases = new ConcurrentHashMap<>();
    /** The instances in configuration order. */
    private final Collection<ServerId> order;

    /** @param standby the standby instances, in configuration order, all cold since {@code start} */
    public StandbyRegistry(Collection<ServerId> standby, Instant start) {
        Map<ServerId, Entry> first = new LinkedHashMap<>();
        standby.forEach(id -> first.put(Objects.requireNonNull(id, "id"), new Entry(StandbyPhase.COLD, start)));
        phases.putAll(first);
        this.order = java.util.List.copyOf(first.keySet());
    }

    @Override
    public boolean isStandby(ServerId id) {
        return !phases.isEmpty() && phases.containsKey(id);
    }

    @Override
    public Optional<Entry> entry(ServerId id) {
        return phases.isEmpty() ? Optional.empty() : Optional.ofNullable(phases.get(id));
    }

    @Override
    public boolean serves(ServerId id) {
        if (phases.isEmpty()) {
            return true;
        }
        Entry e = phases.get(id);
        return e == null || e.phase().serves();
    }

    @Override
    public boolean probed(ServerId id) {
        if (phases.isEmpty()) {
            return true;
        }
        Entry e = phases.get(id);
        return e == null || e.phase().probed();
    }

    @Override
    public Collection<ServerId> all() {
        return order;
    }

    @Override
    public boolean move(ServerId id, StandbyTransition change, Instant at) {
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(at, "at");
        Entry now = phases.get(id);
        if (now == null) {
            throw new IllegalArgumentException(id.value() + " is not a standby instance");
        }
        return now.phase() == change.from() && phases.replace(id, now, new Entry(change.to(), at));
    }
}
