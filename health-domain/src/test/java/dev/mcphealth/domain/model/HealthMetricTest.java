package dev.mcphealth.domain.model;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class HealthMetricTest {
    private static final ServerType TYPE = ServerType.of("files");
    private static final MonitoredServer SERVER = new MonitoredServer(ServerId.of("fs"), TYPE, TransportKind.STDIO,
            MonitoredServer.DEFAULT_TIMEOUT, MonitoredServer.DEFAULT_CONNECT_TIMEOUT, Thresholds.DEFAULTS,
            FailoverConfig.defaultsFor(TYPE));
    private static final Instant AT = Instant.parse("2025-03-01T12:00:00Z");

    private static HealthMetric metric(MetricType type, double value) {
        return HealthMetric.of(SERVER, type, value, HealthStatus.HEALTHY, Map.of(), AT);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.5, 1.0})
    void fractionsAcceptZeroToOne(double v) {
        assertEquals(v, metric(MetricType.ERROR_RATE, v).value());
        assertEquals(v, metric(MetricType.AVAILABILITY, v).value());
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.01, 1.01, 100})
    void fractionsRefuseValuesOutsideZeroToOne(double v) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> metric(MetricType.ERROR_RATE, v));
        assertEquals("error_rate cannot be " + v, e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> metric(MetricType.AVAILABILITY, v));
    }

    @Test
    void responseTimeAndThroughputAreZeroOrMoreWithoutUpperBound() {
        assertDoesNotThrow(() -> metric(MetricType.RESPONSE_TIME, 0));
        assertDoesNotThrow(() -> metric(MetricType.RESPONSE_TIME, 1_000_000.5));
        assertDoesNotThrow(() -> metric(MetricType.THROUGHPUT, 42));
        assertEquals("response_time cannot be -1.0",
                assertThrows(IllegalArgumentException.class, () -> metric(MetricType.RESPONSE_TIME, -1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> metric(MetricType.THROUGHPUT, -0.5));
    }

    @ParameterizedTest
    @EnumSource(MetricType.class)
    void nonFiniteValuesAreRefusedForEveryMetric(MetricType type) {
        assertThrows(IllegalArgumentException.class, () -> metric(type, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> metric(type, Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> metric(type, Double.NEGATIVE_INFINITY));
    }

    @Test
    void detailsAreCopiedAndImmutable() {
        Map<String, String> details = new HashMap<>(Map.of("transport", "stdio"));
        HealthMetric m = HealthMetric.of(SERVER, MetricType.AVAILABILITY, 1.0, HealthStatus.HEALTHY, details, AT);
        details.put("later", "x");
        assertEquals(Map.of("transport", "stdio"), m.details());
        assertThrows(UnsupportedOperationException.class, () -> m.details().put("k", "v"));
    }

    @Test
    void ofTakesTypeAndIdFromTheServerAndLinksNoTask() {
        HealthMetric m = metric(MetricType.AVAILABILITY, 1.0);
        assertEquals(TYPE, m.serverType());
        assertEquals(ServerId.of("fs"), m.serverInstance());
        assertEquals(AT, m.measuredAt());
        assertEquals(java.util.Optional.empty(), m.orchestratorTaskId());
        assertEquals(java.util.Optional.empty(), m.orchestratorSessionId());
    }

    @Test
    void aLinkedMetricCarriesItsSessionAndTaskAndIsOtherwiseTheSame() {
        HealthMetric m = metric(MetricType.RESPONSE_TIME, 12.5);
        HealthMetric linked = m.linkedTo("session_1", java.util.Optional.of("task_7"));
        assertEquals(java.util.Optional.of("task_7"), linked.orchestratorTaskId());
        assertEquals(java.util.Optional.of("session_1"), linked.orchestratorSessionId());
        assertEquals(m, new HealthMetric(linked.serverType(), linked.serverInstance(), linked.metricType(),
                linked.value(), linked.status(), linked.details(), linked.measuredAt(), java.util.Optional.empty(),
                java.util.Optional.empty()));
        assertEquals(java.util.Optional.empty(), m.linkedTo("session_1", java.util.Optional.empty())
                .orchestratorTaskId(), "a run whose plan waits in the outbox has no task yet");
    }

    @Test
    void aTaskWithoutItsSessionOrABlankIdIsRefused() {
        assertEquals("an orchestrator task belongs to a session: the task task_7 has none",
                assertThrows(IllegalArgumentException.class, () -> new HealthMetric(TYPE, ServerId.of("fs"),
                        MetricType.AVAILABILITY, 1.0, HealthStatus.HEALTHY, Map.of(), AT,
                        java.util.Optional.of("task_7"), java.util.Optional.empty())).getMessage());
        assertThrows(IllegalArgumentException.class, () -> metric(MetricType.AVAILABILITY, 1.0)
                .linkedTo(" ", java.util.Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> metric(MetricType.AVAILABILITY, 1.0)
                .linkedTo("session_1", java.util.Optional.of("")));
    }
}
