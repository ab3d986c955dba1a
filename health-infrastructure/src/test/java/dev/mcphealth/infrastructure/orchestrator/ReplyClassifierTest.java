package dev.mcphealth.infrastructure.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import dev.mcphealth.application.port.out.OrchestratorTool;
import dev.mcphealth.domain.model.CallOutcome;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.ToolReply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Every rule of {@link ReplyClassifier}, on the texts of the orchestrator's contract and of its test double
 * ({@code testkit/OrchestratorTools}): {@code json.dumps(indent=2)} objects and the router's Python dict repr.
 */
class ReplyClassifierTest {
    private static final Duration T = Duration.ofMillis(12);

    private static OrchestratorReply answer(OrchestratorTool tool, String... texts) {
        return ReplyClassifier.classify(tool, new CallOutcome.Replied(new ToolReply(false, List.of(texts), "{}"), T));
    }

    private static OrchestratorReply error(OrchestratorTool tool, String... texts) {
        return ReplyClassifier.classify(tool, new CallOutcome.Replied(new ToolReply(true, List.of(texts), "{}"), T));
    }

    private static Map<String, Object> answered(OrchestratorReply reply) {
        return assertInstanceOf(OrchestratorReply.Answered.class, reply, () -> "expected an answer: " + reply).json();
    }

    private static String refused(OrchestratorReply reply) {
        return assertInstanceOf(OrchestratorReply.Refused.class, reply, () -> "expected a refusal: " + reply).error();
    }

    @Nested
    class Failures {
        @Test
        void aFailureThatNeverReachedItIsNotDelivered() {
            OrchestratorReply r = ReplyClassifier.classify(OrchestratorTool.PLAN_TASK, new CallOutcome.Failed(
                    FailureType.CONNECTION_ERROR, "orchestrator has no live session (recovery reopens it)", false, T));

            OrchestratorReply.NotDelivered n = assertInstanceOf(OrchestratorReply.NotDelivered.class, r);
            assertEquals("orchestrator_plan_task was not delivered (connection_error): orchestrator has no live"
                    + " session (recovery reopens it)", n.reason());
            assertFalse(n.delivered());
        }

        @Test
        void aTimeoutIsUnconfirmed() {
            OrchestratorReply r = ReplyClassifier.classify(OrchestratorTool.COMPLETE_TASK, new CallOutcome.Failed(
                    FailureType.TIMEOUT, "tools/call orchestrator_complete_task: no answer within 30 s", true, T));

            OrchestratorReply.Unconfirmed u = assertInstanceOf(OrchestratorReply.Unconfirmed.class, r);
            assertEquals("orchestrator_complete_task was sent, no answer (timeout): tools/call"
                    + " orchestrator_complete_task: no answer within 30 s", u.reason());
            assertTrue(u.delivered(), "it may have done it: never sent again");
        }

        @Test
        void aProcessThatDiedOnTheCallIsUnconfirmed() {
            OrchestratorReply r = ReplyClassifier.classify(OrchestratorTool.PLAN_TASK, new CallOutcome.Failed(
                    FailureType.CONNECTION_ERROR, "the server's process exited with code 3", true, T));

            assertInstanceOf(OrchestratorReply.Unconfirmed.class, r);
        }

        @Test
        void aToolListIsNoAnswerToACall() {
            assertThrows(IllegalArgumentException.class, () -> ReplyClassifier.classify(OrchestratorTool.PLAN_TASK,
                    new CallOutcome.Listed(List.of(), T)));
        }
    }

    @Nested
    class Answers {
        @Test
        void aSessionIsAnswered() {
            Map<String, Object> json = answered(answer(OrchestratorTool.INITIALIZE_SESSION, """
                    {
                      "status": "session_initialized",
                      "session_id": "session_1a2b3c4d_1767261600",
                      "working_directory": "/work/project",
                      "capabilities": {
                        "hot_reload": false,
                        "task_orchestration": true
                      },
                      "database_status": "connected",
                      "next_steps": [
                        "Plan a task with orchestrator_plan_task"
                      ]
                    }"""));

            assertEquals("session_1a2b3c4d_1767261600", json.get("session_id"));
            assertEquals(Map.of("hot_reload", false, "task_orchestration", true), json.get("capabilities"));
            assertEquals(List.of("Plan a task with orchestrator_plan_task"), json.get("next_steps"));
        }

        @Test
        void aPlannedTaskIsAnswered() {
            Map<String, Object> json = answered(answer(OrchestratorTool.PLAN_TASK, """
                    {
                      "success": true,
                      "task_id": "task_9f8e7d6c",
                      "title": "Check the fleet",
                      "status": "pending",
                      "task_type": "standard",
                      "complexity": "simple",
                      "specialist_type": "devops",
                      "created_at": "2026-01-01T10:00:00.123456",
                      "message": "Task 'Check the fleet' created successfully"
                    }"""));

            assertEquals("task_9f8e7d6c", json.get("task_id"));
            assertEquals(true, json.get("success"));
        }

        @Test
        void aTaskReadyForExecutionAndACompletedTaskAreAnswered() {
            assertEquals("ready_for_execution", answered(answer(OrchestratorTool.EXECUTE_TASK, """
                    {
                      "status": "ready_for_execution",
                      "task_id": "task_9f8e7d6c",
                      "specialist_context": {},
                      "specialist_prompts": [
                        "Apply devops specialist knowledge to this task"
                      ],
                      "execution_instructions": [
                        "Task: Check the fleet"
                      ]
                    }""")).get("status"));
            assertEquals(1, answered(answer(OrchestratorTool.COMPLETE_TASK, """
                    {
                      "status": "success",
                      "task_id": "task_9f8e7d6c",
                      "artifact_count": 1,
                      "artifact_references": [
                        {
                          "id": "artifact_0a1b2c3d",
                          "type": "general"
                        }
                      ],
                      "completion_time": "2026-01-01T10:05:00"
                    }""")).get("artifact_count"));
        }

        @Test
        void updateTasksIntendedAnswerIsAnswered() {
            Map<String, Object> json = answered(answer(OrchestratorTool.UPDATE_TASK,
                    "{\"status\": \"success\", \"data\": {\"task_id\": \"task_9f8e7d6c\", \"updated_task\": {}}}"));

            assertEquals(Map.of("task_id", "task_9f8e7d6c", "updated_task", Map.of()), json.get("data"));
        }

        @Test
        void anEmptyQueryResultIsAnswered() {
            Map<String, Object> json = answered(answer(OrchestratorTool.QUERY_TASKS, """
                    {
                      "status": "success",
                      "message": "Found 0 tasks matching query criteria",
                      "query_summary": {
                        "filters_applied": [],
                        "pagination": {
                          "total_count": 0,
                          "page_count": 1,
                          "has_more": false
                        }
                      },
                      "tasks": []
                    }"""));

            assertEquals(List.of(), json.get("tasks"));
        }

        @Test
        void anUnhealthyHealthCheckIsStillAnAnswer() {
            Map<String, Object> json = answered(answer(OrchestratorTool.HEALTH_CHECK, """
                    {
                      "healthy": false,
                      "timestamp": "2026-01-01T10:00:00+00:00",
                      "server_version": "1.4.1",
                      "checks": {
                        "reboot_readiness": {
                          "ready": false,
                          "issues": [
                            "Server already in maintenance mode"
                          ]
                        }
                      }
                    }"""));

            assertEquals(false, json.get("healthy"));
        }

        @Test
        void aNullErrorOrSuccessTrueIsNoError() {
            answered(answer(OrchestratorTool.GET_STATUS, "{\"status\": \"status_retrieved\", \"error\": null}"));
            answered(answer(OrchestratorTool.GET_STATUS, "{\"success\": true, \"error\": false}"));
            answered(answer(OrchestratorTool.RESTART_STATUS, "{\"current_status\": {\"phase\": \"failed\"}}"));
        }

        @Test
        void topLevelNullsAreLeftOutAndNestedOnesKept() {
            Map<String, Object> json = answered(answer(OrchestratorTool.RESTART_STATUS, """
                    {
                      "current_status": {"phase": "idle"},
                      "history": {"recent_restarts": [], "last_successful_restart": null},
                      "completed_at": null
                    }"""));

            assertEquals(java.util.Set.of("current_status", "history"), json.keySet());
            assertTrue(((Map<?, ?>) json.get("history")).containsKey("last_successful_restart"));
        }

        @Test
        void pythonsNanAndAsciiEscapesAreRead() {
            Map<String, Object> json = answered(answer(OrchestratorTool.SYNTHESIZE_RESULTS,
                    "{\"status\": \"results_synthesized\", \"success_rate\": NaN, \"title\": \"caf\\u00e9\"}"));

            assertTrue(Double.isNaN(((Number) json.get("success_rate")).doubleValue()));
            assertEquals("café", json.get("title"));
        }
    }

    @Nested
    class Refusals {
        @Test
        void anAnswerFlaggedIsErrorIsRefusedWithItsText() {
            String text = "Input validation error: 'failover_testing' is not one of ['configuration_update',"
                    + " 'schema_migration', 'error_recovery', 'manual_request', 'emergency_shutdown']";

            assertEquals(text, refused(error(OrchestratorTool.RESTART_SERVER, text)));
            assertEquals("orchestrator_plan_task reported an error without a text",
                    refused(error(OrchestratorTool.PLAN_TASK)));
        }

        @Test
        void anAnswerThatIsNotExactlyOneTextIsRefused() {
            assertEquals("orchestrator_get_status answered no text (expected one text of JSON)",
                    refused(answer(OrchestratorTool.GET_STATUS)));
            assertEquals("orchestrator_get_status answered 2 texts (expected one): {}\n{}",
                    refused(answer(OrchestratorTool.GET_STATUS, "{}", "{}")));
        }

        @Test
        void aFailedSessionIsRefusedWithItsError() {
            assertEquals("Failed to initialize session: [Errno 13] Permission denied: '/root/x'",
                    refused(answer(OrchestratorTool.INITIALIZE_SESSION, """
                            {
                              "status": "initialization_failed",
                              "error": "Failed to initialize session: [Errno 13] Permission denied: '/root/x'",
                              "working_directory": "/root/x"
                            }""")));
        }

        @Test
        void anUnknownTaskIsRefusedWithTheDetailsThatRepeatTheError() {
            assertEquals("Task execution failed: Task task_00000000 not found",
                    refused(answer(OrchestratorTool.EXECUTE_TASK, """
                            {
                              "error": "Task execution failed",
                              "details": "Task execution failed: Task task_00000000 not found",
                              "tool": "orchestrator_execute_task"
                            }""")));
            assertEquals("Task completion failed: Failed to complete task task_00000000",
                    refused(answer(OrchestratorTool.COMPLETE_TASK, """
                            {
                              "error": "Task completion failed",
                              "details": "Task completion failed: Failed to complete task task_00000000",
                              "tool": "orchestrator_complete_task"
                            }""")));
        }

        @Test
        void aQueryThatFoundTasksIsRefusedWithTheErrorAndItsDetails() {
            assertEquals("Query execution error: 'str' object has no attribute 'isoformat'",
                    refused(answer(OrchestratorTool.QUERY_TASKS, """
                            {
                              "error": "Query execution error",
                              "details": "'str' object has no attribute 'isoformat'",
                              "tool": "orchestrator_query_tasks"
                            }""")));
        }

        @Test
        void aFailedSynthesisIsRefused() {
            assertEquals("Parent task task_9f8e7d6c not found", refused(answer(OrchestratorTool.SYNTHESIZE_RESULTS, """
                    {
                      "status": "synthesis_failed",
                      "error": "Parent task task_9f8e7d6c not found",
                      "parent_task_id": "task_9f8e7d6c",
                      "recovery_suggestions": [
                        "Verify the parent task ID exists"
                      ]
                    }""")));
        }

        @Test
        void aFailedRestartIsRefusedWithItsMessage() {
            assertEquals("Shutdown failed: state serialization did not complete: the server cannot restart itself",
                    refused(answer(OrchestratorTool.RESTART_SERVER, """
                            {
                              "success": false,
                              "phase": "failed",
                              "progress": 0.0,
                              "message": "Shutdown failed: state serialization did not complete: the server \
                            cannot restart itself",
                              "errors": [
                                "state serialization did not complete: the server cannot restart itself"
                              ],
                              "restart_reason": "error_recovery"
                            }""")));
            assertEquals("Emergency restart not yet implemented", refused(answer(OrchestratorTool.RESTART_SERVER,
                    "{\"success\": false, \"error\": \"Emergency restart not yet implemented\", \"graceful\": false}")));
            assertEquals("a; b", refused(answer(OrchestratorTool.RESTART_SERVER,
                    "{\"success\": false, \"errors\": [\"a\", \"b\"]}")));
        }

        @Test
        void everyErrorStatusIsRefused() {
            assertEquals("it broke", refused(answer(OrchestratorTool.GET_STATUS,
                    "{\"status\": \"error\", \"message\": \"it broke\"}")));
            assertEquals("status failed", refused(answer(OrchestratorTool.GET_STATUS, "{\"status\": \"failed\"}")));
            assertEquals("status failure", refused(answer(OrchestratorTool.GET_STATUS, "{\"status\": \"failure\"}")));
            assertEquals("status maintenance_error", refused(answer(OrchestratorTool.MAINTENANCE_COORDINATOR,
                    "{\"status\": \"maintenance_error\"}")));
            assertEquals("{\"code\":7}", refused(answer(OrchestratorTool.GET_STATUS, "{\"error\": {\"code\": 7}}")));
            assertEquals("{\"success\": false}", refused(answer(OrchestratorTool.GET_STATUS, "{\"success\": false}")));
        }

        @Test
        void updateTasksDictReprSaysErrorButTheTaskWasUpdated() {
            String repr = "{'status': 'error', 'error': \"Handler error: 'str' object is not a mapping\", "
                    + "'tool': 'orchestrator_update_task', 'error_type': 'TypeError'}";

            OrchestratorReply r = answer(OrchestratorTool.UPDATE_TASK, repr);

            OrchestratorReply.DoneDespiteError done = assertInstanceOf(OrchestratorReply.DoneDespiteError.class, r);
            assertEquals(repr, done.raw());
            assertTrue(done.delivered());
        }

        @Test
        void anyOtherDictReprIsRefusedWithTheRawText() {
            String notFound = "{'status': 'error', 'error': 'Handler error: Task task_ffffffff not found', "
                    + "'tool': 'orchestrator_update_task', 'error_type': 'OrchestrationError'}";
            assertEquals(notFound, refused(answer(OrchestratorTool.UPDATE_TASK, notFound)));

            // the quirk is update_task's only: elsewhere the same words are a plain refusal
            String elsewhere = "{'status': 'error', 'error': \"Handler error: 'str' object is not a mapping\", "
                    + "'tool': 'orchestrator_plan_task', 'error_type': 'TypeError'}";
            assertEquals(elsewhere, refused(answer(OrchestratorTool.PLAN_TASK, elsewhere)));
        }

        @Test
        void aTextThatIsNotAJsonObjectIsRefusedRaw() {
            assertEquals("Internal Server Error", refused(answer(OrchestratorTool.GET_STATUS,
                    "Internal Server Error")));
            assertEquals("[1, 2]", refused(answer(OrchestratorTool.GET_STATUS, "[1, 2]")));
            assertEquals("\"done\"", refused(answer(OrchestratorTool.GET_STATUS, "\"done\"")));
            assertEquals("{\"a\": 1} trailing", refused(answer(OrchestratorTool.GET_STATUS, "{\"a\": 1} trailing")));
            assertEquals("orchestrator_get_status answered an empty text",
                    refused(answer(OrchestratorTool.GET_STATUS, " ")));
        }

        @Test
        void aLongTextIsCutTo500Characters() {
            String reason = "x".repeat(2000);

            String error = refused(answer(OrchestratorTool.GET_STATUS, reason));

            assertEquals("x".repeat(500) + "…", error);
            String longRepr = "{'status': 'error', 'error': \"Handler error: 'str' object is not a mapping\", 'more': '"
                    + "y".repeat(1000) + "'}";
            assertEquals(501, assertInstanceOf(OrchestratorReply.DoneDespiteError.class,
                    answer(OrchestratorTool.UPDATE_TASK, longRepr)).raw().length());
        }

        @Test
        void aCutNeverSplitsASurrogatePair() {
            String text = "a".repeat(499) + "😀" + "b";

            String cut = ReplyClassifier.cut(text);

            assertEquals("a".repeat(499) + "…", cut);
            assertEquals("short", ReplyClassifier.cut("short"));
        }
    }
}
