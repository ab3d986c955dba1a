package dev.mcphealth.application.recovery;

import dev.mcphealth.domain.recovery.RecoveryEpisode;
import dev.mcphealth.application.testkit.FailoverRig;
import dev.mcphealth.application.testkit.FakeFleet;
import dev.mcphealth.application.testkit.FixedCatalog;
import dev.mcphealth.application.testkit.TestServers;

import static dev.mcphealth.application.testkit.FailoverRig.START;
import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.ReadRecoveryStatusUseCase.Attempts;
import dev.mcphealth.application.port.in.UnknownServerException;
import dev.mcphealth.application.port.out.SessionPort;
import dev.mcphealth.application.testkit.FakeBreakers;
import dev.mcphealth.application.testkit.TestClock;
import dev.mcphealth.domain.model.Alert;
import dev.mcphealth.domain.model.AlertSeverity;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ProbeMethod;
import dev.mcphealth.domain.model.ProbeOutcome;
import dev.mcphealth.domain.model.RecoveryAction;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.TransportKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Automatic recovery on a test clock: when attempts run, how they back off, when they stop counting. */
class RecoveryServiceTest {
    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

    /** RecoveryService alone over a fake fleet, for what needs no monitor. */
    private static final class Unit {
        final TestClock clock = new TestClock(START);
        final FakeFleet fleet;
        final List<MonitorEvent> events = new CopyOnWriteArrayList<>();
        final RecoveryService recovery;

        Unit(DoubleSupplier random, MonitoredServer... servers) {
            fleet = new FakeFleet(clock, List.of(servers));
            recovery = new RecoveryService(new FixedCatalog(servers), fleet, new FakeBreakers(clock, 3,
                    Duration.ofSeconds(30)), events::add, clock, random, Optional.empty(),
                dev.mcphealth.application.catalog.StandbyInstances.NONE, dev.mcphealth.application.port.out.WorkSharePort.ALL);
        }

        List<Long> attemptSeconds() {
            return events.stream().filter(MonitorEvent.RecoveryStarted.class::isInstance)
                    .map(e -> Duration.between(START, ((MonitorEvent.RecoveryStarted) e).at()).toSeconds()).toList();
        }

        /** Runs every attempt due, a second at a time, for {@code n} seconds. */
        void seconds(int n) {
            for (int i = 0; i < n; i++) {
                fleet.advance(SECOND);
                recovery.runDue();
            }
        }
    }

    private static MonitoredServer stdio(String name) {
        return aServer().named(name).every(SECOND).recovering(3, TEN_SECONDS).build();
    }

    private static MonitoredServer http(String name) {
        return aServer().named(name).over(TransportKind.STREAMABLE_HTTP).every(SECOND).recovering(3, TEN_SECONDS)
                .build();
    }

    private static ServerId id(String name) {
        return ServerId.of(name);
    }

    @Test
    void theFirstAttemptIsDueAtOnceWhenASessionDies() {
        Unit u = new Unit(() -> 0.5, stdio("s1"));
        u.fleet.connected("s1");
        assertEquals(List.of(), u.recovery.due(10), "nothing to do while it is up");

        u.fleet.kill("s1");

        assertEquals(List.of(id("s1")), u.recovery.due(10), "due at the very instant the death was reported");
        List<MonitorEvent> raised = u.recovery.attempt(id("s1"));
        MonitorEvent.RecoveryStarted started = (MonitorEvent.RecoveryStarted) raised.get(0);
        assertEquals(1, started.attempt());
        assertEquals(RecoveryAction.RESTART, started.action());
        assertEquals(START, started.at());
        MonitorEvent.RecoveryFailed failed = (MonitorEvent.RecoveryFailed) raised.get(1);
        assertEquals(START.plus(TEN_SECONDS), failed.nextAttemptAt(), "the second attempt waits retryDelay");
        assertEquals(FailureType.CONNECTION_ERROR, failed.failure().type());
    }

    @Test
    void failedAttemptsBackOffDoublingThenRetrySlowlyForeverWithoutJitterAtHalf() {
        Unit u = new Unit(() -> 0.5, stdio("s1"));
        u.fleet.connected("s1");
        u.seconds(5);
        u.fleet.kill("s1");
        u.recovery.runDue();
        u.seconds(3600 - 5);

        List<Long> expected = new ArrayList<>(List.of(5L, 15L, 35L));
        for (long t = 35 + 300; t <= 3600; t += 300) {
            expected.add(t);
        }
        assertEquals(expected, u.attemptSeconds(), "immediate, +10 s, +20 s, then every 5 min: never a give-up");
        assertEquals(expected.size(), u.fleet.reopens("s1"));
        List<MonitorEvent> exhausted = u.events.stream().filter(MonitorEvent.RecoveryExhausted.class::isInstance)
                .toList();
        assertEquals(1, exhausted.size(), "exhausted once per episode");
        MonitorEvent.RecoveryExhausted e = (MonitorEvent.RecoveryExhausted) exhausted.get(0);
        assertEquals(3, e.attempts());
        assertEquals(START.plusSeconds(35 + 300), e.nextRetryAt());
        assertEquals(Optional.of(START.plusSeconds(3635)), u.recovery.nextDue());
    }

    @Test
    void jitterSpreadsTheBackoffByUpToAFifth() {
        Unit low = new Unit(() -> 0.0, stdio("s1"));
        low.fleet.connected("s1");
        low.fleet.kill("s1");
        low.recovery.runDue();
        low.seconds(60);
        assertEquals(List.of(0L, 8L, 24L), low.attemptSeconds(), "10 s x 0.8, then 20 s x 0.8");
    }

    @Test
    void exhaustionIsAlertedByTheMonitorAndAnAttemptAfterTheRevivalBringsItBack() {
        FailoverRig rig = new FailoverRig(stdio("s1")).started();
        rig.seconds(5);
        rig.kill("s1");
        rig.until(Duration.ofSeconds(40));

        assertEquals(List.of(5L, 15L, 35L), rig.attemptSeconds("s1"));
        assertEquals(1, rig.events(MonitorEvent.RecoveryExhausted.class).size());
        Alert alert = rig.openAlert("s1").orElseThrow();
        assertEquals(AlertSeverity.CRITICAL, alert.severity());
        assertTrue(alert.message().contains("recovery exhausted after 3 attempts"), alert.message());
        assertTrue(alert.message().contains("next at " + START.plusSeconds(335)), alert.message());
        rig.seconds(10);
        assertTrue(rig.openAlert("s1").orElseThrow().message().contains("recovery exhausted"),
                "later failed probes keep the message: " + rig.openAlert("s1").orElseThrow().message());

        rig.fleet.revive("s1");
        rig.until(Duration.ofSeconds(334));
        assertEquals(3, rig.fleet.reopens("s1"), "no probe restarts it behind recovery's back");
        rig.until(Duration.ofSeconds(340));
        assertEquals(List.of(5L, 15L, 35L, 335L), rig.attemptSeconds("s1"));
        assertEquals(1, rig.events(MonitorEvent.RecoverySucceeded.class).size());
        assertTrue(rig.fleet.isOpen(id("s1")));
    }

    @ParameterizedTest(name = "probed every {0} s: the counter resets after {1} s up")
    @CsvSource({"1, 30", "15, 30", "20, 40", "60, 120"})
    void theAttemptCounterResetsAfterSustainedUptime(long intervalSeconds, long resetSeconds) {
        MonitoredServer s = aServer().named("s1").every(Duration.ofSeconds(intervalSeconds))
                .recovering(3, TEN_SECONDS).build();
        Unit u = new Unit(() -> 0.5, s);
        ProbeOutcome answered = new ProbeOutcome.Answered(Duration.ofMillis(5), ProbeMethod.PING, Optional.empty());
        u.recovery.failureSeen(id("s1"), FailureType.CONNECTION_ERROR, "exited");
        u.recovery.runDue(); // the fleet's s1 is up: the restart works
        assertTrue(u.recovery.episode(id("s1")).orElseThrow().up());

        u.clock.advance(Duration.ofSeconds(resetSeconds - 1));
        u.recovery.observed(id("s1"), answered);
        assertTrue(u.recovery.episode(id("s1")).isPresent(), "one second short of sustained");
        assertFalse(u.recovery.mayConnect(id("s1")));

        u.clock.advance(SECOND);
        u.recovery.observed(id("s1"), answered);
        assertEquals(Optional.empty(), u.recovery.episode(id("s1")), "max(30 s, 2 intervals) up ends the episode");
        assertTrue(u.recovery.mayConnect(id("s1")));

        u.recovery.failureSeen(id("s1"), FailureType.CONNECTION_ERROR, "exited again");
        assertEquals(0, u.recovery.episode(id("s1")).orElseThrow().attempts(), "a fresh episode counts from zero");
        assertEquals(List.of(id("s1")), u.recovery.due(1), "and its first attempt is immediate again");
    }

    @Test
    void aRelapseBeforeTheResetContinuesTheBackoffInsteadOfStartingOver() {
        Unit u = new Unit(() -> 0.5, stdio("s1"));
        u.recovery.failureSeen(id("s1"), FailureType.CONNECTION_ERROR, "exited");
        u.recovery.runDue();
        u.clock.advance(Duration.ofSeconds(29));
        u.recovery.failureSeen(id("s1"), FailureType.CONNECTION_ERROR, "exited again");

        assertEquals(List.of(), u.recovery.due(1));
        assertEquals(Optional.of(START.plusSeconds(29 + 10)), u.recovery.nextDue(), "the second attempt's backoff");
    }

    @Test
    void withoutAutoRecoveryNothingIsRestartedAndAStdioServerIsNotStartedByProbes() {
        MonitoredServer manual = aServer().named("s1").every(SECOND).withoutAutoRecovery().build();
        MonitoredServer remote = aServer().named("h1").over(TransportKind.STREAMABLE_HTTP).every(SECOND)
                .withoutAutoRecovery().build();
        FailoverRig rig = new FailoverRig(manual, remote).started();
        rig.kill("s1", "h1");
        rig.seconds(30);
        rig.fleet.revive("s1").revive("h1");
        rig.seconds(600);

        assertEquals(List.of(), rig.events(MonitorEvent.RecoveryStarted.class));
        assertEquals(0, rig.fleet.reopens("s1"));
        assertEquals(0, rig.fleet.reopens("h1"));
        assertEquals(1, rig.fleet.starts("s1"), "only the first probe started it; a dead stdio server stays dead");
        assertFalse(rig.recovery.mayConnect(id("s1")));
        assertEquals(2, rig.fleet.starts("h1"), "an HTTP session is reopened by the next probe (a reconnect)");
        assertTrue(rig.recovery.mayConnect(id("h1")));
    }

    @Test
    void probesAndCallsMayNotConnectWhileAnEpisodeIsOpen() {
        FailoverRig rig = new FailoverRig(stdio("s1")).started();
        assertTrue(rig.recovery.mayConnect(id("s1")));
        rig.kill("s1");
        assertFalse(rig.recovery.mayConnect(id("s1")), "recovery is in charge from the moment of the death");

        rig.seconds(2);
        rig.fleet.revive("s1");
        rig.seconds(7); // t = 9: the second attempt is due at 10
        assertEquals(1, rig.fleet.starts("s1"), "a revived server is not started by a probe mid-backoff");
        assertFalse(rig.recovery.mayConnect(id("s1")));

        rig.second();
        assertEquals(2, rig.fleet.starts("s1"), "the attempt at 10 s restarted it");
        assertFalse(rig.recovery.mayConnect(id("s1")), "up, but not yet for long enough");
        rig.seconds(30);
        assertTrue(rig.recovery.mayConnect(id("s1")));
    }

    @Test
    void theFailureRowSaysRestartForStdioAndReconnectForHttp() {
        FailoverRig rig = new FailoverRig(stdio("s1"), http("h1")).started();
        rig.seconds(3);
        rig.kill("s1", "h1");
        rig.seconds(3);
        rig.monitor.flusher().flush();

        assertEquals(RecoveryAction.RESTART, openRow(rig, "s1").recoveryAction());
        assertEquals(RecoveryAction.RECONNECT, openRow(rig, "h1").recoveryAction());

        rig.fleet.revive("s1").revive("h1");
        rig.seconds(20);
        rig.monitor.flusher().flush();
        Failure resolved = rig.failures.rows().stream().filter(f -> f.serverInstance().equals(id("s1")))
                .filter(Failure::resolved).findFirst().orElseThrow();
        assertEquals(RecoveryAction.RESTART, resolved.recoveryAction(), "the resolved row keeps what was done");
    }

    @Test
    void aRestartThatWorkedBeforeAnyProbeFailedIsNotPinnedOnALaterUnrelatedFailure() {
        FailoverRig rig = new FailoverRig(stdio("s1")).started();
        rig.seconds(3);
        rig.fleet.kill("s1").revive("s1");
        rig.recovery.runDue(); // restarted at once: no probe ever saw it down, so no failure row
        rig.seconds(60);
        rig.fleet.failProbes("s1", Optional.of(FailureType.AUTHENTICATION));
        rig.seconds(2);
        rig.monitor.flusher().flush();

        Failure auth = openRow(rig, "s1");
        assertEquals(FailureType.AUTHENTICATION, auth.type());
        assertEquals(RecoveryAction.NONE, auth.recoveryAction(), "nothing was done about this one");
    }

    private static Failure openRow(FailoverRig rig, String server) {
        return rig.failures.rows().stream().filter(f -> f.serverInstance().equals(id(server)) && !f.resolved())
                .findFirst().orElseThrow(() -> new AssertionError("no open failure row for " + server));
    }

    @Test
    void tenServersFailingTogetherAreRestartedFourAtATime() {
        MonitoredServer[] servers = IntStream.range(0, 10).mapToObj(i -> stdio("s" + i))
                .toArray(MonitoredServer[]::new);
        Unit u = new Unit(() -> 0.5, servers);
        for (MonitoredServer s : servers) {
            u.fleet.connected(s.id().value());
        }
        for (MonitoredServer s : servers) {
            u.fleet.kill(s.id().value());
        }

        Set<ServerId> handedOut = new HashSet<>();
        List<Integer> batches = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            List<ServerId> batch = u.recovery.due(4);
            batches.add(batch.size());
            assertTrue(batch.stream().noneMatch(handedOut::contains), "each server once: " + batch);
            handedOut.addAll(batch);
            batch.forEach(u.recovery::attempt);
        }
        assertEquals(List.of(4, 4, 2, 0, 0), batches);
        assertEquals(10, handedOut.size());
        assertEquals(List.of(), u.recovery.due(4), "the rest wait for their backoff");
        assertEquals(Optional.of(START.plus(TEN_SECONDS)), u.recovery.nextDue());
    }

    @Test
    void aServerHandedOutIsNotHandedOutAgainBeforeItsAttemptRuns() {
        Unit u = new Unit(() -> 0.5, stdio("s1"), stdio("s2"));
        u.recovery.failureSeen(id("s1"), FailureType.TIMEOUT, "hung");
        assertEquals(List.of(id("s1")), u.recovery.due(4));
        assertEquals(List.of(), u.recovery.due(4), "already running");
        assertEquals(Optional.empty(), u.recovery.nextDue(), "nothing else pending");
    }

    @Test
    void failuresARestartCannotFixStartNoEpisode() {
        Unit u = new Unit(() -> 0.5, stdio("s1"));
        u.recovery.failureSeen(id("s1"), FailureType.AUTHENTICATION, "401");
        u.recovery.failureSeen(id("s1"), FailureType.RATE_LIMIT, "429");
        u.recovery.failureSeen(id("s1"), FailureType.SERVER_ERROR, "500");
        assertEquals(Optional.empty(), u.recovery.episode(id("s1")));
        assertTrue(u.recovery.mayConnect(id("s1")));
    }

    // ---- what it counts -------------------------------------------------------------------------------------

    @Test
    void beforeAnyFailureNothingIsCounted() {
        Unit u = new Unit(() -> 0.5, stdio("s1"));
        RecoveryProgress.Progress p = u.recovery.progress(id("s1"));
        assertEquals(Optional.empty(), p.episode());
        assertFalse(p.attempting());
        assertEquals(Attempts.NONE, p.attempts());
        assertEquals(0, u.recovery.attemptsRunning());
    }

    @Test
    void attemptsAreCountedWithTheLastOneAndTheTimeToRecover() {
        Unit u = new Unit(() -> 0.5, stdio("s1"));
        u.fleet.connected("s1");
        u.fleet.kill("s1");
        u.recovery.runDue(); // t = 0: fails

        Attempts first = u.recovery.progress(id("s1")).attempts();
        assertEquals(new Attempts(1, 0, 1, Optional.of(START), Optional.of(false), 0, Optional.empty()), first);

        u.seconds(10); // t = 10: fails again, the next is due at 30
        u.fleet.revive("s1");
        u.seconds(20); // t = 30: works

        RecoveryProgress.Progress p = u.recovery.progress(id("s1"));
        assertEquals(new Attempts(3, 1, 2, Optional.of(START.plusSeconds(30)), Optional.of(true), 1,
                Optional.of(Duration.ofSeconds(30))), p.attempts());
        assertTrue(p.episode().orElseThrow().up(), "the episode stays open until the server has been up long enough");
        assertFalse(p.attempting());
    }

    @Test
    void aRelapseIsAnotherRecoveryTimedFromTheRelapse() {
        Unit u = new Unit(() -> 0.5, stdio("s1"));
        u.fleet.connected("s1");
        u.fleet.kill("s1");
        u.recovery.runDue(); // t = 0: fails
        u.fleet.revive("s1");
        u.seconds(10); // t = 10: works, 10 s after the failure
        u.seconds(10);
        u.fleet.kill("s1"); // t = 20: a relapse within the episode; the next attempt waits 20 s
        u.fleet.revive("s1");
        u.seconds(20); // t = 40: works, 20 s after the relapse

        Attempts a = u.recovery.progress(id("s1")).attempts();
        assertEquals(3, a.made());
        assertEquals(2, a.succeeded());
        assertEquals(1, a.failed());
        assertEquals(2, a.episodesRecovered());
        assertEquals(Optional.of(Duration.ofSeconds(15)), a.mttr(), "(10 s + 20 s) / 2, not from the episode's start");
    }

    @Test
    void aServerBackWithoutAnAttemptCountsAsRecoveredButNotAsAnAttempt() {
        Unit u = new Unit(() -> 0.5, http("h1"));
        u.recovery.failureSeen(id("h1"), FailureType.CONNECTION_ERROR, "no route to host");
        u.clock.advance(Duration.ofSeconds(4));
        u.recovery.observed(id("h1"), new ProbeOutcome.Answered(Duration.ofMillis(5), ProbeMethod.PING,
                Optional.empty()));

        assertEquals(new Attempts(0, 0, 0, Optional.empty(), Optional.empty(), 1, Optional.of(Duration.ofSeconds(4))),
                u.recovery.progress(id("h1")).attempts());
    }

    @Test
    void anAttemptHandedOutIsRunningUntilItEnds() {
        Unit u = new Unit(() -> 0.5, stdio("s1"), stdio("s2"));
        u.recovery.failureSeen(id("s1"), FailureType.TIMEOUT, "hung");
        assertEquals(List.of(id("s1")), u.recovery.due(4));

        RecoveryProgress.Progress handedOut = u.recovery.progress(id("s1"));
        assertTrue(handedOut.attempting());
        assertTrue(handedOut.episode().isPresent());
        assertEquals(0, handedOut.attempts().made(), "not started yet");
        assertEquals(1, u.recovery.attemptsRunning());
        assertFalse(u.recovery.progress(id("s2")).attempting());

        u.recovery.attempt(id("s1"));
        assertEquals(0, u.recovery.attemptsRunning());
        assertFalse(u.recovery.progress(id("s1")).attempting());
        assertEquals(1, u.recovery.progress(id("s1")).attempts().made());
    }

    @Test
    void anAttemptByHandOnAHealthyServerIsAnAttemptButNoRecoveryAndLeavesNoEpisode() {
        Unit u = new Unit(() -> 0.5, stdio("s1"));
        u.fleet.connected("s1");

        List<MonitorEvent> raised = u.recovery.attemptNow(id("s1"));

        assertEquals(1, u.fleet.reopens("s1"));
        assertEquals(new MonitorEvent.RecoverySucceeded(id("s1"), RecoveryAction.RESTART, 1, Duration.ZERO, START),
                raised.get(1), "resolved in the time the restart took");
        RecoveryProgress.Progress p = u.recovery.progress(id("s1"));
        assertEquals(new Attempts(1, 1, 0, Optional.of(START), Optional.of(true), 0, Optional.empty()), p.attempts(),
                "no episode was recovered: it was never down");
        assertEquals(Optional.empty(), p.episode());
        assertTrue(u.recovery.mayConnect(id("s1")), "calls may connect at once, not only after a sustained uptime");
    }

    @Test
    void anAttemptByHandWhileTheServerIsBackInItsEpisodeLeavesThatEpisodeAsItWas() {
        Unit u = new Unit(() -> 0.5, stdio("s1"));
        u.fleet.connected("s1");
        u.fleet.kill("s1");
        u.fleet.revive("s1");
        u.recovery.runDue(); // t = 0: works, after the server was down from 0
        u.clock.advance(Duration.ofSeconds(5));
        RecoveryProgress.Progress back = u.recovery.progress(id("s1"));

        u.recovery.attemptNow(id("s1"));

        RecoveryProgress.Progress p = u.recovery.progress(id("s1"));
        assertEquals(back.episode(), p.episode(), "the same episode, up since 0: its reset is not put off");
        assertEquals(1, p.attempts().episodesRecovered(), "only the return at 0");
        assertEquals(2, p.attempts().made());
        assertEquals(Optional.of(Duration.ZERO), p.attempts().mttr());
    }

    @Test
    void anAttemptByHandThatFailsOnAServerThatWasUpStartsAnEpisodeWithItsBackoff() {
        Unit u = new Unit(() -> 0.5, stdio("s1"));
        List<MonitorEvent.FailureSummary> began = new CopyOnWriteArrayList<>();
        u.recovery.reportTo(new RecoveryListener() {
            @Override
            public void acted(ServerId server, RecoveryAction action) {
            }

            @Override
            public void exhausted(ServerId server, int attempts, Instant nextRetryAt) {
            }

            @Override
            public void episodeBegan(ServerId server, MonitorEvent.FailureSummary failure, Instant at) {
                began.add(failure);
            }
        });
        u.fleet.kill("s1"); // no session was open: nobody saw it die

        u.recovery.attemptNow(id("s1"));

        RecoveryProgress.Progress p = u.recovery.progress(id("s1"));
        assertEquals(1, p.episode().orElseThrow().attempts());
        assertEquals(START.plus(TEN_SECONDS), ((RecoveryEpisode.Down) p.episode().orElseThrow()).nextAttemptAt());
        assertFalse(u.recovery.mayConnect(id("s1")));
        assertEquals(1, began.size(), "the failure is recorded once");
        u.fleet.revive("s1");
        u.seconds(10); // t = 10: the second attempt works, 10 s after the failed restart
        assertEquals(new Attempts(2, 1, 1, Optional.of(START.plus(TEN_SECONDS)), Optional.of(true), 1,
                Optional.of(TEN_SECONDS)), u.recovery.progress(id("s1")).attempts());
    }

    @Test
    void theWitnessHearsTheTaskOfALinkedAttemptAfterItsActionAndNoTaskOfOthers() {
        Unit u = new Unit(() -> 0.5, stdio("s1"));
        List<String> heard = new CopyOnWriteArrayList<>();
        u.recovery.reportTo(new RecoveryListener() {
            @Override
            public void acted(ServerId server, RecoveryAction action) {
                heard.add(server.value() + " " + action.code());
            }

            @Override
            public void exhausted(ServerId server, int attempts, Instant nextRetryAt) {
            }

            @Override
            public void handledBy(ServerId server, String recoveryTaskId) {
                heard.add(server.value() + " " + recoveryTaskId);
            }
        });
        u.fleet.connected("s1");

        u.recovery.attemptNow(id("s1"), Optional.of("task_7"));
        u.recovery.attemptNow(id("s1"));
        u.recovery.attemptUnlessRecovering(id("s1"), Optional.of("task_8"));
        u.recovery.attemptNow(id("s1"), Optional.empty());
        u.fleet.kill("s1");
        u.recovery.runDue(); // the scheduler's own attempt
        u.recovery.attemptUnlessRecovering(id("s1"), Optional.of("task_9")); // left to the episode: no attempt

        assertEquals(List.of("s1 restart", "s1 task_7", "s1 restart", "s1 restart", "s1 task_8", "s1 restart",
                "s1 restart"), heard);
    }

    @Test
    void aReopenThatThrowsIsAFailedAttemptThatNoLongerRuns() {
        MonitoredServer s1 = stdio("s1");
        TestClock clock = new TestClock(START);
        SessionPort closed = new SessionPort() {
            @Override
            public Optional<MonitorEvent.FailureSummary> reopen(MonitoredServer server) {
                throw new IllegalStateException("this probe is closed");
            }

            @Override
            public void close(ServerId server) {
                // it has no session to close
            }

            @Override
            public boolean isOpen(ServerId server) {
                return false;
            }

            @Override
            public void onSessionLost(SessionLossListener listener) {
            }
        };
        RecoveryService recovery = new RecoveryService(new FixedCatalog(s1), closed,
                new FakeBreakers(clock, 3, Duration.ofSeconds(30)), e -> { }, clock, () -> 0.5, Optional.empty(),
                dev.mcphealth.application.catalog.StandbyInstances.NONE, dev.mcphealth.application.port.out.WorkSharePort.ALL);
        recovery.failureSeen(s1.id(), FailureType.CONNECTION_ERROR, "exited");
        assertEquals(List.of(s1.id()), recovery.due(1));

        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> recovery.attempt(s1.id()));

        assertEquals("this probe is closed", thrown.getMessage());
        assertEquals(0, recovery.attemptsRunning(), "so prepare_shutdown can say ready");
        RecoveryProgress.Progress p = recovery.progress(s1.id());
        assertFalse(p.attempting());
        assertEquals(new Attempts(1, 0, 1, Optional.of(START), Optional.of(false), 0, Optional.empty()),
                p.attempts());
        assertEquals(START.plus(TEN_SECONDS), ((RecoveryEpisode.Down) p.episode().orElseThrow()).nextAttemptAt(), "the backoff, not a hot loop");
        assertEquals(List.of(), recovery.due(1));
        assertThrows(IllegalStateException.class, () -> recovery.attemptNow(s1.id()),
                "an attempt by hand runs (and fails) instead of finding one already running");
    }

    @Test
    void progressOfAnUnknownServerIsRefused() {
        Unit u = new Unit(() -> 0.5, stdio("s1"));
        assertThrows(UnknownServerException.class, () -> u.recovery.progress(id("zeta")));
    }
}
