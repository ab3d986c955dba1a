package dev.mcphealth.application.recovery;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.ReadRecoveryStatusUseCase.Attempts;
import dev.mcphealth.application.testkit.Recoveries;
import dev.mcphealth.application.testkit.TestClock;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ProbeMethod;
import dev.mcphealth.domain.model.ProbeOutcome;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.TransportKind;
import dev.mcphealth.domain.recovery.RecoveryEpisode;
import dev.mcphealth.domain.recovery.RecoveryPhase;
import dev.mcphealth.domain.recovery.RecoveryTransition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Recovery's states against {@link RecoveryTransition}'s table, for any sequence of what can happen to a server:
 * kills and revivals, time passing, attempts handed out and run later (so that a probe or a call can land while one
 * is out), attempts by hand, probe outcomes and failed calls. {@link RecoveryService} checks each change it makes
 * against the table and throws on an illegal one; here every sequence must run without that, each phase seen from
 * outside must follow from the last by the table, and what each phase promises must hold.
 */
class RecoveryTransitionPropertyTest {
    private static final Instant START = Instant.parse("2026-12-05T10:00:00Z");
    private static final ServerId S1 = ServerId.of("s1");

    enum Step {
        KILL, REVIVE, SECOND, TEN_SECONDS, FIVE_MINUTES, HAND_OUT, RUN_HANDED_OUT, RUN_DUE, ATTEMPT_NOW,
        ATTEMPT_UNLESS_RECOVERING, PROBE_ANSWERS, PROBE_TIMES_OUT, PROBE_IS_REFUSED_AUTH, CALL_FAILS
    }

    private static final java.util.Set<Step> RUNS_AN_ATTEMPT = java.util.EnumSet.of(Step.RUN_HANDED_OUT, Step.RUN_DUE,
            Step.ATTEMPT_NOW, Step.ATTEMPT_UNLESS_RECOVERING);

    @Property(tries = 300)
    void everyChangeOfPhaseIsInTheTableAndEachPhaseKeepsItsPromises(
            @ForAll @Size(max = 80) List<Step> steps, @ForAll @IntRange(max = 4) int maxAttempts,
            @ForAll boolean remote) {
        TestClock clock = new TestClock(START);
        MonitoredServer server = aServer().named("s1").over(remote ? TransportKind.STREAMABLE_HTTP : TransportKind.STDIO)
                .every(Duration.ofSeconds(1)).recovering(maxAttempts, Duration.ofSeconds(10)).build();
        Recoveries r = new Recoveries(clock, server);
        RecoveryService recovery = r.recovery;
        r.fleet.connected("s1");
        List<RecoveryPhase> seen = new ArrayList<>(List.of(phase(recovery)));
        boolean handedOut = false;
        int madeBefore = 0;
        for (Step step : steps) {
            switch (step) {
                case KILL -> r.fleet.kill("s1");
                case REVIVE -> r.fleet.revive("s1");
                case SECOND -> r.fleet.advance(Duration.ofSeconds(1));
                case TEN_SECONDS -> r.fleet.advance(Duration.ofSeconds(10));
                case FIVE_MINUTES -> r.fleet.advance(Duration.ofMinutes(5));
                case HAND_OUT -> handedOut |= recovery.due(1).contains(S1);
                case RUN_HANDED_OUT -> {
                    if (handedOut) {
                        recovery.attempt(S1);
                        handedOut = false;
                    }
                }
                case RUN_DUE -> {
                    if (!handedOut) {
                        recovery.runDue();
                    }
                }
                case ATTEMPT_NOW -> recovery.attemptNow(S1);
                case ATTEMPT_UNLESS_RECOVERING -> recovery.attemptUnlessRecovering(S1);
                case PROBE_ANSWERS -> recovery.observed(S1, new ProbeOutcome.Answered(Duration.ofMillis(5),
                        ProbeMethod.PING, Optional.empty()));
                case PROBE_TIMES_OUT -> recovery.observed(S1, new ProbeOutcome.Failed(FailureType.TIMEOUT,
                        "no answer within 2 s", Duration.ofSeconds(2)));
                case PROBE_IS_REFUSED_AUTH -> recovery.observed(S1, new ProbeOutcome.Failed(
                        FailureType.AUTHENTICATION, "401", Duration.ofMillis(3)));
                case CALL_FAILS -> recovery.failureSeen(S1, FailureType.CONNECTION_ERROR, "connection refused");
                default -> throw new AssertionError(step);
            }
            RecoveryPhase now = phase(recovery);
            RecoveryPhase before = seen.get(seen.size() - 1);
            if (now != before) {
                // a step that runs an attempt passes through ATTEMPTING within it (the service checked both changes)
                boolean legal = RecoveryTransition.find(before, now).isPresent()
                        || RUNS_AN_ATTEMPT.contains(step)
                        && RecoveryTransition.find(before, RecoveryPhase.ATTEMPTING).isPresent()
                        && RecoveryTransition.find(RecoveryPhase.ATTEMPTING, now).isPresent();
                assertTrue(legal, "after " + step + ": " + before + " -> " + now + " is not in the table; phases "
                        + seen);
                seen.add(now);
            }
            int made = promisesHold(recovery, server, now, handedOut);
            assertTrue(made >= madeBefore, "attempts made never go down");
            madeBefore = made;
        }
    }

    private static RecoveryPhase phase(RecoveryService recovery) {
        RecoveryProgress.Progress p = recovery.progress(S1);
        return RecoveryPhase.of(p.episode(), p.attempting());
    }

    /** What each phase promises, as the other services read it; returns the attempts made so far. */
    private static int promisesHold(RecoveryService recovery, MonitoredServer server, RecoveryPhase phase,
                                    boolean handedOut) {
        RecoveryProgress.Progress p = recovery.progress(S1);
        Attempts a = p.attempts();
        assertEquals(a.made(), a.succeeded() + a.failed(), "every attempt made has ended (none runs between steps)");
        assertEquals(handedOut, p.attempting(), "attempting exactly while one is handed out and not yet run");
        assertEquals(handedOut ? 1 : 0, recovery.attemptsRunning());
        switch (phase) {
            case UP -> {
                assertTrue(p.episode().isEmpty());
                assertTrue(recovery.nextDue().isEmpty(), "nothing is due for a server that is up");
            }
            case WAITING, EXHAUSTED -> {
                RecoveryEpisode.Down down = (RecoveryEpisode.Down) p.episode().orElseThrow();
                assertEquals(Optional.of(down.nextAttemptAt()), recovery.nextDue(), "its attempt is what is due next");
                assertEquals(phase == RecoveryPhase.EXHAUSTED, down.exhausted());
                assertFalse(recovery.mayConnect(S1), "only its attempts connect while it is down");
                assertTrue(down.attempts() >= 0 && !down.nextAttemptAt().isBefore(down.startedAt()));
            }
            case PROBATION -> {
                RecoveryEpisode.Back back = (RecoveryEpisode.Back) p.episode().orElseThrow();
                assertTrue(recovery.nextDue().isEmpty(), "no attempt is due for a server that is back");
                assertTrue(back.upSince().isPresent());
            }
            case ATTEMPTING -> assertTrue(handedOut);
            default -> throw new AssertionError(phase);
        }
        if (server.transport() != TransportKind.STDIO) {
            assertTrue(recovery.probeMayConnect(S1), "a probe of a remote server may always reconnect");
        } else {
            assertEquals(recovery.mayConnect(S1), recovery.probeMayConnect(S1), "a stdio probe connects as calls do");
        }
        assertEquals(p.episode().isEmpty(), recovery.mayConnect(S1), "calls connect exactly while no episode is open");
        return a.made();
    }
}
