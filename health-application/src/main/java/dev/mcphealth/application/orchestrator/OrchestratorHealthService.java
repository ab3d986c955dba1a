package dev.mcphealth.application.orchestrator;

import static dev.mcphealth.application.orchestrator.OrchestratorSteps.step;
import static dev.mcphealth.application.orchestrator.OrchestratorSteps.results;
import static dev.mcphealth.application.orchestrator.OrchestratorSteps.health;
import static dev.mcphealth.application.orchestrator.OrchestratorSteps.record;


import dev.mcphealth.application.port.in.CheckOrchestratorUseCase;
import dev.mcphealth.application.port.in.ReadOrchestratorStatusUseCase;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort.IntegrationType;
import dev.mcphealth.application.port.out.OrchestratorPort;
import dev.mcphealth.application.port.out.OrchestratorRequest;
import dev.mcphealth.application.port.out.OrchestratorTool;
import dev.mcphealth.domain.orchestrator.OrchestratorAnswer;
import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The MCP Task Orchestrator's health as MCP Health watches it (../shared/reference/orchestrator-contract.md):
 * self-monitoring through its health check (a self_monitoring row: it goes into MCP Health's own health), and its
 * status for dashboards (external_monitoring). The status recorded is active when it worked and the orchestrator said
 * it was well, failed otherwise; the orchestrator failing is a value, never an exception.
 */
public final class OrchestratorHealthService implements CheckOrchestratorUseCase, ReadOrchestratorStatusUseCase {

    private final OrchestratorPort orchestrator;
    private final OrchestratorIntegrationLogPort log;
    private final Clock clock;

    public OrchestratorHealthService(OrchestratorPort orchestrator, OrchestratorIntegrationLogPort log, Clock clock) {
        this.orchestrator = Objects.requireNonNull(orchestrator);
        this.log = Objects.requireNonNull(log);
        this.clock = Objects.requireNonNull(clock);
    }

    // ---- self-monitoring ------------------------------------------------------------------------------------

    @Override
    public Checked checkOrchestrator() {
        OrchestratorSteps.HealthStep checked = health(orchestrator, clock);
        Map<String, Object> results = results(List.of(checked.step()));
        results.put("healthy", checked.health().healthy());
        Optional<String> problem = record(log, IntegrationType.SELF_MONITORING, OrchestratorTool.HEALTH_CHECK,
                checked.health().healthy(), checked.health().checkedAt(), results);
        return new Checked(checked.health(), problem);
    }

    // ---- dashboards -----------------------------------------------------------------------------------------

    @Override
    public Status status() {
        OrchestratorReply reply = orchestrator.call(new OrchestratorRequest.GetStatus(false));
        Instant at = clock.instant();
        if (!(reply instanceof OrchestratorReply.Answered a)) {
            String why = reply.describe();
            Map<String, Object> results = results(List.of(step(OrchestratorTool.GET_STATUS, reply, why)));
            return new Unavailable(why, at, record(log, IntegrationType.EXTERNAL_MONITORING,
                    OrchestratorTool.GET_STATUS, false, at, results));
        }
        OrchestratorAnswer.StatusReport report = a.answer() instanceof OrchestratorAnswer.StatusReport s ? s
                : new OrchestratorAnswer.StatusReport(Optional.empty(), Optional.empty(), Map.of(), Optional.empty());
        Optional<Boolean> serverHealthy = report.serverHealthy();
        Optional<Boolean> maintenance = report.maintenance();
        Map<String, Long> byStatus = new LinkedHashMap<>();
        boolean more = false;
        for (String list : OrchestratorAnswer.StatusReport.LISTS) {
            OrchestratorAnswer.TaskList counted = report.lists().get(list);
            if (counted != null) {
                byStatus.put(list, counted.count());
                more |= counted.more();
            }
        }
        long total = byStatus.values().stream().mapToLong(Long::longValue).sum();
        long open = byStatus.getOrDefault("active", 0L) + byStatus.getOrDefault("pending", 0L);
        Optional<Double> responseMs = report.responseMs();
        String detail = (serverHealthy.orElse(true) ? "server healthy" : "server unhealthy")
                + (maintenance.orElse(false) ? ", in maintenance mode" : "") + ", " + open + " open of " + total
                + " task(s) listed" + (byStatus.isEmpty() ? " (it answered no task lists)" : "")
                + (more ? " (a list has more than one page: the counts are its total_count)" : "");
        Map<String, Object> results = results(List.of(step(OrchestratorTool.GET_STATUS, reply, detail)));
        Optional<String> problem = record(log, IntegrationType.EXTERNAL_MONITORING, OrchestratorTool.GET_STATUS,
                serverHealthy.orElse(true) && !maintenance.orElse(false), at, results);
        return new Retrieved(serverHealthy, maintenance, total, byStatus, open, responseMs, at, problem);
    }
}
