package dev.mcphealth.application.testkit;

import java.util.Set;
import java.util.Comparator;
import java.time.Instant;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.application.port.out.FailureHistoryPort;
import dev.mcphealth.application.port.out.FailureStorePort;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.model.Failure;
import java.util.ArrayList;
import java.util.List;

/**
 * Failures in memory, one per server, type and start as the port says, and read back as the episodes of a period: the
 * fake that the failure store and failure history contracts check. {@link #unavailable} makes every record fail.
 */
public final class InMemoryFailureStore implements FailureStorePort, FailureHistoryPort {
    private final List<Failure> rows = new ArrayList<>();
    private int calls;
    private String unavailable;

    public InMemoryFailureStore unavailable(String reason) {
        this.unavailable = reason;
        return this;
    }

    @Override
    public synchronized void record(List<Failure> failures) {
        calls++;
        if (unavailable != null) {
            throw new StorageUnavailableException(unavailable, null);
        }
        for (Failure f : failures) {
            Failure stored = f;
            for (java.util.Iterator<Failure> it = rows.iterator(); it.hasNext(); ) {
                Failure r = it.next();
                if (r.serverInstance().equals(f.serverInstance()) && r.type() == f.type()
                        && r.occurredAt().equals(f.occurredAt())) {
                    it.remove();
                    // the port keeps a stored recovery task when the failure written again carries none
                    stored = new Failure(f.serverType(), f.serverInstance(), f.type(), f.taskContext(),
                            f.errorDetails(), f.recoveryAction(), f.resolutionTime(), f.occurredAt(),
                            f.orchestratorRecoveryTaskId().or(r::orchestratorRecoveryTaskId));
                }
            }
            rows.add(stored);
        }
    }

    public synchronized List<Failure> rows() {
        return List.copyOf(rows);
    }

    /** One server's rows, oldest first. */
    public synchronized List<Failure> of(ServerId server) {
        return rows.stream().filter(f -> f.serverInstance().equals(server))
                .sorted(Comparator.comparing(Failure::occurredAt)).toList();
    }

    @Override
    public synchronized List<Failure> failures(Instant since, Set<ServerType> types, int limit) {
        List<Failure> newestFirst = new ArrayList<>();
        for (int i = rows.size() - 1; i >= 0; i--) {
            Failure f = rows.get(i);
            if (!types.isEmpty() && !types.contains(f.serverType())) {
                continue;
            }
            boolean openAtSince = f.resolutionTime().map(d -> f.occurredAt().plus(d).isAfter(since)).orElse(true);
            if (!f.occurredAt().isBefore(since) || openAtSince) {
                newestFirst.add(f);
            }
        }
        newestFirst.sort(Comparator.comparing(Failure::occurredAt).reversed());
        return List.copyOf(newestFirst.subList(0, Math.min(limit, newestFirst.size())));
    }

    /** Forgets every row, as a store made anew would. */
    public synchronized void clear() {
        rows.clear();
    }

    public synchronized int calls() {
        return calls;
    }
}
