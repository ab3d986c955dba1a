package dev.mcphealth.application.monitoring;

import dev.mcphealth.application.port.in.UnknownServerException;
import dev.mcphealth.application.port.out.MonitorEventPort;
import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What the monitor's parts share: one record per server (each guarded by its own lock, the unit of locking for every
 * part), the write buffer, the monitor's view of itself, and two signals: the board changed, the monitor stopped.
 */
final class MonitorState {
    /** How often the error-rate and throughput of the last minute are written as rows, per server and for itself. */
    static final Duration AGGREGATE_EVERY = Duration.ofMinutes(1);

    /** Fixed at construction: read without a lock. */
    private final Map<ServerId, ServerMonitor> monitors = new LinkedHashMap<>();
    final WriteBuffer buffer;
    final SelfMonitor self;
    final Clock clock;
    final MonitoringSettings settings;
    final MonitorEventPort events;
    /** Breaker transitions waiting to be written (few: one per trip), bounded like the metric rows. Its own lock. */
    final ArrayDeque<MonitorEvent.BreakerChanged> breakerChanges = new ArrayDeque<>();
    /** A status changed since the board was last saved: save it at the next flush, not up to 5 s later. */
    volatile boolean statusChanged;
    /** Servers whose status changed since the last flush: written at the next one (the others in turn). */
    final java.util.Set<ServerId> changedStatuses = java.util.concurrent.ConcurrentHashMap.newKeySet();
    volatile boolean stopped;
    /** The pools' standby instances: a cold one is not probed. */
    final dev.mcphealth.application.catalog.StandbyInstances standby;
    /** The servers of this monitor's share of the work: another monitor's are neither probed nor recorded here. */
    final dev.mcphealth.application.port.out.WorkSharePort share;
    /**
     * One of several monitors: the servers the others hold, as their holders last stored them (read by the flush,
     * after its writes, so that no reader of the board waits on the database).
     */
    volatile Map<ServerId, dev.mcphealth.domain.model.StatusSnapshot> others = Map.of();

    MonitorState(ServerCatalogPort catalog, MonitorEventPort events, Clock clock, MonitoringSettings settings,
                 dev.mcphealth.application.catalog.StandbyInstances standby,
                 dev.mcphealth.application.port.out.WorkSharePort share) {
        this.standby = Objects.requireNonNull(standby, "standby");
        this.share = Objects.requireNonNull(share, "share");
        this.events = Objects.requireNonNull(events);
        this.clock = Objects.requireNonNull(clock);
        this.settings = Objects.requireNonNull(settings);
        this.buffer = new WriteBuffer(settings.bufferCapacity());
        Instant start = clock.instant();
        for (MonitoredServer s : catalog.servers()) {
            Duration interval = settings.intervalOverride().orElse(s.failover().healthCheckInterval());
            monitors.put(s.id(), new ServerMonitor(s, interval, start));
        }
        this.self = new SelfMonitor(start);
    }

    /**
     * Whether a change for all servers is waiting; cleared only when it was set, so a change flagged after the read
     * waits for the next flush (a setter changes what it changes first, then flags it: one flagged between the read
     * and the clear is in the board written now).
     */
    boolean takeStatusChanged() {
        if (!statusChanged) {
            return false;
        }
        statusChanged = false;
        return true;
    }

    /** @throws UnknownServerException if the monitor does not watch {@code id} */
    ServerMonitor monitor(ServerId id) {
        ServerMonitor m = monitors.get(id);
        if (m == null) {
            throw new UnknownServerException(new TreeSet<>(List.of(id)), monitors.keySet());
        }
        return m;
    }

    Optional<ServerMonitor> find(ServerId id) {
        return Optional.ofNullable(monitors.get(id));
    }

    Collection<ServerMonitor> all() {
        return monitors.values();
    }

    java.util.Set<ServerId> ids() {
        return java.util.Set.copyOf(monitors.keySet());
    }
}
