package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.application.port.out.FailureHistoryPort;
import dev.mcphealth.application.port.out.FailureStorePort;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Failures in memory, keyed as the port says (instance, type, start), and read back as episodes of a period: the fake
 * {@link FailureStoreContract} and {@link FailureHistoryContract} check.
 */
final class InMemoryFailureStore implements FailureStorePort, FailureHistoryPort {
    private final List<Failure> rows = new ArrayList<>();

    @Override
    public synchronized void record(List<Failure> failures) {
        for (Failure f : failures) {
            Failure stored = f;
            for (java.util.Iterator<Failure> it = rows.iterator(); it.hasNext(); ) {
                Failure r = it.next();
                if (r.serverInstance().equals(f.serverInstance()) && r.type() == f.type()
                        && r.occurredAt().equals(f.occurredAt())) {
                    it.remove();
                    // a stored recovery task stays when the failure is stored again without one
                    stored = new Failure(f.serverType(), f.serverInstance(), f.type(), f.taskContext(),
                            f.errorDetails(), f.recoveryAction(), f.resolutionTime(), f.occurredAt(),
                            f.orchestratorRecoveryTaskId().or(r::orchestratorRecoveryTaskId));
                }
            }
            rows.add(stored);
        }
    }

    synchronized List<Failure> of(ServerId server) {
        return rows.stream().filter(f -> f.serverInstance().equals(server))
                .sorted(Comparator.comparing(Failure::occurredAt)).collect(Collectors.toList());
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
}
