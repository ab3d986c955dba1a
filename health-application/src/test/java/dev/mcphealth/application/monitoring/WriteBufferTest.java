package dev.mcphealth.application.monitoring;

import dev.mcphealth.application.testkit.TestClock;
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
    private final TestClock clock = new TestClock(T0);

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
        }, clock, true);
        assertEquals(Optional.of("locked"), first.problem());
        assertEquals(10, b.pending());
        b.add(row(10));
        down[0] = false;
        b.flush(f -> { }, a -> { }, written::addAll, clock, true);
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
        }, alerts::addAll, m -> { }, clock, true);
        assertEquals(Optional.of("locked"), o.problem());
        assertEquals(2, b.pending());
        b.flush(failures::addAll, alerts::addAll, m -> { }, clock, true);
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
        b.flush(f -> { }, a -> { }, written::addAll, clock, true);
        assertEquals(T0.plusSeconds(3), written.get(0).measuredAt());
    }

    private static HealthMetric row(String server, MetricType type, int second) {
        return HealthMetric.of(aServer().named(server).build(), type, 1.0, HealthStatus.HEALTHY, Map.of(),
                T0.plusSeconds(second));
    }

    @Test
    void manyRowsAreWrittenAShareOfTheServersAtATimeEachServersRowsTogetherAllWithinAllTheShares() {
        WriteBuffer b = new WriteBuffer(100_000);
        int servers = 100;
        int seconds = 6; // 2 rows a probe: 1,200 rows, more than SLICE_ABOVE
        for (int t = 0; t < seconds; t++) {
            for (int i = 0; i < servers; i++) {
                b.add(row("s" + i, MetricType.AVAILABILITY, t));
                b.add(row("s" + i, MetricType.RESPONSE_TIME, t));
            }
        }
        java.util.Map<String, Integer> flushOf = new java.util.HashMap<>();
        int total = 0;
        for (int flush = 0; flush < WriteBuffer.METRIC_SLICES; flush++) {
            List<List<HealthMetric>> transactions = new ArrayList<>();
            WriteBuffer.Outcome o = b.flush(f -> { }, a -> { }, transactions::add, clock, false);
            int n = flush;
            transactions.forEach(tx -> {
                org.junit.jupiter.api.Assertions.assertTrue(tx.size() <= WriteBuffer.METRIC_BATCH);
                tx.forEach(m -> assertEquals(n, flushOf.merge(m.serverInstance().value(), n, (x, y) -> x),
                        "all of a server's rows in one flush"));
            });
            assertEquals(o.writes().size(), transactions.size(), "each write timed");
            org.junit.jupiter.api.Assertions.assertTrue(o.written() < 2 * servers * seconds,
                    "a share, not all: " + o.written());
            total += o.written();
        }
        assertEquals(2 * servers * seconds, total, "every row within " + WriteBuffer.METRIC_SLICES + " flushes");
        assertEquals(servers, flushOf.size());
        assertEquals(0, b.pending());
    }

    @Test
    void aFewRowsAndAFlushOfEverythingDoNotWait() {
        WriteBuffer b = new WriteBuffer(100_000);
        List<HealthMetric> written = new ArrayList<>();
        b.add(row(0));
        assertEquals(1, b.flush(f -> { }, a -> { }, written::addAll, clock, false).written());
        for (int i = 0; i < WriteBuffer.SLICE_ABOVE; i++) {
            b.add(row(i));
        }
        List<List<HealthMetric>> transactions = new ArrayList<>();
        assertEquals(WriteBuffer.SLICE_ABOVE, b.flush(f -> { }, a -> { }, transactions::add, clock, false).written(),
                "up to SLICE_ABOVE: all at once");
        assertEquals(WriteBuffer.SLICE_ABOVE / WriteBuffer.METRIC_BATCH, transactions.size(), "a batch a transaction");
        for (int i = 0; i < 3 * WriteBuffer.METRIC_BATCH; i++) {
            b.add(row(i));
        }
        assertEquals(3 * WriteBuffer.METRIC_BATCH, b.flush(f -> { }, a -> { }, written::addAll, clock, true)
                .written());
    }

    @Test
    void rowsAreWrittenInTheOrderOfThePerServerIndexTimeOrderKeptWithin() {
        WriteBuffer b = new WriteBuffer(100);
        b.add(row("b", MetricType.RESPONSE_TIME, 0));
        b.add(row("a", MetricType.RESPONSE_TIME, 0));
        b.add(row("b", MetricType.AVAILABILITY, 0));
        b.add(row("a", MetricType.AVAILABILITY, 0));
        b.add(row("b", MetricType.RESPONSE_TIME, 1));
        b.add(row("a", MetricType.AVAILABILITY, 1));
        List<HealthMetric> written = new ArrayList<>();
        b.flush(f -> { }, a -> { }, written::addAll, clock, false);
        assertEquals(List.of("a availability 0", "a availability 1", "a response_time 0", "b availability 0",
                "b response_time 0", "b response_time 1"), written.stream().map(m -> m.serverInstance().value() + " "
                + m.metricType().code() + " " + (m.measuredAt().getEpochSecond() - T0.getEpochSecond())).toList());
    }

    @Test
    void rowsThatFailedToWriteAreAllTriedAgainAtTheNextFlush() {
        WriteBuffer b = new WriteBuffer(100_000);
        for (int i = 0; i < 2 * WriteBuffer.METRIC_BATCH; i++) {
            b.add(row(i));
        }
        int[] calls = {0};
        List<HealthMetric> written = new ArrayList<>();
        WriteBuffer.Outcome o = b.flush(f -> { }, a -> { }, m -> {
            if (calls[0]++ == 1) {
                throw new StorageUnavailableException("locked", null);
            }
            written.addAll(m);
        }, clock, true);
        assertEquals(Optional.of("locked"), o.problem());
        assertEquals(WriteBuffer.METRIC_BATCH, o.written());
        assertEquals(WriteBuffer.METRIC_BATCH, b.pending());
        b.flush(f -> { }, a -> { }, written::addAll, clock, false);
        assertEquals(0, b.pending(), "the unwritten rows are all written at the next flush, not a share");
        for (int i = 0; i < written.size(); i++) {
            assertEquals(T0.plusSeconds(i), written.get(i).measuredAt());
        }
    }

    @Test
    void whileTheStoreIsAwayAFlushTriesOneBatchAndOnceTheStoreTakesItEverythingFollows() {
        WriteBuffer b = new WriteBuffer(100_000);
        for (int i = 0; i < 4 * WriteBuffer.METRIC_BATCH; i++) {
            b.add(row(i));
        }
        List<Integer> attempts = new ArrayList<>();
        boolean[] down = {true};
        dev.mcphealth.application.port.out.MetricStorePort store = m -> {
            attempts.add(m.size());
            if (down[0]) {
                throw new StorageUnavailableException("locked", null);
            }
        };
        assertEquals(Optional.of("locked"), b.flush(f -> { }, a -> { }, store, clock, true).problem());
        attempts.clear();
        assertEquals(Optional.of("locked"), b.flush(f -> { }, a -> { }, store, clock, false).problem());
        assertEquals(List.of(WriteBuffer.METRIC_BATCH), attempts, "one batch tried while the store is away");
        assertEquals(4 * WriteBuffer.METRIC_BATCH, b.pending(), "nothing lost");
        down[0] = false;
        WriteBuffer.Outcome o = b.flush(f -> { }, a -> { }, store, clock, false);
        assertEquals(Optional.empty(), o.problem());
        assertEquals(4 * WriteBuffer.METRIC_BATCH, o.written(), "all of it once the store takes the first batch");
        assertEquals(0, b.pending());
    }
}
