package dev.mcphealth.domain.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.model.Alert;
import dev.mcphealth.domain.model.AlertSeverity;
import dev.mcphealth.domain.model.FailoverConfig;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.RecoveryAction;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.Thresholds;
import dev.mcphealth.domain.model.TransportKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/**
 * The failure and alert episodes as values, for any sequence of what the monitor and recovery tell them: one row and
 * one alert per episode, what recovery did lands on the row of its episode and never on a later one, and a row is
 * resolved at the first answer after its last failure.
 */
class EpisodesPropertyTest {
    private static final ServerType TYPE = ServerType.of("files");
    private static final MonitoredServer SERVER = new MonitoredServer(ServerId.of("fs"), TYPE, TransportKind.STDIO,
            MonitoredServer.DEFAULT_TIMEOUT, MonitoredServer.DEFAULT_CONNECT_TIMEOUT, Thresholds.DEFAULTS,
            FailoverConfig.defaultsFor(TYPE));
    private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

    enum Event { FAILED, WENT_DOWN, CAME_UP, HEALTHY, ACTED_RESTART, ACTED_RECONNECT, HANDLED_BY, WARNING, CRITICAL,
        EXHAUSTED }

    @Property(tries = 500)
    void oneRowAndOneAlertPerEpisodeWhateverHappens(@ForAll @Size(max = 60) List<Event> events) {
        FailureEpisode failure = FailureEpisode.NONE;
        AlertEpisode alert = AlertEpisode.NONE;
        Instant now = T0;
        int opened = 0;
        int resolved = 0;
        int raisedEvents = 0;
        int resolvedEvents = 0;
        Optional<Instant> firstAnswerSince = Optional.empty();
        Optional<RecoveryAction> actedInEpisode = Optional.empty();
        int task = 0;
        for (Event e : events) {
            now = now.plusSeconds(1);
            switch (e) {
                case FAILED -> {
                    FailureEpisode.Step s = failure.failed(Failure.open(SERVER, FailureType.TIMEOUT, "monitor",
                            "no answer", now));
                    if (failure instanceof FailureEpisode.Quiet) {
                        assertTrue(s.write().isPresent(), "the first failure opens a row");
                        assertEquals(actedInEpisode.orElse(RecoveryAction.NONE), s.write().get().recoveryAction(),
                                "what recovery did before the row is on it");
                        opened++;
                    } else {
                        assertTrue(s.write().isEmpty(), "later failures open no second row");
                    }
                    failure = s.next().wentDown();
                    firstAnswerSince = Optional.empty();
                }
                case WENT_DOWN -> {
                    failure = failure.wentDown();
                    firstAnswerSince = Optional.empty();
                }
                case CAME_UP -> {
                    failure = failure.cameUp(now);
                    if (firstAnswerSince.isEmpty() && failure instanceof FailureEpisode.Open) {
                        firstAnswerSince = Optional.of(now);
                    }
                }
                case HEALTHY -> {
                    FailureEpisode.Step s = failure.healthy(now, Optional.empty());
                    if (failure instanceof FailureEpisode.Open o) {
                        Failure row = s.write().orElseThrow();
                        resolved++;
                        assertEquals(o.row().occurredAt(), row.occurredAt());
                        Instant end = firstAnswerSince.orElse(now);
                        assertEquals(Optional.of(Duration.between(row.occurredAt(), end)), row.resolutionTime(),
                                "resolved at the first answer after its last failure");
                    } else {
                        assertTrue(s.write().isEmpty());
                    }
                    failure = s.next();
                    assertEquals(FailureEpisode.NONE, failure, "healthy forgets what recovery did");
                    actedInEpisode = Optional.empty();
                    firstAnswerSince = Optional.empty();
                    AlertEpisode.Step a = alert.status(SERVER.id(), HealthStatus.HEALTHY, () -> "fine", now,
                            Optional.empty());
                    resolvedEvents += a.event().filter(MonitorEvent.AlertResolved.class::isInstance).isPresent() ? 1 : 0;
                    alert = a.next();
                }
                case ACTED_RESTART, ACTED_RECONNECT -> {
                    RecoveryAction action = e == Event.ACTED_RESTART ? RecoveryAction.RESTART : RecoveryAction.RECONNECT;
                    FailureEpisode.Step s = failure.acted(action);
                    failure = s.next();
                    actedInEpisode = Optional.of(action);
                    assertEquals(Optional.of(action), failure.recoveryAction());
                    failure.openRow().ifPresent(r -> assertEquals(action, r.recoveryAction()));
                }
                case HANDLED_BY -> {
                    String id = "task-" + (++task);
                    failure = failure.handledBy(id).next();
                    failure.openRow().ifPresent(r -> assertEquals(Optional.of(id), r.orchestratorRecoveryTaskId()));
                }
                case WARNING, CRITICAL, EXHAUSTED -> {
                    AlertEpisode.Step a = e == Event.EXHAUSTED ? alert.exhausted(SERVER.id(), "gave up", now)
                            : alert.status(SERVER.id(), e == Event.WARNING ? HealthStatus.WARNING : HealthStatus.CRITICAL,
                            () -> "unwell", now, Optional.empty());
                    if (alert instanceof AlertEpisode.Quiet) {
                        assertTrue(a.event().filter(MonitorEvent.AlertRaised.class::isInstance).isPresent());
                        raisedEvents++;
                    } else {
                        assertTrue(a.event().isEmpty(), "one alert per episode");
                        Alert before = alert.open().orElseThrow();
                        Alert after = a.next().open().orElseThrow();
                        assertEquals(before.id(), after.id());
                        assertFalse(after.severity().compareTo(before.severity()) < 0, "an alert never de-escalates");
                    }
                    alert = a.next();
                    if (e == Event.EXHAUSTED) {
                        assertEquals(AlertSeverity.CRITICAL, alert.open().orElseThrow().severity());
                    }
                }
                default -> throw new AssertionError(e);
            }
            assertTrue(opened - resolved == (failure instanceof FailureEpisode.Open ? 1 : 0), "one open row at most");
            assertTrue(raisedEvents - resolvedEvents == (alert instanceof AlertEpisode.Raised ? 1 : 0),
                    "raised and resolved alternate");
        }
    }

    @Example
    void aRowLeftOpenByAnEarlierRunEndsWhereThatRunLastSawTheServer() {
        Failure row = Failure.open(SERVER, FailureType.CONNECTION_ERROR, "monitor", "refused", T0);
        FailureEpisode carried = FailureEpisode.carried(row, FailureEpisode.NONE);
        FailureEpisode.Step s = carried.cameUp(T0.plusSeconds(90)).healthy(T0.plusSeconds(100),
                Optional.of(T0.plusSeconds(30)));
        Failure resolved = s.write().orElseThrow();
        assertEquals(Optional.of(Duration.ofSeconds(30)), resolved.resolutionTime());
        assertTrue(resolved.errorDetails().startsWith("[left open by a run that stopped while it was failing"));
    }

    @Example
    void anAnswerFromBeforeTheRowBeganSaysNothingOfItsEnd() {
        FailureEpisode open = FailureEpisode.NONE.failed(Failure.open(SERVER, FailureType.TIMEOUT, "monitor", "slow",
                T0.plusSeconds(10))).next();
        assertTrue(open.openedAfter(T0.plusSeconds(5)));
        assertFalse(open.openedAfter(T0.plusSeconds(10)));
    }
}
