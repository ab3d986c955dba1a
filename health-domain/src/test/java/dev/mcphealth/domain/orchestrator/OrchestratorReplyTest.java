package dev.mcphealth.domain.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OrchestratorReplyTest {
    private static final List<OrchestratorReply> ALL = List.of(
            new OrchestratorReply.Answered(new OrchestratorAnswer.Planned(java.util.Optional.of("task_0a1b2c3d")),
                    "task_id=task_0a1b2c3d", Map.of("task_id", "task_0a1b2c3d")),
            new OrchestratorReply.DoneDespiteError("{'status': 'error', 'error': \"'str' object is not a mapping\"}"),
            new OrchestratorReply.Refused("Parent task task_0a1b2c3d not found"),
            new OrchestratorReply.NotDelivered("the orchestrator's breaker is open; retry after 30 s"),
            new OrchestratorReply.Unconfirmed("no answer within 30 s"));

    @Test
    void eachCaseHasItsCodeAndOneLineSayingWhatItSaid() {
        assertEquals(List.of("answered", "done_despite_error", "refused", "not_delivered", "unconfirmed"),
                ALL.stream().map(OrchestratorReply::code).toList());
        assertEquals(List.of("answered",
                "done despite an error: {'status': 'error', 'error': \"'str' object is not a mapping\"}",
                "refused: Parent task task_0a1b2c3d not found",
                "not delivered: the orchestrator's breaker is open; retry after 30 s",
                "no answer: no answer within 30 s"), ALL.stream().map(OrchestratorReply::describe).toList());
        assertFalse(ALL.get(0).describe().contains("task_0a1b2c3d"), "an answer is not repeated");
    }

    @Test
    void onlyACallItNeverGotIsUndelivered() {
        assertEquals(List.of(true, true, true, false, true), ALL.stream().map(OrchestratorReply::delivered).toList());
    }

    @Test
    void blankTextsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new OrchestratorReply.Refused(" "));
        assertThrows(IllegalArgumentException.class, () -> new OrchestratorReply.NotDelivered(""));
        assertThrows(IllegalArgumentException.class, () -> new OrchestratorReply.Unconfirmed(null));
        assertThrows(IllegalArgumentException.class,
                () -> new OrchestratorReply.Answered(OrchestratorAnswer.Taken.NONE, " ", Map.of()));
        assertTrue(new OrchestratorReply.Answered(OrchestratorAnswer.Taken.NONE, "answered", Map.of()).json()
                .isEmpty());
    }
}
