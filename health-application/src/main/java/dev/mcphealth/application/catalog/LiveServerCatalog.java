package dev.mcphealth.application.catalog;

import dev.mcphealth.application.port.in.UnknownServerException;
import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The configured servers, whose settings may be changed while the monitor runs ({@link #replace}): the catalog the
 * services of a running monitor share. A change lasts until the monitor stops; the configuration is not written, and
 * it is again the source of truth on the next start. The servers and their order never change, only their settings.
 *
 * <p>Thread-safe: readers get an immutable list or server and never wait; a replacement swaps the whole list at once.
 */
public final class LiveServerCatalog implements TunableCatalog {
    private final Object writeLock = new Object();
    /** Swapped whole, so that a reader sees the list and the index of one moment. */
    private volatile Servers now;

    private record Servers(List<MonitoredServer> list, Map<ServerId, MonitoredServer> byId) {
        static Servers of(Map<ServerId, MonitoredServer> byId) {
            Map<ServerId, MonitoredServer> copy = Collections.unmodifiableMap(new LinkedHashMap<>(byId));
            return new Servers(List.copyOf(copy.values()), copy);
        }
    }

    /** Starts as {@code configured} lists its servers now. */
    public LiveServerCatalog(ServerCatalogPort configured) {
        Map<ServerId, MonitoredServer> map = new LinkedHashMap<>();
        for (MonitoredServer s : configured.servers()) {
            if (map.putIfAbsent(s.id(), s) != null) {
                throw new IllegalArgumentException("server " + s.id() + " is configured twice");
            }
        }
        now = Servers.of(map);
    }

    @Override
    public List<MonitoredServer> servers() {
        return now.list();
    }

    @Override
    public Optional<MonitoredServer> server(ServerId id) {
        return Optional.ofNullable(now.byId().get(id));
    }

    /**
     * From now on the server named {@code changed.id()} is {@code changed}: the same server (id, type, transport) with
     * other settings.
     *
     * @return the server it replaced
     * @throws UnknownServerException if no server has that id
     * @throws IllegalArgumentException if {@code changed} is of another type or transport
     */
    @Override
    public MonitoredServer replace(MonitoredServer changed) {
        Objects.requireNonNull(changed, "changed");
        synchronized (writeLock) {
            Map<ServerId, MonitoredServer> byId = now.byId();
            MonitoredServer before = byId.get(changed.id());
            if (before == null) {
                throw new UnknownServerException(new TreeSet<>(List.of(changed.id())), byId.keySet());
            }
            if (!before.type().equals(changed.type()) || before.transport() != changed.transport()) {
                throw new IllegalArgumentException(changed.id() + " is a " + before.type() + " server over "
                        + before.transport().code() + "; a tuned copy must stay one");
            }
            Map<ServerId, MonitoredServer> map = new LinkedHashMap<>(byId);
            map.put(changed.id(), changed);
            now = Servers.of(map);
            return before;
        }
    }
}
