package dev.mcphealth.infrastructure.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSON lines appended to a real file. */
class JsonLinesEventSinkIT {
    @TempDir
    Path dir;

    @Test
    void createsParentDirectoriesAndFlushesEachLine() throws IOException {
        Path file = dir.resolve("logs/mcp-health/events.jsonl");
        JsonLinesEventSink sink = JsonLinesEventSink.appendingTo(file);

        assertInstanceOf(Delivery.Delivered.class, sink.deliver(SampleEvents.wentCritical()));

        // read while the sink is still open: the line is already on disk
        assertEquals(List.of(EventJson.line(SampleEvents.wentCritical())), Files.readAllLines(file));
        assertEquals("file " + file.toAbsolutePath(), sink.name());
        sink.close();
    }

    @Test
    void appendsToWhatIsThere() throws IOException {
        Path file = dir.resolve("events.jsonl");
        Files.writeString(file, "{\"earlier\":true}\n");

        try (JsonLinesEventSink sink = JsonLinesEventSink.appendingTo(file)) {
            sink.deliver(SampleEvents.alertRaised());
            sink.deliver(SampleEvents.alertResolved());
        }

        assertEquals(List.of("{\"earlier\":true}", EventJson.line(SampleEvents.alertRaised()),
                EventJson.line(SampleEvents.alertResolved())), Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    @Test
    void aPathUnderAFileIsAClearErrorNamingIt() throws IOException {
        Path blocker = Files.writeString(dir.resolve("not-a-dir"), "x");
        Path file = blocker.resolve("events.jsonl");

        EventSinkException e = assertThrows(EventSinkException.class, () -> JsonLinesEventSink.appendingTo(file));

        assertTrue(e.getMessage().startsWith("cannot append events to " + file.toAbsolutePath() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
    }

    @Test
    void aDirectoryIsAClearErrorNamingIt() {
        EventSinkException e = assertThrows(EventSinkException.class, () -> JsonLinesEventSink.appendingTo(dir));

        assertEquals("cannot append events to " + dir.toAbsolutePath() + ": it is a directory", e.getMessage());
    }

    @Test
    void throughTheFanoutInOrder() throws IOException {
        Path file = dir.resolve("events.jsonl");
        EventFanout fanout = new EventFanout(List.of(JsonLinesEventSink.appendingTo(file)), Clock.systemUTC());
        List<String> expected = new java.util.ArrayList<>();
        for (int i = 1; i <= 500; i++) {
            fanout.publish(SampleEvents.numbered(i));
            expected.add(EventJson.line(SampleEvents.numbered(i)));
        }

        assertTrue(fanout.close(Duration.ofSeconds(20)).drained());

        assertEquals(expected, Files.readAllLines(file));
    }
}
