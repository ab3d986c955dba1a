package dev.mcphealth.infrastructure.events;

import static dev.mcphealth.infrastructure.events.SampleEvents.AT;
import static dev.mcphealth.infrastructure.events.SampleEvents.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MonitorEvent;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The JSON of each kind of event, exactly as docs/events.md shows it. */
class EventJsonTest {

    @Test
    void firstStatusHasANullFromAndNoFailure() {
        assertEquals("{\"event\":\"status_changed\",\"server\":\"memory\",\"at\":\"2026-03-01T12:00:00Z\","
                + "\"from\":null,\"to\":\"healthy\"}", EventJson.line(SampleEvents.firstStatus()));
    }

    @Test
    void statusChangeWithAFailure() {
        assertEquals("{\"event\":\"status_changed\",\"server\":\"memory\",\"at\":\"2026-03-01T12:00:00Z\","
                        + "\"from\":\"healthy\",\"to\":\"critical\","
                        + "\"failure\":{\"type\":\"timeout\",\"message\":\"request timed out after 2000 ms\"}}",
                EventJson.line(SampleEvents.wentCritical()));
    }

    @Test
    void alertRaisedIsNotYetResolved() {
        assertEquals("{\"event\":\"alert\",\"server\":\"memory\",\"at\":\"2026-03-01T12:00:00Z\","
                        + "\"id\":\"memory@1772366400000\",\"severity\":\"critical\","
                        + "\"message\":\"memory is critical: timeout\",\"raisedAt\":\"2026-03-01T12:00:00Z\","
                        + "\"resolvedAt\":null}",
                EventJson.line(SampleEvents.alertRaised()));
    }

    @Test
    void alertResolvedIsAtItsResolution() {
        assertEquals("{\"event\":\"alert_resolved\",\"server\":\"memory\",\"at\":\"2026-03-01T12:05:12.250Z\","
                        + "\"id\":\"memory@1772366400000\",\"severity\":\"critical\","
                        + "\"message\":\"memory is critical: timeout\",\"raisedAt\":\"2026-03-01T12:00:00Z\","
                        + "\"resolvedAt\":\"2026-03-01T12:05:12.250Z\"}",
                EventJson.line(SampleEvents.alertResolved()));
    }

    @Test
    void prediction() {
        assertEquals("{\"event\":\"prediction\",\"server\":\"memory\",\"at\":\"2026-03-01T12:00:00Z\","
                        + "\"metric\":\"response_time\",\"threshold\":2000.0,\"current\":850.0,"
                        + "\"trendPerSecond\":10.0,\"timeToCrossSeconds\":115}",
                EventJson.line(SampleEvents.prediction()));
    }

    @Test
    void drift() {
        assertEquals("{\"event\":\"drift\",\"server\":\"memory\",\"at\":\"2026-03-01T12:00:00Z\","
                        + "\"added\":[\"search_nodes\"],\"removed\":[\"delete_all\"],\"changed\":[\"read_graph\"],"
                        + "\"fromHash\":\"sha256:1f0c\",\"toHash\":\"sha256:9ab2\"}",
                EventJson.line(SampleEvents.drift()));
    }

    @Test
    void aMultiLineMessageStaysOnOneLine() {
        MonitorEvent e = new MonitorEvent.StatusChanged(MEMORY, Optional.empty(), HealthStatus.OFFLINE, AT,
                Optional.of(new MonitorEvent.FailureSummary(FailureType.CONNECTION_ERROR,
                        "exited with code 1\nError: \"ENOENT\"\r\n\u2028end")));

        String line = EventJson.line(e);

        assertFalse(line.contains("\n") || line.contains("\r") || line.contains("\u2028"), line);
        assertEquals("{\"event\":\"status_changed\",\"server\":\"memory\",\"at\":\"2026-03-01T12:00:00Z\","
                + "\"from\":null,\"to\":\"offline\",\"failure\":{\"type\":\"connection_error\","
                + "\"message\":\"exited with code 1\\nError: \\\"ENOENT\\\"\\r\\n\\u2028end\"}}", line);
    }

    @Test
    void timesAreUtcToTheMillisecond() {
        assertEquals("2026-03-01T12:00:00.123Z", EventJson.time(Instant.parse("2026-03-01T12:00:00.123456789Z")));
        assertEquals("2026-03-01T12:00:00.100Z", EventJson.time(Instant.parse("2026-03-01T12:00:00.1Z")));
        assertEquals("2026-03-01T12:00:00Z", EventJson.time(Instant.parse("2026-03-01T12:00:00.000999Z")));
    }

    @Test
    void timeToCrossIsInWholeSecondsRoundedDown() {
        MonitorEvent.PredictionRaised p = new MonitorEvent.PredictionRaised(MEMORY,
                dev.mcphealth.domain.model.MetricType.ERROR_RATE, 0.5, 0.125, 0.0001,
                java.time.Duration.ofMillis(3750_900), AT);

        assertEquals("{\"event\":\"prediction\",\"server\":\"memory\",\"at\":\"2026-03-01T12:00:00Z\","
                + "\"metric\":\"error_rate\",\"threshold\":0.5,\"current\":0.125,\"trendPerSecond\":1.0E-4,"
                + "\"timeToCrossSeconds\":3750}", EventJson.line(p));
    }
}
