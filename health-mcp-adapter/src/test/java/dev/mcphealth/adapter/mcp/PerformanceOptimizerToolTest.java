package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.AdviseTuningUseCase;
import dev.mcphealth.application.port.in.ApplyTuningUseCase;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.WindowStats;
import dev.mcphealth.domain.tuning.ChangeTrial;
import dev.mcphealth.domain.tuning.TrialPhase;
import dev.mcphealth.domain.tuning.TuningAdvice;
import dev.mcphealth.domain.tuning.TuningAdvice.Recommendation;
import dev.mcphealth.domain.tuning.TuningAdvice.Setting;
import dev.mcphealth.domain.tuning.TuningAdvice.Value;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The optimizer proposes; with apply it hands exactly the proposals to the applier and reports before and after. */
class PerformanceOptimizerToolTest {
    static final Instant NOW = Instant.parse("2026-11-24T03:00:00Z");
    static final Recommendation TIMEOUT = Recommendation.change(ServerId.of("everything"), Setting.PROBE_TIMEOUT,
            new Value.Time(Duration.ofSeconds(10)), new Value.Time(Duration.ofSeconds(2)), "p99 far below",
            "p99 40 ms over 3,600 probes in 1 h");
    static final Recommendation LOOK = Recommendation.forPerson(ServerId.of("memory"), Setting.INVESTIGATE, "-",
            "look at it", "fails most", "4 episodes in 24 h");

    final List<ApplyTuningUseCase.Command> applied = new ArrayList<>();
    final AdviseTuningUseCase advice = q -> new TuningAdvice(NOW, q.target(), q.level(), List.of(TIMEOUT, LOOK),
            List.of());
    final ApplyTuningUseCase applier = c -> {
        applied.add(c);
        return new ApplyTuningUseCase.Result(NOW, List.of(
                new ApplyTuningUseCase.Applied(TIMEOUT, TIMEOUT.currentValue().get(), TIMEOUT.proposedValue().get()),
                new ApplyTuningUseCase.Skipped(LOOK, Optional.empty(), "needs a person: look at it")));
    };
    final PerformanceOptimizerTool tool = new PerformanceOptimizerTool(advice, applier, List::of, Optional.empty(),
            Optional.empty(), List.of("demo", "kv"));

    private Reply call(Map<String, Object> args) {
        return tool.call(tool.input().read(args));
    }

    @Test
    void withoutApplyNothingChanges() {
        Reply r = call(Map.of("optimization_target", "latency"));
        assertTrue(applied.isEmpty());
        assertEquals(false, r.structured().get("applied"));
        assertFalse(r.structured().containsKey("changes"));
        assertTrue(r.summary().contains("everything probe_timeout_ms 10000 -> 2000"), r.summary());
    }

    @Test
    @SuppressWarnings("unchecked")
    void applyHandsOverTheProposalsAndReportsBeforeAndAfter() {
        Reply r = call(Map.of("optimization_target", "reliability", "apply", true));
        assertEquals(List.of(TIMEOUT, LOOK), applied.get(0).recommendations());
        assertEquals(true, r.structured().get("applied"));
        List<Map<String, Object>> changes = (List<Map<String, Object>>) r.structured().get("changes");
        assertEquals(Map.of("server", "everything", "setting", "probe_timeout_ms", "status", "applied",
                "before", "10000", "after", "2000"), changes.get(0));
        assertEquals("skipped", changes.get(1).get("status"));
        assertEquals("needs a person: look at it", changes.get(1).get("reason"));
        assertTrue(r.summary().startsWith("Applied 1 of 2 proposal(s)"), r.summary());
        assertTrue(r.summary().contains("Skipped: memory investigate (needs a person: look at it)"), r.summary());
    }

    @Test
    @SuppressWarnings("unchecked")
    void anAppliedChangeShowsItsTrialAndEveryReplyTheTrialsWithBeforeAndAfter() {
        Duration w = Duration.ofMinutes(15);
        WindowStats before = new WindowStats(w, 1290, 3, 90, 90, Optional.empty(), Optional.of(Duration.ofMillis(41)),
                Optional.empty());
        WindowStats after = new WindowStats(w, 1302, 15, 90, 79, Optional.empty(), Optional.of(Duration.ofMillis(44)),
                Optional.empty());
        ChangeTrial running = ChangeTrial.start(2, TIMEOUT.server(), Setting.PROBE_TIMEOUT,
                TIMEOUT.currentValue().get(), TIMEOUT.proposedValue().get(), NOW, w, before);
        ChangeTrial first = ChangeTrial.start(1, TIMEOUT.server(), Setting.PROBE_TIMEOUT,
                TIMEOUT.currentValue().get(), TIMEOUT.proposedValue().get(), NOW.minus(Duration.ofDays(2)), w, before);
        ChangeTrial rolledBack = first.end(TrialPhase.ROLLED_BACK, after, first.judge(after), first.judgeAt());
        ApplyTuningUseCase trialApplier = c -> new ApplyTuningUseCase.Result(NOW, List.of(
                new ApplyTuningUseCase.Applied(TIMEOUT, TIMEOUT.currentValue().get(), TIMEOUT.proposedValue().get())),
                List.of(running));
        PerformanceOptimizerTool withTrials = new PerformanceOptimizerTool(advice, trialApplier,
                () -> List.of(running, rolledBack), Optional.empty(), Optional.empty(), List.of("demo", "kv"));

        Reply r = withTrials.call(withTrials.input().read(Map.of("optimization_target", "reliability", "apply",
                true)));

        Map<String, Object> trial = (Map<String, Object>) ((List<Map<String, Object>>) r.structured().get("changes"))
                .get(0).get("trial");
        assertEquals(900L, trial.get("windowSeconds"));
        assertEquals("2026-11-24T03:15:00Z", trial.get("judgeAt"));
        assertEquals(Map.of("probes", 90L, "failedProbes", 0L, "calls", 1200L, "failedCalls", 3L, "p95Ms", 41.0),
                trial.get("before"));
        List<Map<String, Object>> trials = (List<Map<String, Object>>) r.structured().get("trials");
        assertEquals(List.of("running", "rolled_back"), trials.stream().map(t -> t.get("status")).toList());
        assertEquals("worse", trials.get(1).get("verdict"));
        assertEquals(Map.of("probes", 90L, "failedProbes", 11L, "calls", 1212L, "failedCalls", 4L, "p95Ms", 44.0),
                trials.get(1).get("after"));
        assertTrue(r.summary().contains("Each is on trial for 15 min and rolled back if the server does worse than"
                + " before it: everything before: probes failed 0 of 90, calls failed 3 of 1200, p95 41.0 ms"),
                r.summary());
        assertTrue(r.summary().contains("Trials ended: everything probe_timeout_ms 10000 -> 2000 rolled back (worse:"
                + " probes failed 0 of 90 before, 11 of 90 after; "), r.summary());
    }
}
