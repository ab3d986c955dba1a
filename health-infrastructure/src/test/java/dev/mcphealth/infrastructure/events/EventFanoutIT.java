package dev.mcphealth.infrastructure.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.testkit.WebhookReceiverDouble;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A webhook in trouble next to a file and another sink: the others still get every event at once. */
@Timeout(60)
class EventFanoutIT {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private final WebhookReceiverDouble receiver = WebhookReceiverDouble.start();

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private static List<MonitorEvent> events(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(SampleEvents::numbered).collect(Collectors.toList());
    }

    private static List<String> lines(List<MonitorEvent> events) {
        return events.stream().map(EventJson::line).collect(Collectors.toList());
    }

    @Test
    void aSlowReceiverDelaysNoOtherSink() throws Exception {
        receiver.holding();
        WebhookEventSink webhook = new WebhookEventSink(URI.create(receiver.url("/hook")), Map.of(),
                Duration.ofSeconds(5), Duration.ofSeconds(30));
        Path file = dir.resolve("events.jsonl");
        ObservedSink fileSink = new ObservedSink(JsonLinesEventSink.appendingTo(file));
        ScriptedSink other = new ScriptedSink("other");
        EventFanout fanout = new EventFanout(List.of(webhook, fileSink, other), Clock.systemUTC());

        events(3).forEach(fanout::publish);

        assertTrue(other.awaitDelivered(3));
        assertTrue(fileSink.awaitDelivered(3));
        assertEquals(lines(events(3)), Files.readAllLines(file));
        assertTrue(receiver.awaitRequests(1, PATIENCE));
        assertEquals(1, receiver.requests().size(), "the webhook is still on its first event");

        receiver.release();
        EventFanout.CloseReport report = fanout.close(PATIENCE);
        assertTrue(report.drained());
        assertEquals(3, report.sinks().get(0).delivered());
        assertEquals(3, receiver.requests().size());
    }

    @Test
    void aFailingWebhookDoesNotBlockTheFile() throws Exception {
        receiver.otherwise(503);
        WebhookEventSink webhook = new WebhookEventSink(URI.create(receiver.url("/hook")), Map.of());
        Path file = dir.resolve("deep/events.jsonl");
        ObservedSink fileSink = new ObservedSink(JsonLinesEventSink.appendingTo(file));
        // the default backoff: the webhook's first retry is a second away
        EventFanout fanout = new EventFanout(List.of(webhook, fileSink), Clock.systemUTC());

        events(5).forEach(fanout::publish);

        assertTrue(fileSink.awaitDelivered(5));
        assertEquals(lines(events(5)), Files.readAllLines(file));
        assertTrue(receiver.awaitRequests(1, PATIENCE));
        EventFanout.CloseReport report = fanout.close(Duration.ofMillis(10));
        assertFalse(report.drained());
        EventFanout.SinkCounts hook = report.sinks().get(0);
        assertEquals(0, hook.delivered());
        assertEquals(5, hook.queued(), "all five left: the first waits for its retry, four behind it");
        assertEquals(5, report.sinks().get(1).delivered());
        assertEquals(5, report.left());
    }

    @Test
    void fileAndWebhookGetTheSameEventsInTheSameOrder() throws IOException, InterruptedException {
        Path file = dir.resolve("events.jsonl");
        EventFanout fanout = new EventFanout(List.of(new WebhookEventSink(URI.create(receiver.url("/hook")), Map.of()),
                JsonLinesEventSink.appendingTo(file)), Clock.systemUTC());
        List<MonitorEvent> events = List.of(SampleEvents.firstStatus(), SampleEvents.wentCritical(),
                SampleEvents.alertRaised(), SampleEvents.prediction(), SampleEvents.drift(), SampleEvents.recovered(),
                SampleEvents.alertResolved());

        events.forEach(fanout::publish);
        assertTrue(fanout.close(PATIENCE).drained());

        assertEquals(lines(events), Files.readAllLines(file));
        assertEquals(lines(events), receiver.requests().stream()
                .map(r -> r.body().substring(r.body().indexOf(",\"event\":") + 9, r.body().length() - 1))
                .collect(Collectors.toList()));
    }
}
