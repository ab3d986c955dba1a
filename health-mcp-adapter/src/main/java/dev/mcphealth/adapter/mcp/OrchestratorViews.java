package dev.mcphealth.adapter.mcp;

import dev.mcphealth.adapter.web.Obj;
import dev.mcphealth.application.port.in.OrchestratorStep;
import dev.mcphealth.application.port.in.ReadOrchestratorStatusUseCase;
import dev.mcphealth.application.port.in.TestOrchestratorRecoveryUseCase;
import dev.mcphealth.domain.orchestrator.OrchestratorHealth;

/** The orchestrator's own health, status and recovery test as structured content. */
final class OrchestratorViews {
    private OrchestratorViews() {
    }

    static Obj health(OrchestratorHealth h) {
        if (h instanceof OrchestratorHealth.Reported) {
            OrchestratorHealth.Reported r = (OrchestratorHealth.Reported) h;
            return Obj.of().put("healthy", r.healthy()).put("serverVersion", r.serverVersion())
                    .put("checkedAt", r.checkedAt()).put("checks", r.checks());
        }
        OrchestratorHealth.Unknown u = (OrchestratorHealth.Unknown) h;
        return Obj.of().put("healthy", false).put("unknown", u.why()).put("checkedAt", u.checkedAt());
    }

    static String line(OrchestratorHealth h) {
        if (h instanceof OrchestratorHealth.Reported) {
            return ((OrchestratorHealth.Reported) h).healthy() ? "healthy" : "unhealthy";
        }
        return "unknown (" + ((OrchestratorHealth.Unknown) h).why() + ")";
    }

    static Obj status(ReadOrchestratorStatusUseCase.Status s) {
        if (s instanceof ReadOrchestratorStatusUseCase.Retrieved) {
            ReadOrchestratorStatusUseCase.Retrieved r = (ReadOrchestratorStatusUseCase.Retrieved) s;
            return Obj.of().put("serverHealthy", r.serverHealthy()).put("maintenanceMode", r.maintenanceMode())
                    .put("totalTasks", r.totalTasks()).put("openTasks", r.openTasks())
                    .put("tasksByStatus", r.tasksByStatus()).put("responseTimeMs", r.responseTimeMs())
                    .put("at", r.at());
        }
        ReadOrchestratorStatusUseCase.Unavailable u = (ReadOrchestratorStatusUseCase.Unavailable) s;
        return Obj.of().put("unavailable", u.why()).put("at", u.at());
    }

    static Obj step(OrchestratorStep s) {
        return Obj.of().put("tool", s.tool()).put("outcome", s.outcome()).put("detail", s.detail());
    }

    static Obj recoveryTest(TestOrchestratorRecoveryUseCase.RecoveryTest t) {
        return Obj.of()
                .put("steps", t.steps().stream().map(OrchestratorViews::step).toList())
                .put("health", health(t.health()))
                .put("healedByProcessRestart", t.healedByProcessRestart())
                .put("startedAt", t.startedAt())
                .put("finishedAt", t.finishedAt())
                .put("storageProblem", t.storageProblem());
    }
}
