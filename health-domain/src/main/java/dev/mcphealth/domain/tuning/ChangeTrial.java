package dev.mcphealth.domain.tuning;

import dev.mcphealth.domain.model.ChangeJudged;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.TrialVerdict;
import dev.mcphealth.domain.model.WindowStats;
import dev.mcphealth.domain.tuning.TuningAdvice.Setting;
import dev.mcphealth.domain.tuning.TuningAdvice.Value;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One applied change on trial: the server's figures over {@code window} before it ({@code before}, read when it was
 * applied), and once the same length of time has passed after it, the figures over that window, the
 * {@link TrialJudge judgement} and what became of the change. Immutable: each step returns the next trial, checked
 * against {@link TrialTransition}.
 *
 * @param id a number for the trial, unique within a run
 * @param was the value in force before the change
 * @param now the value the change set
 */
public record ChangeTrial(long id, ServerId server, Setting setting, Value was, Value now, Instant appliedAt,
                          Duration window, WindowStats before, TrialPhase phase, Optional<WindowStats> after,
                          Optional<TrialJudge.Judgement> judgement, Optional<Instant> endedAt) {

    public ChangeTrial {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(setting, "setting");
        Objects.requireNonNull(was, "was");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(appliedAt, "appliedAt");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(judgement, "judgement");
        Objects.requireNonNull(endedAt, "endedAt");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a trial's window must be positive, got " + window);
        }
        if (phase.ended() != endedAt.isPresent()) {
            throw new IllegalArgumentException("an ended trial, and only one, has an end");
        }
        if (phase == TrialPhase.ROLLED_BACK
                && judgement.map(j -> j.verdict() != TrialVerdict.WORSE).orElse(true)) {
            throw new IllegalArgumentException("only a change judged worse is rolled back");
        }
    }

    /** A change just applied at {@code at}, with the figures of the window before it. */
    public static ChangeTrial start(long id, ServerId server, Setting setting, Value was, Value now, Instant at,
                                    Duration window, WindowStats before) {
        return new ChangeTrial(id, server, setting, was, now, at, window, before, TrialPhase.RUNNING,
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** When the window after the change is complete. */
    public Instant judgeAt() {
        return appliedAt.plus(window);
    }

    public boolean due(Instant at) {
        return phase == TrialPhase.RUNNING && !at.isBefore(judgeAt());
    }

    /**
     * The judgement of {@code afterWindow} against the window before the change; the p95 is not judged for a probe
     * interval (it cannot make the server slower, only change the mix of probes and calls the p95 is taken over).
     */
    public TrialJudge.Judgement judge(WindowStats afterWindow) {
        return TrialJudge.judge(before, afterWindow, setting != Setting.PROBE_INTERVAL);
    }

    /**
     * The trial ended in {@code to} at {@code at}, with the window after the change and its judgement.
     *
     * @throws IllegalStateException if the trial has ended already
     */
    public ChangeTrial end(TrialPhase to, WindowStats afterWindow, TrialJudge.Judgement j, Instant at) {
        TrialTransition.between(phase, to);
        return new ChangeTrial(id, server, setting, was, now, appliedAt, window, before, to,
                Optional.of(afterWindow), Optional.of(j), Optional.of(at));
    }

    /** The event of an ended trial. */
    public ChangeJudged event() {
        if (!phase.ended()) {
            throw new IllegalStateException("trial " + id + " is still running");
        }
        ChangeJudged.Outcome outcome = phase == TrialPhase.KEPT ? ChangeJudged.Outcome.KEPT
                : phase == TrialPhase.ROLLED_BACK ? ChangeJudged.Outcome.ROLLED_BACK : ChangeJudged.Outcome.OVERTAKEN;
        TrialJudge.Judgement j = judgement.orElseThrow();
        return new ChangeJudged(server, setting.code(), setting.text(was), setting.text(now), outcome, j.verdict(),
                List.copyOf(j.evidence()), before, after.orElseThrow(), appliedAt, endedAt.orElseThrow());
    }
}
