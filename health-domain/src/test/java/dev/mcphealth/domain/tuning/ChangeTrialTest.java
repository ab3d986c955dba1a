package dev.mcphealth.domain.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.model.ChangeJudged;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.TrialVerdict;
import dev.mcphealth.domain.model.WindowStats;
import dev.mcphealth.domain.tuning.TuningAdvice.Setting;
import dev.mcphealth.domain.tuning.TuningAdvice.Value;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** A trial's life: running until its window is over, then ended once, in one of the table's ends. */
class ChangeTrialTest {
    private static final Instant T0 = Instant.parse("2026-12-07T09:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(15);
    private static final WindowStats QUIET = stats(90, 0, Duration.ofMillis(40));
    private static final WindowStats FAILING = stats(90, 20, Duration.ofMillis(40));

    private static WindowStats stats(long probes, long failed, Duration p95) {
        return new WindowStats(WINDOW, probes, failed, probes, probes - failed, Optional.of(p95), Optional.of(p95),
                Optional.of(p95));
    }

    private static ChangeTrial trial() {
        return ChangeTrial.start(1, ServerId.of("web"), Setting.PROBE_TIMEOUT, new Value.Time(Duration.ofSeconds(5)),
                new Value.Time(Duration.ofMillis(800)), T0, WINDOW, QUIET);
    }

    @Property
    void betweenAllowsExactlyThePairsOfTheTable(@ForAll TrialPhase from, @ForAll TrialPhase to) {
        boolean listed = Arrays.stream(TrialTransition.values()).anyMatch(t -> t.from() == from && t.to() == to);
        if (listed) {
            assertEquals(to, TrialTransition.between(from, to).to());
        } else {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> TrialTransition.between(from, to));
            assertEquals("illegal trial transition " + from + " -> " + to, e.getMessage());
        }
    }

    @Example
    void everyEndIsReachedFromRunningAndNoEndLeadsAnywhere() {
        for (TrialPhase p : TrialPhase.values()) {
            if (p.ended()) {
                assertTrue(TrialTransition.find(TrialPhase.RUNNING, p).isPresent(), p + " is reachable");
                for (TrialPhase q : TrialPhase.values()) {
                    assertTrue(TrialTransition.find(p, q).isEmpty(), p + " is an end");
                }
            }
        }
    }

    @Example
    void dueOnceItsWindowIsOver() {
        ChangeTrial t = trial();
        assertEquals(T0.plus(WINDOW), t.judgeAt());
        assertFalse(t.due(T0.plus(WINDOW).minusMillis(1)));
        assertTrue(t.due(T0.plus(WINDOW)));
    }

    @Example
    void aWorseWindowIsRolledBackAndTheEventSaysBeforeAndAfter() {
        ChangeTrial t = trial();
        TrialJudge.Judgement j = t.judge(FAILING);
        assertEquals(TrialVerdict.WORSE, j.verdict());
        ChangeTrial ended = t.end(TrialPhase.ROLLED_BACK, FAILING, j, T0.plus(WINDOW));
        ChangeJudged e = ended.event();
        assertEquals(ChangeJudged.Outcome.ROLLED_BACK, e.outcome());
        assertEquals("probe_timeout_ms", e.setting());
        assertEquals("5000", e.was());
        assertEquals("800", e.now());
        assertEquals(QUIET, e.before());
        assertEquals(FAILING, e.after());
        assertEquals("worse: probes failed 0 of 90 before, 20 of 90 after", e.evidence().get(0));
        assertEquals("change_judged", e.kind());
        assertThrows(IllegalStateException.class, () -> ended.end(TrialPhase.KEPT, FAILING, j, T0.plus(WINDOW)));
    }

    @Example
    void aChangeNotJudgedWorseCannotBeRolledBack() {
        ChangeTrial t = trial();
        TrialJudge.Judgement j = t.judge(QUIET);
        assertEquals(TrialVerdict.NO_WORSE, j.verdict());
        assertThrows(IllegalArgumentException.class, () -> t.end(TrialPhase.ROLLED_BACK, QUIET, j, T0.plus(WINDOW)));
        assertEquals(ChangeJudged.Outcome.KEPT, t.end(TrialPhase.KEPT, QUIET, j, T0.plus(WINDOW)).event().outcome());
    }

    @Example
    void aRunningTrialHasNoEvent() {
        assertThrows(IllegalStateException.class, () -> trial().event());
        assertTrue(trial().after().isEmpty());
    }
}
