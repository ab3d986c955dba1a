package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.application.port.out.StatusStorePort;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.StatusSnapshot;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Snapshots in memory, one per server: the fake {@link StatusStoreContract} holds to the SQLite store's rules. */
final class InMemoryStatusStore implements StatusStorePort {
    private final Map<ServerId, StatusSnapshot> snapshots = new TreeMap<>();

    @Override
    public synchronized void save(List<StatusSnapshot> batch) {
        batch.forEach(s -> snapshots.put(s.server(), s));
    }

    synchronized List<StatusSnapshot> statuses() {
        return List.copyOf(snapshots.values());
    }
}
