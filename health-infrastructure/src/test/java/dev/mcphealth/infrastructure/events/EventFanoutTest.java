package dev.mcphealth.infrastructure.events;

import static dev.mcphealth.infrastructure.events.SampleEvents.numbered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.model.MonitorEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fanout with fake sinks: isolation, order, retries, counts, closing. No sleeps: latches and close() wait. */
@Timeout(60)
class EventFanoutTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    /** Retries in milliseconds, so the tests run fast. */
    private static final EventFanout.Settings FAST = EventFanout.Settings.DEFAULTS
            .withRetryDelays(Duration.ofMillis(1), Duration.ofMillis(20));
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private static List<MonitorEvent> events(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(SampleEvents::numbered).collect(Collectors.toList());
    }

    @Test
    void everySinkGetsEveryEventInOrder() {
        ScriptedSink a = new ScriptedSink("a");
        ScriptedSink b = new ScriptedSink("b");
        EventFanout fanout = new EventFanout(List.of(a, b), FAST, CLOCK);
        List<MonitorEvent> events = events(200);

        events.forEach(fanout::publish);
        EventFanout.CloseReport report = fanout.close(DEADLINE);

        assertTrue(report.drained());
        assertEquals(0, report.left());
        assertEquals(events, a.delivered());
        assertEquals(events, b.delivered());
        assertEquals(new EventFanout.SinkCounts("a", 200, 0, 0, 0, 0, Optional.of(NOW), Optional.empty()),
                report.sinks().get(0));
        assertTrue(a.closed() && b.closed(), "sinks are closed");
    }

    @Test
    void aRetryableFailureIsRetriedAndOrderIsKept() {
        ScriptedSink sink = new ScriptedSink("s").answering(Delivery.retryable("HTTP 500"), Delivery.retryable("HTTP 500"));
        EventFanout fanout = new EventFanout(List.of(sink), FAST, CLOCK);

        fanout.publish(numbered(1));
        fanout.publish(numbered(2));
        EventFanout.CloseReport report = fanout.close(DEADLINE);

        assertEquals(List.of(numbered(1), numbered(1), numbered(1), numbered(2)), sink.attempts());
        assertEquals(List.of(numbered(1), numbered(2)), sink.delivered());
        EventFanout.SinkCounts c = report.sinks().get(0);
        assertEquals(2, c.delivered());
        assertEquals(2, c.retried());
        assertEquals(0, c.failed());
    }

    @Test
    void anExceptionFromASinkIsARetryableFailure() {
        ScriptedSink sink = new ScriptedSink("s").throwing(new IllegalStateException("boom"));
        EventFanout fanout = new EventFanout(List.of(sink), FAST, CLOCK);

        fanout.publish(numbered(1));
        EventFanout.SinkCounts c = fanout.close(DEADLINE).sinks().get(0);

        assertEquals(List.of(numbered(1)), sink.delivered());
        assertEquals(1, c.delivered());
        assertEquals(1, c.retried());
    }

    @Test
    void givesUpAfterMaxAttemptsAndGoesOn() {
        ScriptedSink sink = new ScriptedSink("s").answering(Delivery.retryable("HTTP 503"), Delivery.retryable("HTTP 503"),
                Delivery.retryable("HTTP 503"));
        EventFanout fanout = new EventFanout(List.of(sink), FAST.withMaxAttempts(3), CLOCK);

        fanout.publish(numbered(1));
        fanout.publish(numbered(2));
        EventFanout.SinkCounts c = fanout.close(DEADLINE).sinks().get(0);

        assertEquals(List.of(numbered(1), numbered(1), numbered(1), numbered(2)), sink.attempts());
        assertEquals(List.of(numbered(2)), sink.delivered());
        assertEquals(new EventFanout.SinkCounts("s", 1, 2, 1, 0, 0, Optional.of(NOW), Optional.of(NOW)), c);
    }

    @Test
    void aRejectedEventIsNotRetried() {
        ScriptedSink sink = new ScriptedSink("s").answering(Delivery.rejected("HTTP 400"));
        EventFanout fanout = new EventFanout(List.of(sink), FAST, CLOCK);

        fanout.publish(numbered(1));
        fanout.publish(numbered(2));
        EventFanout.SinkCounts c = fanout.close(DEADLINE).sinks().get(0);

        assertEquals(List.of(numbered(1), numbered(2)), sink.attempts());
        assertEquals(1, c.delivered());
        assertEquals(0, c.retried());
        assertEquals(1, c.failed());
    }

    @Test
    void aSinkWithNoResultIsRetried() {
        ScriptedSink sink = new ScriptedSink("s").answering((Delivery) null);
        EventFanout fanout = new EventFanout(List.of(sink), FAST, CLOCK);

        fanout.publish(numbered(1));
        EventFanout.SinkCounts c = fanout.close(DEADLINE).sinks().get(0);

        assertEquals(1, c.delivered());
        assertEquals(1, c.retried());
    }

    @Test
    void aFullQueueDropsNewEventsWithoutBlockingPublish() throws InterruptedException {
        ScriptedSink stuck = new ScriptedSink("stuck").holding();
        EventFanout fanout = new EventFanout(List.of(stuck), FAST.withQueueCapacity(3), CLOCK);
        fanout.publish(numbered(1));
        assertTrue(stuck.awaitAttempts(1), "the first event is being delivered");

        for (int i = 2; i <= 10; i++) {
            fanout.publish(numbered(i)); // would hang the test (and hit @Timeout) if publish waited for the sink
        }

        EventFanout.SinkCounts c = fanout.counts().get(0);
        assertEquals(6, c.dropped());
        assertEquals(4, c.queued());
        stuck.release();
        EventFanout.CloseReport report = fanout.close(DEADLINE);
        assertEquals(List.of(numbered(1), numbered(2), numbered(3), numbered(4)), stuck.delivered());
        assertEquals(new EventFanout.SinkCounts("stuck", 4, 0, 0, 6, 0, Optional.of(NOW), Optional.empty()),
                report.sinks().get(0));
    }

    @Test
    void aStuckSinkDelaysNeitherPublishNorTheOtherSinks() throws InterruptedException {
        ScriptedSink stuck = new ScriptedSink("stuck").holding();
        ScriptedSink failing = new ScriptedSink("failing").otherwise(Delivery.retryable("HTTP 500"));
        ScriptedSink healthy = new ScriptedSink("healthy");
        EventFanout fanout = new EventFanout(List.of(stuck, failing, healthy),
                EventFanout.Settings.DEFAULTS.withRetryDelays(Duration.ofSeconds(30), Duration.ofSeconds(60)), CLOCK);

        events(5).forEach(fanout::publish);

        assertTrue(healthy.awaitDelivered(5), "the healthy sink got every event");
        assertEquals(events(5), healthy.delivered());
        assertTrue(stuck.awaitAttempts(1) && failing.awaitAttempts(1));
        assertEquals(List.of(numbered(1)), stuck.attempts());
        assertEquals(List.of(numbered(1)), failing.attempts(), "the failing sink waits 30 s before its retry");
        EventFanout.CloseReport report = fanout.close(Duration.ofMillis(50));
        assertFalse(report.drained());
        assertEquals(List.of(5, 5, 0), report.sinks().stream().map(EventFanout.SinkCounts::queued)
                .collect(Collectors.toList()));
        assertEquals(10, report.left());
    }

    @Test
    void closeInterruptsADeliveryThatOutlivesTheDeadlineAndReportsWhatWasLeft() throws InterruptedException {
        ScriptedSink stuck = new ScriptedSink("stuck").holding();
        EventFanout fanout = new EventFanout(List.of(stuck), FAST, CLOCK);
        events(3).forEach(fanout::publish);
        assertTrue(stuck.awaitAttempts(1));

        EventFanout.CloseReport report = fanout.close(Duration.ofMillis(100));

        assertFalse(report.drained());
        assertEquals(3, report.left());
        assertTrue(stuck.closed(), "a sink whose thread stopped is closed");
        assertEquals(report, fanout.close(DEADLINE), "a second close reports the first");
    }

    @Test
    void closeWaitsForRetriesWithinTheDeadline() {
        ScriptedSink sink = new ScriptedSink("s").answering(Delivery.retryable("HTTP 502"), Delivery.retryable("HTTP 502"),
                Delivery.retryable("HTTP 502"));
        EventFanout fanout = new EventFanout(List.of(sink),
                EventFanout.Settings.DEFAULTS.withRetryDelays(Duration.ofMillis(20), Duration.ofMillis(200)), CLOCK);
        fanout.publish(numbered(1));

        EventFanout.CloseReport report = fanout.close(DEADLINE);

        assertTrue(report.drained());
        assertEquals(List.of(numbered(1)), sink.delivered());
    }

    @Test
    void publishNeverThrowsAndEventsAfterCloseAreCountedAsDropped() {
        ScriptedSink sink = new ScriptedSink("s");
        EventFanout fanout = new EventFanout(List.of(sink), FAST, CLOCK);

        fanout.publish(null);
        fanout.close(DEADLINE);
        fanout.publish(numbered(1));

        assertEquals(List.of(), sink.attempts());
        assertEquals(1, fanout.counts().get(0).dropped());
    }

    @Test
    void noSinksIsFine() {
        EventFanout fanout = new EventFanout(List.of(), CLOCK);
        fanout.publish(numbered(1));
        assertTrue(fanout.close(DEADLINE).drained());
    }

    @Test
    void retryDelaysDoubleUpToTheCap() {
        List<Long> seconds = new ArrayList<>();
        for (int n = 1; n <= 9; n++) {
            seconds.add(EventFanout.Settings.DEFAULTS.retryDelay(n).getSeconds());
        }
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L), seconds);
        assertEquals(Duration.ofSeconds(60), EventFanout.Settings.DEFAULTS.retryDelay(Integer.MAX_VALUE));
        assertEquals(new EventFanout.Settings(10_000, 8, Duration.ofSeconds(1), Duration.ofSeconds(60)),
                EventFanout.Settings.DEFAULTS);
    }

    @Test
    void aReceiversRetryAfterIsHonouredWithinTheCap() {
        EventFanout.Settings s = EventFanout.Settings.DEFAULTS;
        assertEquals(Duration.ofSeconds(30), s.delayAfter(1, Optional.of(Duration.ofSeconds(30))));
        assertEquals(Duration.ofSeconds(4), s.delayAfter(3, Optional.of(Duration.ofSeconds(1))));
        assertEquals(Duration.ofSeconds(60), s.delayAfter(1, Optional.of(Duration.ofHours(1))));
        assertEquals(Duration.ofSeconds(2), s.delayAfter(2, Optional.empty()));
    }

    @Test
    void settingsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> EventFanout.Settings.DEFAULTS.withQueueCapacity(0));
        assertThrows(IllegalArgumentException.class, () -> EventFanout.Settings.DEFAULTS.withMaxAttempts(0));
        assertThrows(IllegalArgumentException.class,
                () -> EventFanout.Settings.DEFAULTS.withRetryDelays(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> EventFanout.Settings.DEFAULTS.withRetryDelays(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }
}
