package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.application.port.out.FailureStorePort;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.ServerId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** Failures in memory, keyed as the port says (instance, type, start): the fake {@link FailureStoreContract} checks. */
final class InMemoryFailureStore implements FailureStorePort {
    private final List<Failure> rows = new ArrayList<>();

    @Override
    public synchronized void record(List<Failure> failures) {
        for (Failure f : failures) {
            rows.removeIf(r -> r.serverInstance().equals(f.serverInstance()) && r.type() == f.type()
                    && r.occurredAt().equals(f.occurredAt()));
            rows.add(f);
        }
    }

    synchronized List<Failure> of(ServerId server) {
        return rows.stream().filter(f -> f.serverInstance().equals(server))
                .sorted(Comparator.comparing(Failure::occurredAt)).collect(Collectors.toList());
    }
}
