package dev.mcphealth.infrastructure.events;

import static dev.mcphealth.infrastructure.events.SampleEvents.AT;
import static dev.mcphealth.infrastructure.events.SampleEvents.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ToolDrift;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The one human line of a webhook's {@code text}. */
class EventTextTest {

    @Test
    void statusChanges() {
        assertEquals(":red_circle: server memory critical: timeout (request timed out after 2000 ms)",
                EventText.line(SampleEvents.wentCritical()));
        assertEquals(":large_green_circle: server memory healthy (was critical)",
                EventText.line(SampleEvents.recovered()));
        assertEquals(":large_green_circle: server memory healthy", EventText.line(SampleEvents.firstStatus()));
        assertEquals(":black_circle: server memory offline (was warning)", EventText.line(new MonitorEvent.StatusChanged(
                MEMORY, Optional.of(HealthStatus.WARNING), HealthStatus.OFFLINE, AT, Optional.empty())));
    }

    @Test
    void alerts() {
        assertEquals(":rotating_light: alert on server memory (critical): memory is critical: timeout",
                EventText.line(SampleEvents.alertRaised()));
        assertEquals(":white_check_mark: alert resolved on server memory (critical, lasted 5m 12s): "
                + "memory is critical: timeout", EventText.line(SampleEvents.alertResolved()));
    }

    @Test
    void prediction() {
        assertEquals(":chart_with_upwards_trend: server memory response_time is 850, trending toward its threshold "
                + "2000 in about 1m 55s", EventText.line(SampleEvents.prediction()));
    }

    @Test
    void driftListsAtMostTenNamesPerList() {
        List<String> many = IntStream.rangeClosed(1, 12).mapToObj(i -> "t" + i).collect(Collectors.toList());
        MonitorEvent e = new MonitorEvent.ToolsDrifted(MEMORY, new ToolDrift(many, List.of(), List.of("read"), "a1", "b2"),
                AT);

        assertEquals(":warning: server memory changed its tools: added t1, t2, t3, t4, t5, t6, t7, t8, t9, t10 and 2 more;"
                + " changed read", EventText.line(e));
        assertEquals(":warning: server memory changed its tools: added search_nodes; removed delete_all;"
                + " changed read_graph", EventText.line(SampleEvents.drift()));
    }

    @Test
    void slackControlCharactersAreEscaped() {
        MonitorEvent e = new MonitorEvent.StatusChanged(ServerId.of("a<b>&c"), Optional.empty(), HealthStatus.CRITICAL, AT,
                Optional.of(new MonitorEvent.FailureSummary(FailureType.SERVER_ERROR, "<!channel> & more")));

        assertEquals(":red_circle: server a&lt;b&gt;&amp;c critical: server_error (&lt;!channel&gt; &amp; more)",
                EventText.line(e));
    }

    @Test
    void numbersAndDurations() {
        assertEquals("0.333", EventText.number(1.0 / 3));
        assertEquals("2000", EventText.number(2000.0));
        assertEquals("0.05", EventText.number(0.05));
        assertEquals("45s", EventText.duration(Duration.ofSeconds(45)));
        assertEquals("3h 0m", EventText.duration(Duration.ofHours(3)));
        assertEquals("2d 4h", EventText.duration(Duration.ofHours(52)));
    }
}
