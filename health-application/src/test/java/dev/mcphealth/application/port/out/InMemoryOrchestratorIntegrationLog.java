package dev.mcphealth.application.port.out;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The integration log in memory, holding to {@link OrchestratorIntegrationLogContract}. {@link #failing} makes every
 * write fail as a full disk would, storing nothing.
 */
public final class InMemoryOrchestratorIntegrationLog implements OrchestratorIntegrationLogPort {
    private final List<Entry> entries = new ArrayList<>();
    private boolean failing;

    /** From now on every {@link #record} throws {@link StorageUnavailableException} and stores nothing. */
    public synchronized InMemoryOrchestratorIntegrationLog failing() {
        failing = true;
        return this;
    }

    @Override
    public synchronized void record(Entry entry) {
        if (failing) {
            throw new StorageUnavailableException("cannot write the integration log: disk is full", null);
        }
        entries.add(entry);
    }

    @Override
    public synchronized List<Entry> recent(IntegrationType type, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        List<Entry> newestFirst = new ArrayList<>();
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).type() == type) {
                newestFirst.add(entries.get(i));
            }
        }
        // stable: entries of the same validation time stay newest first by arrival
        newestFirst.sort(Comparator.comparing(Entry::validatedAt).reversed());
        return List.copyOf(newestFirst.subList(0, Math.min(limit, newestFirst.size())));
    }

    /** Every entry recorded, oldest first. */
    public synchronized List<Entry> all() {
        return List.copyOf(entries);
    }
}
