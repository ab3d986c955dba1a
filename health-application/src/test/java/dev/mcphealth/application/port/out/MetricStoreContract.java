package dev.mcphealth.application.port.out;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mcphealth.domain.model.HealthMetric;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MetricType;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MetricStorePort} does: each metric kept whole (its details, its time to the millisecond, the
 * orchestrator session and task it was measured for), in the order appended; a batch it cannot take refused with
 * {@link StorageUnavailableException} and none of it kept. Run against the in-memory store the services' tests use
 * and, in health-infrastructure, against SQLite ({@code SqliteMetricStoreIT}).
 */
public abstract class MetricStoreContract {
    protected static final ServerId A = ServerId.of("search-1");
    protected static final ServerId B = ServerId.of("files-1");
    protected static final Instant T0 = Instant.parse("2026-11-23T10:15:30.123Z");

    /** A fresh, empty store. */
    protected abstract MetricStorePort store();

    /** What the store holds of {@code server}, in the order appended. */
    protected abstract List<HealthMetric> stored(ServerId server);

    /** From now on the store cannot take a batch holding a metric of {@code server} (it may refuse more). */
    protected abstract void cannotTakeMetricsOf(ServerId server);

    protected static HealthMetric metric(ServerId server, MetricType type, double value, Instant at) {
        return new HealthMetric(ServerType.of("web_search"), server, type, value, HealthStatus.HEALTHY,
                Map.of("probe", "ping", "transport", "stdio"), at, Optional.empty(), Optional.empty());
    }

    @Test
    void everyMetricIsKeptWholeInTheOrderAppended() {
        MetricStorePort store = store();
        List<HealthMetric> batch = List.of(
                metric(A, MetricType.AVAILABILITY, 1.0, T0),
                metric(A, MetricType.RESPONSE_TIME, 12.5, T0.plusMillis(1)).linkedTo("session_1", Optional.of("task_7")),
                metric(A, MetricType.ERROR_RATE, 0.25, T0.plusMillis(2)).linkedTo("session_2", Optional.empty()),
                new HealthMetric(ServerType.of("web_search"), A, MetricType.AVAILABILITY, 0.0, HealthStatus.OFFLINE,
                        Map.of(), T0.plusSeconds(3600), Optional.empty(), Optional.empty()));
        store.append(batch);

        assertEquals(batch, stored(A));
    }

    @Test
    void serversAndBatchesAreKeptApart() {
        MetricStorePort store = store();
        HealthMetric first = metric(A, MetricType.AVAILABILITY, 1.0, T0);
        HealthMetric other = metric(B, MetricType.AVAILABILITY, 0.0, T0);
        HealthMetric second = metric(A, MetricType.AVAILABILITY, 1.0, T0.plusSeconds(1));
        store.append(List.of(first, other));
        store.append(List.of(second));
        store.append(List.of());

        assertEquals(List.of(first, second), stored(A));
        assertEquals(List.of(other), stored(B));
    }

    @Test
    void aBatchItCannotTakeIsRefusedWholeAndWhatCameBeforeIsKept() {
        MetricStorePort store = store();
        HealthMetric kept = metric(A, MetricType.AVAILABILITY, 1.0, T0);
        store.append(List.of(kept));
        cannotTakeMetricsOf(B);

        assertThrows(StorageUnavailableException.class, () -> store.append(List.of(
                metric(A, MetricType.AVAILABILITY, 1.0, T0.plusSeconds(1)),
                metric(B, MetricType.AVAILABILITY, 1.0, T0.plusSeconds(1)))));

        assertEquals(List.of(kept), stored(A));
        assertEquals(List.of(), stored(B));
    }
}
