package dev.mcphealth.application.orchestrator;

import dev.mcphealth.application.recovery.ManualRecovery;
import dev.mcphealth.domain.model.Faults;

import dev.mcphealth.application.port.in.CheckOrchestratorUseCase;
import dev.mcphealth.application.port.in.CleanUpOrchestratorUseCase;
import dev.mcphealth.application.port.in.OrchestratorStep;
import dev.mcphealth.application.port.in.OrchestratorStep.Outcome;
import dev.mcphealth.application.port.in.ReadOrchestratorStatusUseCase;
import dev.mcphealth.application.port.in.TestOrchestratorRecoveryUseCase;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort.IntegrationStatus;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort.IntegrationType;
import dev.mcphealth.application.port.out.OrchestratorPort;
import dev.mcphealth.application.port.out.OrchestratorTool;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.orchestrator.OrchestratorHealth;
import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import dev.mcphealth.domain.model.RecoveryAction;
import dev.mcphealth.domain.model.ServerId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * MCP Health's workflows on the MCP Task Orchestrator's own health tools (../shared/reference/orchestrator-contract.md):
 * self-monitoring through its health check, its status for dashboards, the cleanup after an optimization, and recovery
 * testing that heals the contract's known failure (a restart request leaving it in maintenance mode) by restarting its
 * process. Every workflow records one orchestrator_health_integration row; a store that cannot take it is reported in
 * the result ({@code storageProblem}), never thrown, and the orchestrator failing is a value, never an exception.
 * <p>
 * Which kind of integration each records: the health check is self_monitoring (it goes into MCP Health's own health);
 * the status and the cleanup are external_monitoring (MCP Health reading and maintaining the orchestrator from
 * outside); the recovery test is recovery_testing, with restart_server as its tool. The status is active when it
 * worked and the orchestrator said it was well, failed otherwise.
 */
public final class OrchestratorWorkflowService implements CheckOrchestratorUseCase, ReadOrchestratorStatusUseCase,
        CleanUpOrchestratorUseCase, TestOrchestratorRecoveryUseCase {

    /**
     * The restart_server reason sent by the recovery test. The contract's enum is configuration_update,
     * schema_migration, error_recovery, manual_request and emergency_shutdown (the design's "failover_testing" is
     * refused by the orchestrator's input validation): a test asked for by an operator is a manual request; it recovers
     * from no error (error_recovery would book a test as an incident) and changes no configuration or schema.
     */
    public static final String RESTART_REASON = "manual_request";

    /**
     * get_status's task lists, {@code <name>_tasks}: active (active and in_progress), pending, failed; and completed,
     * which it answers only when asked (else null).
     */
    static final List<String> STATUS_LISTS = List.of("active", "pending", "failed", "completed");

    private final OrchestratorPort orchestrator;
    private final ManualRecovery recovery;
    private final OrchestratorIntegrationLogPort log;
    private final Clock clock;

    public OrchestratorWorkflowService(OrchestratorPort orchestrator, ManualRecovery recovery,
                                       OrchestratorIntegrationLogPort log, Clock clock) {
        this.orchestrator = Objects.requireNonNull(orchestrator);
        this.recovery = Objects.requireNonNull(recovery);
        this.log = Objects.requireNonNull(log);
        this.clock = Objects.requireNonNull(clock);
    }

    // ---- self-monitoring ------------------------------------------------------------------------------------

    @Override
    public Checked checkOrchestrator() {
        HealthStep checked = health();
        Map<String, Object> results = results(List.of(checked.step));
        results.put("healthy", checked.health.healthy());
        Optional<String> problem = record(IntegrationType.SELF_MONITORING, OrchestratorTool.HEALTH_CHECK,
                checked.health.healthy(), checked.health.checkedAt(), results);
        return new Checked(checked.health, problem);
    }

    /** A health check and the step it was. */
    private record HealthStep(OrchestratorHealth health, OrchestratorStep step) {
    }

    private HealthStep health() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("include_connection_status", true);
        args.put("include_database_status", true);
        args.put("include_reboot_readiness", true);
        OrchestratorReply reply = orchestrator.call(OrchestratorTool.HEALTH_CHECK, args);
        Instant at = clock.instant();
        OrchestratorHealth health;
        if (reply instanceof OrchestratorReply.Answered a && a.json().get("healthy") instanceof Boolean healthy) {
            Map<String, Object> checks = a.json().get("checks") instanceof Map<?, ?> m ? JsonTrees.stringKeys(m) : Map.of();
            Optional<String> version = a.json().get("server_version") instanceof String v && !v.isBlank()
                    ? Optional.of(v) : Optional.empty();
            health = new OrchestratorHealth.Reported(healthy, checks, version, at);
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

    // ---- dashboards -----------------------------------------------------------------------------------------

    @Override
    public Status status() {
        OrchestratorReply reply = orchestrator.call(OrchestratorTool.GET_STATUS, Map.of("include_completed", false));
        Instant at = clock.instant();
        if (!(reply instanceof OrchestratorReply.Answered a)) {
            String why = reply.describe();
            Map<String, Object> results = results(List.of(step(OrchestratorTool.GET_STATUS, reply, why)));
            return new Unavailable(why, at, record(IntegrationType.EXTERNAL_MONITORING, OrchestratorTool.GET_STATUS,
                    false, at, results));
        }
        Map<String, Object> json = a.json();
        Map<String, Object> system = json.get("system_status") instanceof Map<?, ?> m ? JsonTrees.stringKeys(m) : Map.of();
        Map<String, Object> metrics = json.get("metrics") instanceof Map<?, ?> m ? JsonTrees.stringKeys(m) : Map.of();
        Optional<Boolean> serverHealthy = bool(system.get("server_healthy"));
        Optional<Boolean> maintenance = bool(system.get("maintenance_mode"));
        // the counts are in its lists; its task_summary is wrong (the contract: each count is 12, or null) and is
        // never read
        Map<String, Long> byStatus = new LinkedHashMap<>();
        boolean more = false;
        for (String list : STATUS_LISTS) {
            Optional<TaskList> counted = TaskList.of(json.get(list + "_tasks"));
            if (counted.isPresent()) {
                byStatus.put(list, counted.get().count());
                more |= counted.get().more();
            }
        }
        long total = byStatus.values().stream().mapToLong(Long::longValue).sum();
        long open = byStatus.getOrDefault("active", 0L) + byStatus.getOrDefault("pending", 0L);
        Optional<Double> responseMs = metrics.get("response_time_ms") instanceof Number n
                ? Optional.of(n.doubleValue()) : Optional.empty();
        String detail = (serverHealthy.orElse(true) ? "server healthy" : "server unhealthy")
                + (maintenance.orElse(false) ? ", in maintenance mode" : "") + ", " + open + " open of " + total
                + " task(s) listed" + (byStatus.isEmpty() ? " (it answered no task lists)" : "")
                + (more ? " (a list has more than one page: the counts are its total_count)" : "");
        Map<String, Object> results = results(List.of(step(OrchestratorTool.GET_STATUS, reply, detail)));
        Optional<String> problem = record(IntegrationType.EXTERNAL_MONITORING, OrchestratorTool.GET_STATUS,
                serverHealthy.orElse(true) && !maintenance.orElse(false), at, results);
        return new Retrieved(serverHealthy, maintenance, total, byStatus, open, responseMs, at, problem);
    }

    // ---- cleanup --------------------------------------------------------------------------------------------

    @Override
    public Cleanup cleanupAfterOptimization() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("action", "scan_cleanup");
        args.put("scope", "current_session");
        args.put("validation_level", "comprehensive");
        OrchestratorReply reply = orchestrator.call(OrchestratorTool.MAINTENANCE_COORDINATOR, args);
        Instant at = clock.instant();
        String detail;
        if (reply instanceof OrchestratorReply.Answered a) {
            Map<String, Object> summary = a.json().get("summary") instanceof Map<?, ?> m ? JsonTrees.stringKeys(m) : Map.of();
            detail = "scan_cleanup done" + (summary.get("total_tasks_scanned") instanceof Number n
                    ? ": " + n.longValue() + " task(s) scanned" : "")
                    + (summary.get("issues_found") instanceof Number n ? ", " + n.longValue() + " issue(s) found" : "");
        } else {
            detail = reply.describe();
        }
        OrchestratorStep step = step(OrchestratorTool.MAINTENANCE_COORDINATOR, reply, detail);
        Optional<String> problem = record(IntegrationType.EXTERNAL_MONITORING,
                OrchestratorTool.MAINTENANCE_COORDINATOR, step.outcome() == Outcome.ANSWERED, at,
                results(List.of(step)));
        return new Cleanup(step, at, problem);
    }

    // ---- recovery testing -----------------------------------------------------------------------------------

    @Override
    public RecoveryTest testRecovery() {
        Instant started = clock.instant();
        List<OrchestratorStep> steps = new ArrayList<>();

        Map<String, Object> prepare = new LinkedHashMap<>();
        prepare.put("check_active_tasks", true);
        prepare.put("check_database_state", true);
        prepare.put("check_client_connections", true);
        OrchestratorReply prepared = orchestrator.call(OrchestratorTool.SHUTDOWN_PREPARE, prepare);
        boolean ready = prepared instanceof OrchestratorReply.Answered a
                && Boolean.TRUE.equals(a.json().get("ready_for_shutdown"));
        steps.add(step(OrchestratorTool.SHUTDOWN_PREPARE, prepared, ready ? "ready for shutdown"
                : prepared instanceof OrchestratorReply.Answered a ? "not ready for shutdown"
                + blocking(a.json()) : prepared.describe()));

        if (prepared instanceof OrchestratorReply.NotDelivered) {
            // it is not reachable: a recovery test cannot start; recovery brings it back on its own
            String why = "not made: the orchestrator did not get shutdown_prepare";
            for (OrchestratorTool t : List.of(OrchestratorTool.RESTART_SERVER, OrchestratorTool.RESTART_STATUS,
                    OrchestratorTool.RECONNECT_TEST, OrchestratorTool.HEALTH_CHECK)) {
                steps.add(OrchestratorStep.of(t.code(), Outcome.SKIPPED, why));
            }
            Instant at = clock.instant();
            OrchestratorHealth unknown = new OrchestratorHealth.Unknown(prepared.describe(), at);
            return finish(steps, unknown, false, started, at);
        }

        if (ready) {
            Map<String, Object> restart = new LinkedHashMap<>();
            restart.put("graceful", true);
            restart.put("preserve_state", true);
            restart.put("reason", RESTART_REASON);
            OrchestratorReply restarted = orchestrator.call(OrchestratorTool.RESTART_SERVER, restart);
            steps.add(step(OrchestratorTool.RESTART_SERVER, restarted, restarted instanceof OrchestratorReply.Answered a
                    ? "restart requested (" + RESTART_REASON + ")" + field(a.json(), "phase", "phase")
                    : restarted.describe()));
        } else {
            steps.add(OrchestratorStep.of(OrchestratorTool.RESTART_SERVER.code(), Outcome.SKIPPED,
                    "not made: shutdown_prepare did not say it was ready for shutdown"));
        }

        Map<String, Object> statusArgs = new LinkedHashMap<>();
        statusArgs.put("include_history", false);
        statusArgs.put("include_error_details", true);
        OrchestratorReply status = orchestrator.call(OrchestratorTool.RESTART_STATUS, statusArgs);
        steps.add(step(OrchestratorTool.RESTART_STATUS, status, status instanceof OrchestratorReply.Answered a
                ? restartStatus(a.json()) : status.describe()));

        Map<String, Object> reconnectArgs = new LinkedHashMap<>();
        reconnectArgs.put("include_buffer_status", true);
        reconnectArgs.put("include_reconnection_stats", true);
        OrchestratorReply reconnect = orchestrator.call(OrchestratorTool.RECONNECT_TEST, reconnectArgs);
        steps.add(step(OrchestratorTool.RECONNECT_TEST, reconnect, reconnect instanceof OrchestratorReply.Answered a
                ? "reconnect test" + field(a.json(), "overall_status", "overall status") : reconnect.describe()));

        HealthStep after = health();
        steps.add(after.step);
        OrchestratorHealth health = after.health;
        boolean healed = false;
        if (health instanceof OrchestratorHealth.Reported r && !r.healthy()) {
            // the contract's quirk: a failed restart leaves it in maintenance mode until its PROCESS restarts
            Heal heal = restartProcess();
            steps.add(heal.step);
            if (heal.step.outcome() == Outcome.RESTARTED) {
                HealthStep again = health();
                steps.add(again.step);
                health = again.health;
                healed = heal.processRestarted && health.healthy();
            }
        }
        return finish(steps, health, healed, started, clock.instant());
    }

    /** The process restart step, and whether it restarted a process (a stdio server) rather than reconnected. */
    private record Heal(OrchestratorStep step, boolean processRestarted) {
    }

    private Heal restartProcess() {
        ServerId server = orchestrator.server();
        String tool = OrchestratorStep.PROCESS_RESTART;
        ManualRecovery.NowOrLater done;
        try {
            done = recovery.attemptUnlessRecovering(server);
        } catch (RuntimeException e) {
            return new Heal(OrchestratorStep.of(tool, Outcome.RESTART_FAILED, "the restart of " + server.value()
                    + " failed inside MCP Health: " + Faults.describe(e)), false);
        }
        if (done.leftTo().isPresent()) {
            return new Heal(OrchestratorStep.of(tool, Outcome.SKIPPED, "not made: recovery is already bringing "
                    + server.value() + " back (attempt " + (done.leftTo().get().attempts() + 1) + " due at "
                    + done.leftTo().get().nextAttemptAt() + ")"), false);
        }
        for (MonitorEvent e : done.raised()) {
            if (e instanceof MonitorEvent.RecoverySucceeded s) {
                boolean process = s.action() == RecoveryAction.RESTART;
                return new Heal(OrchestratorStep.of(tool, Outcome.RESTARTED, (process
                        ? "MCP Health restarted the process of " + server.value()
                        : "MCP Health reconnected to " + server.value() + " (it did not start it, so it could not "
                        + "restart its process)") + " in " + s.resolution().toMillis() + " ms"), process);
            }
            if (e instanceof MonitorEvent.RecoveryFailed f) {
                return new Heal(OrchestratorStep.of(tool, Outcome.RESTART_FAILED, "the restart of " + server.value()
                        + " failed (" + f.failure().type().code() + "): " + f.failure().message()), false);
            }
        }
        return new Heal(OrchestratorStep.of(tool, Outcome.SKIPPED, "not made: a restart of " + server.value()
                + " is already running"), false);
    }

    private RecoveryTest finish(List<OrchestratorStep> steps, OrchestratorHealth health, boolean healed,
                                Instant started, Instant finished) {
        Map<String, Object> results = results(steps);
        results.put("restart_reason", RESTART_REASON);
        results.put("healthy", health.healthy());
        results.put("healed_by_process_restart", healed);
        Optional<String> problem = record(IntegrationType.RECOVERY_TESTING, OrchestratorTool.RESTART_SERVER,
                health.healthy(), finished, results);
        return new RecoveryTest(steps, health, healed, started, finished, problem);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private Optional<String> record(IntegrationType type, OrchestratorTool tool, boolean worked, Instant at,
                                    Map<String, Object> results) {
        try {
            log.record(new OrchestratorIntegrationLogPort.Entry(type, tool,
                    worked ? IntegrationStatus.ACTIVE : IntegrationStatus.FAILED, at, results));
            return Optional.empty();
        } catch (StorageUnavailableException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** {@code validation_results}: the steps as JSON ({@code tool}, {@code outcome}, {@code detail}, {@code answer}). */
    private static Map<String, Object> results(List<OrchestratorStep> steps) {
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

    private static OrchestratorStep step(OrchestratorTool tool, OrchestratorReply reply, String detail) {
        if (reply instanceof OrchestratorReply.Answered a) {
            return new OrchestratorStep(tool.code(), Outcome.ANSWERED, detail, a.json());
        }
        if (reply instanceof OrchestratorReply.DoneDespiteError) {
            return OrchestratorStep.of(tool.code(), Outcome.DONE_DESPITE_ERROR, detail);
        }
        if (reply instanceof OrchestratorReply.Refused) {
            return OrchestratorStep.of(tool.code(), Outcome.REFUSED, detail);
        }
        if (reply instanceof OrchestratorReply.NotDelivered) {
            return OrchestratorStep.of(tool.code(), Outcome.NOT_DELIVERED, detail);
        }
        if (reply instanceof OrchestratorReply.Unconfirmed) {
            return OrchestratorStep.of(tool.code(), Outcome.UNCONFIRMED, detail);
        }
        throw new IllegalArgumentException("unknown reply " + reply);
    }

    private static String blocking(Map<String, Object> json) {
        if (json.get("blocking_issues") instanceof List<?> issues && !issues.isEmpty()) {
            List<String> text = issues.stream().filter(Objects::nonNull).map(String::valueOf).toList();
            return ": " + String.join("; ", text);
        }
        return "";
    }

    private static String restartStatus(Map<String, Object> json) {
        if (!(json.get("current_status") instanceof Map<?, ?> current)) {
            return "restart status answered without current_status";
        }
        Map<String, Object> c = JsonTrees.stringKeys(current);
        StringBuilder s = new StringBuilder("restart");
        s.append(field(c, "phase", "phase"));
        if (c.get("progress") instanceof Number p) {
            s.append(", progress ").append(p);
        }
        if (Boolean.TRUE.equals(c.get("maintenance_mode"))) {
            s.append(", in maintenance mode");
        }
        if (c.get("errors") instanceof List<?> errors && !errors.isEmpty()) {
            s.append(", errors: ").append(String.join("; ", errors.stream().filter(Objects::nonNull)
                    .map(String::valueOf).toList()));
        }
        return s.toString();
    }

    /** {@code " <label> <value>"} for a scalar field, or nothing. */
    private static String field(Map<String, Object> json, String key, String label) {
        Object v = json.get(key);
        return v instanceof String || v instanceof Number || v instanceof Boolean ? " " + label + " " + v : "";
    }

    private static Optional<Boolean> bool(Object v) {
        return v instanceof Boolean b ? Optional.of(b) : Optional.empty();
    }
}
