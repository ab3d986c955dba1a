package dev.mcphealth.infrastructure.persistence;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcphealth.application.port.out.FailureStorePort;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.RecoveryAction;
import dev.mcphealth.domain.model.ServerId;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What every {@link FailureStorePort} does: a failure is identified by server instance, type and start; storing it
 * again updates it. Times are whole milliseconds, resolution times whole seconds.
 */
abstract class FailureStoreContract {
    static final MonitoredServer A = aServer().named("server-a").ofType("everything").build();
    static final MonitoredServer B = aServer().named("server-b").ofType("everything").build();
    static final Instant T0 = Instant.parse("2026-11-23T10:00:00.125Z");

    protected abstract FailureStorePort store();

    /** The stored failures of {@code server}, oldest first. */
    protected abstract List<Failure> stored(ServerId server);

    @Test
    void aFailureStoredOpenThenResolvedIsOneResolvedFailure() {
        Failure open = Failure.open(A, FailureType.TIMEOUT, "monitoring", "no answer within 10 s", T0);
        store().record(List.of(open));
        Failure resolved = resolved(open, Duration.ofSeconds(42), RecoveryAction.RESTART, "task_0123abcd");
        store().record(List.of(resolved));

        assertEquals(List.of(resolved), stored(A.id()));
    }

    @Test
    void distinctFailuresAreAllKept() {
        List<Failure> failures = List.of(
                Failure.open(A, FailureType.TIMEOUT, "health_check", "slow", T0),
                Failure.open(A, FailureType.CONNECTION_ERROR, "health_check", "refused", T0),
                Failure.open(A, FailureType.TIMEOUT, "health_check", "slow again", T0.plusMillis(1)),
                Failure.open(B, FailureType.TIMEOUT, "health_check", "slow", T0));
        store().record(failures);
        store().record(List.of(Failure.open(A, FailureType.TIMEOUT, "health_check", "later", T0.plusSeconds(60))));

        assertEquals(List.of(failures.get(0), failures.get(1), failures.get(2),
                Failure.open(A, FailureType.TIMEOUT, "health_check", "later", T0.plusSeconds(60))),
                sortByType(stored(A.id())));
        assertEquals(List.of(failures.get(3)), stored(B.id()));
    }

    @Test
    void oneBatchMayUpdateSomeFailuresAndAddOthers() {
        Failure first = Failure.open(A, FailureType.SERVER_ERROR, "monitoring", "HTTP 502", T0);
        store().record(List.of(first));
        Failure second = Failure.open(A, FailureType.SERVER_ERROR, "monitoring", "HTTP 503", T0.plusSeconds(30));
        Failure firstDone = resolved(first, Duration.ofSeconds(29), RecoveryAction.FAILOVER, "task_1");
        store().record(List.of(firstDone, second));

        assertEquals(List.of(firstDone, second), stored(A.id()));
    }

    @Test
    void aStoredRecoveryTaskStaysWhenTheFailureIsStoredAgainWithoutOneAndAnotherReplacesIt() {
        Failure open = Failure.open(A, FailureType.TIMEOUT, "monitoring", "no answer within 10 s", T0);
        Failure linked = withTask(open, Optional.of("task_7"));
        store().record(List.of(linked));
        assertEquals(List.of(linked), stored(A.id()));

        Failure resolvedByAnotherWriter = withTask(resolved(open, Duration.ofSeconds(42), RecoveryAction.RESTART,
                "ignored"), Optional.empty());
        store().record(List.of(resolvedByAnotherWriter));
        assertEquals(List.of(withTask(resolvedByAnotherWriter, Optional.of("task_7"))), stored(A.id()),
                "resolved, and still linked to the task");

        store().record(List.of(withTask(resolvedByAnotherWriter, Optional.of("task_8"))));
        assertEquals(Optional.of("task_8"), stored(A.id()).get(0).orchestratorRecoveryTaskId());
    }

    @Test
    void savingNothingStoresNothing() {
        store().record(List.of());

        assertEquals(List.of(), stored(A.id()));
    }

    static Failure resolved(Failure f, Duration after, RecoveryAction action, String task) {
        return new Failure(f.serverType(), f.serverInstance(), f.type(), f.taskContext(),
                f.errorDetails() + " (resolved)", action, Optional.of(after), f.occurredAt(), Optional.of(task));
    }

    static Failure withTask(Failure f, Optional<String> task) {
        return new Failure(f.serverType(), f.serverInstance(), f.type(), f.taskContext(), f.errorDetails(),
                f.recoveryAction(), f.resolutionTime(), f.occurredAt(), task);
    }

    /** Failures of one instant in type order, so that stores need not agree on ties. */
    private static List<Failure> sortByType(List<Failure> failures) {
        return failures.stream().sorted(Comparator.comparing(Failure::occurredAt).thenComparing(Failure::type))
                .collect(Collectors.toList());
    }
}
