package dev.mcphealth.application.monitoring;

import dev.mcphealth.application.testkit.TestServers;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.model.Alert;
import dev.mcphealth.domain.model.AlertSeverity;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.HealthMetric;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MetricType;
import dev.mcphealth.domain.model.MonitoredServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WriteBufferTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final MonitoredServer S = aServer().named("s").build();

    private static HealthMetric row(int i) {
        return HealthMetric.of(S, MetricType.AVAILABILITY, 1.0, HealthStatus.HEALTHY, Map.of(), T0.plusSeconds(i));
    }

    @Test
    void aFailedBatchIsPutBackInOrderAheadOfNewerRows() {
        WriteBuffer b = new WriteBuffer(100);
        for (int i = 0; i < 10; i++) {
            b.add(row(i));
        }
        List<HealthMetric> written = new ArrayList<>();
        boolean[] down = {true};
        WriteBuffer.Outcome first = b.flush(f -> { }, a -> { }, m -> {
            if (down[0]) {
                throw new StorageUnavailableException("locked", null);
            }
            written.addAll(m);
        });
        assertEquals(Optional.of("locked"), first.problem());
        assertEquals(10, b.pending());
        b.add(row(10));
        down[0] = false;
        b.flush(f -> { }, a -> { }, written::addAll);
        assertEquals(11, written.size());
        for (int i = 0; i < 11; i++) {
            assertEquals(T0.plusSeconds(i), written.get(i).measuredAt());
        }
    }

    @Test
    void aNewerVersionOfAFailureOrAlertWinsOverTheOneThatFailedToWrite() {
        WriteBuffer b = new WriteBuffer(10);
        Failure open = Failure.open(S, FailureType.TIMEOUT, "ctx", "slow", T0);
        Alert raised = Alert.raise(S.id(), AlertSeverity.CRITICAL, "down", T0);
        b.add(open);
        b.add(raised);
        List<Failure> failures = new ArrayList<>();
        List<Alert> alerts = new ArrayList<>();
        WriteBuffer.Outcome o = b.flush(f -> {
            // while this write fails, the episode ends
            b.add(new Failure(open.serverType(), open.serverInstance(), open.type(), open.taskContext(),
                    open.errorDetails(), open.recoveryAction(), Optional.of(Duration.ofSeconds(9)), open.occurredAt(),
                    Optional.empty()));
            b.add(raised.resolvedAt(T0.plusSeconds(9)));
            throw new StorageUnavailableException("locked", null);
        }, alerts::addAll, m -> { });
        assertEquals(Optional.of("locked"), o.problem());
        assertEquals(2, b.pending());
        b.flush(failures::addAll, alerts::addAll, m -> { });
        assertEquals(1, failures.size());
        assertEquals(Optional.of(Duration.ofSeconds(9)), failures.get(0).resolutionTime());
        assertEquals(1, alerts.size());
        assertEquals(Optional.of(T0.plusSeconds(9)), alerts.get(0).resolvedAt());
    }

    @Test
    void pastTheBoundTheOldestGoAndAreCounted() {
        WriteBuffer b = new WriteBuffer(5);
        for (int i = 0; i < 8; i++) {
            b.add(row(i));
        }
        assertEquals(5, b.pending());
        assertEquals(3, b.dropped());
        List<HealthMetric> written = new ArrayList<>();
        b.flush(f -> { }, a -> { }, written::addAll);
        assertEquals(T0.plusSeconds(3), written.get(0).measuredAt());
    }
}
