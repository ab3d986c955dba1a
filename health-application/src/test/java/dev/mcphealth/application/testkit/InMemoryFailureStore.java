package dev.mcphealth.application.testkit;

import dev.mcphealth.application.port.out.FailureStorePort;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.model.Failure;
import java.util.ArrayList;
import java.util.List;

/** Keeps recorded failures in memory, one per server, type and start as the port says; {@link #unavailable} makes every record fail. */
public final class InMemoryFailureStore implements FailureStorePort {
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

    /** Forgets every row, as a store made anew would. */
    public synchronized void clear() {
        rows.clear();
    }

    public synchronized int calls() {
        return calls;
    }
}
