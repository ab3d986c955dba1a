package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.AdviseTuningUseCase;
import dev.mcphealth.application.port.in.ApplyTuningUseCase;
import dev.mcphealth.domain.model.ServerId;
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
    final PerformanceOptimizerTool tool = new PerformanceOptimizerTool(advice, applier, Optional.empty(),
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
}
