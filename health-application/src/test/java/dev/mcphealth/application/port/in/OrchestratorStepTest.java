package dev.mcphealth.application.port.in;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mcphealth.application.port.in.OrchestratorStep.Outcome;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link OrchestratorStep}: a tool, an outcome, a detail, and an answer only when answered. */
class OrchestratorStepTest {
    @Test
    void anAnsweredStepKeepsItsAnswerInOrderAndUnchangeable() {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("test_completed", true);
        answer.put("overall_status", "pass");

        OrchestratorStep step = new OrchestratorStep("orchestrator_reconnect_test", Outcome.ANSWERED, "pass", answer);
        answer.clear();

        assertEquals(List.of("test_completed", "overall_status"), List.copyOf(step.answer().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> step.answer().clear());
    }

    @Test
    void onlyAnAnsweredStepHasAnAnswer() {
        assertEquals("only an answered step has an answer, not a refused one",
                assertThrows(IllegalArgumentException.class, () -> new OrchestratorStep("orchestrator_restart_server",
                        Outcome.REFUSED, "refused", Map.of("success", false))).getMessage());
        assertEquals(Map.of(), OrchestratorStep.of(OrchestratorStep.PROCESS_RESTART, Outcome.RESTARTED,
                "restarted").answer());
    }

    @Test
    void aStepNamesItsToolAndSaysWhatHappened() {
        assertThrows(IllegalArgumentException.class, () -> OrchestratorStep.of(" ", Outcome.SKIPPED, "why"));
        assertThrows(IllegalArgumentException.class, () -> OrchestratorStep.of("orchestrator_health_check",
                Outcome.SKIPPED, ""));
        assertEquals("restart_failed", Outcome.RESTART_FAILED.code());
    }
}
