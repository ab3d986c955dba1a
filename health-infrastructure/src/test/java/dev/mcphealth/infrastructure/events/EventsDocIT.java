package dev.mcphealth.infrastructure.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.testkit.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** docs/events.md shows exactly what the code writes. */
class EventsDocIT {

    @Test
    void theDocumentedExamplesAreWhatTheCodeWrites() throws IOException {
        String doc = Files.readString(RepoPaths.root().resolve("docs/events.md"));
        List<String> examples = doc.lines().filter(l -> l.startsWith("{\"event\":")).collect(Collectors.toList());

        assertEquals(List.of(SampleEvents.firstStatus(), SampleEvents.wentCritical(), SampleEvents.alertRaised(),
                        SampleEvents.alertResolved(), SampleEvents.prediction(), SampleEvents.drift(),
                        SampleEvents.anomaly(), SampleEvents.anomalyResolved(), SampleEvents.changeRolledBack(),
                        SampleEvents.standbyWarmed()).stream()
                .map(EventJson::line).collect(Collectors.toList()), examples);
        String webhookBody = "{\"text\":\"" + EventText.line(SampleEvents.wentCritical()) + "\",\"event\":"
                + EventJson.line(SampleEvents.wentCritical()) + "}";
        assertTrue(doc.lines().anyMatch(webhookBody::equals), "the webhook example is " + webhookBody);
        for (var e : List.of(SampleEvents.wentCritical(), SampleEvents.recovered(), SampleEvents.alertRaised(),
                SampleEvents.alertResolved(), SampleEvents.prediction(), SampleEvents.drift(), SampleEvents.anomaly(),
                SampleEvents.anomalyResolved(), SampleEvents.changeRolledBack(), SampleEvents.standbyWarmed())) {
            assertTrue(doc.contains("`" + EventText.line(e) + "`"), "the text of " + e.kind() + " is " + EventText.line(e));
        }
    }
}
