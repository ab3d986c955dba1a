package dev.mcphealth.application.orchestrator;


import dev.mcphealth.application.port.in.OrchestratorStep;
import dev.mcphealth.application.port.in.OrchestratorStep.Outcome;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort.IntegrationStatus;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort.IntegrationType;
import dev.mcphealth.application.port.out.OrchestratorPort;
import dev.mcphealth.application.port.out.OrchestratorRequest;
import dev.mcphealth.application.port.out.OrchestratorTool;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.model.Coded;
import dev.mcphealth.domain.orchestrator.OrchestratorAnswer;
import dev.mcphealth.domain.orchestrator.OrchestratorHealth;
import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the orchestrator workflows share: the health check and the step it was, each step as a result, and the
 * orchestrator_health_integration row each workflow records (a store that cannot take it is reported, never thrown).
 */
final class OrchestratorSteps {
    private OrchestratorSteps() {
    }

    /** A health check and the step it was. */
    record HealthStep(OrchestratorHealth health, OrchestratorStep step) {
    }

    static HealthStep health(OrchestratorPort orchestrator, Clock clock) {
        OrchestratorReply reply = orchestrator.call(new OrchestratorRequest.HealthCheck());
        Instant at = clock.instant();
        OrchestratorHealth health;
        if (reply instanceof OrchestratorReply.Answered a && a.answer() instanceof OrchestratorAnswer.HealthReport h
                && h.healthy().isPresent()) {
            health = new OrchestratorHealth.Reported(h.healthy().get(), h.checks(), h.issues(), h.version(), at);
        } else if (reply instanceof OrchestratorReply.Answered) {
            health = new OrchestratorHealth.Unknown("its health check answered no boolean \"healthy\"", at);
        } else {
            health = new OrchestratorHealth.Unknown(reply.describe(), at);
        }
        String detail;
        if (health instanceof OrchestratorHealth.Reported r) {
            detail = r.healthy() ? "healthy" : "unhealthy" + (r.issues().isEmpty() ? ""
                    : ": " + String.join("; ", r.issues()));
        } else {
            detail = "unknown: " + ((OrchestratorHealth.Unknown) health).why();
        }
        return new HealthStep(health, step(OrchestratorTool.HEALTH_CHECK, reply, detail));
    }

    /** Records the workflow's row; the store's problem, if it could not take it. */
    static Optional<String> record(OrchestratorIntegrationLogPort log, IntegrationType type, OrchestratorTool tool,
                                   boolean worked, Instant at, Map<String, Object> results) {
        try {
            log.record(new OrchestratorIntegrationLogPort.Entry(type, tool,
                    worked ? IntegrationStatus.ACTIVE : IntegrationStatus.FAILED, at, results));
            return Optional.empty();
        } catch (StorageUnavailableException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** {@code validation_results}: the steps as JSON ({@code tool}, {@code outcome}, {@code detail}, {@code answer}).
     */
    static Map<String, Object> results(List<OrchestratorStep> steps) {
        List<Object> list = new ArrayList<>();
        for (OrchestratorStep s : steps) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("tool", s.tool());
            m.put("outcome", s.outcome().code());
            m.put("detail", s.detail());
            if (!s.answer().isEmpty()) {
                m.put("answer", JsonTrees.withoutNulls(s.answer()));
            }
            list.add(m);
        }
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("steps", list);
        return results;
    }

    /** The step a call was: its outcome is the reply's case (the same codes), with the answer when it answered. */
    static OrchestratorStep step(OrchestratorTool tool, OrchestratorReply reply, String detail) {
        Outcome outcome = Coded.parse(Outcome.class, reply.code(), "step outcome");
        return reply instanceof OrchestratorReply.Answered a
                ? new OrchestratorStep(tool.code(), outcome, detail, a.json())
                : OrchestratorStep.of(tool.code(), outcome, detail);
    }
}
