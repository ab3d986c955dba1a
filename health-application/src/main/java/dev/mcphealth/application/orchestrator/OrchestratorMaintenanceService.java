package dev.mcphealth.application.orchestrator;

import static dev.mcphealth.application.orchestrator.OrchestratorSteps.step;
import static dev.mcphealth.application.orchestrator.OrchestratorSteps.results;
import static dev.mcphealth.application.orchestrator.OrchestratorSteps.health;
import static dev.mcphealth.application.orchestrator.OrchestratorSteps.record;

import dev.mcphealth.application.recovery.ManualRecovery;
import dev.mcphealth.domain.model.Faults;

import dev.mcphealth.application.port.in.CleanUpOrchestratorUseCase;
import dev.mcphealth.application.port.in.OrchestratorStep;
import dev.mcphealth.application.port.in.OrchestratorStep.Outcome;
import dev.mcphealth.application.port.in.TestOrchestratorRecoveryUseCase;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort.IntegrationType;
import dev.mcphealth.application.port.out.OrchestratorPort;
import dev.mcphealth.application.port.out.OrchestratorRequest;
import dev.mcphealth.application.port.out.OrchestratorTool;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.orchestrator.OrchestratorAnswer;
import dev.mcphealth.domain.orchestrator.OrchestratorHealth;
import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import dev.mcphealth.domain.model.RecoveryAction;
import dev.mcphealth.domain.model.ServerId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * MCP Health maintaining the MCP Task Orchestrator (../shared/reference/orchestrator-contract.md): the cleanup after
 * an optimization (an external_monitoring row), and recovery testing (recovery_testing, with restart_server as its
 * tool) that heals the contract's known failure (a restart request leaving it in maintenance mode) by restarting its
 * process. Each records one orchestrator_health_integration row; the orchestrator failing is a value, never an
 * exception.
 */
public final class OrchestratorMaintenanceService implements CleanUpOrchestratorUseCase,
        TestOrchestratorRecoveryUseCase {

    /**
     * The restart_server reason sent by the recovery test. The contract's enum is configuration_update,
     * schema_migration, error_recovery, manual_request and emergency_shutdown (the design's "failover_testing" is
     * refused by the orchestrator's input validation): a test asked for by an operator is a manual request; it recovers
     * from no error (error_recovery would book a test as an incident) and changes no configuration or schema.
     */
    public static final String RESTART_REASON = "manual_request";

    private final OrchestratorPort orchestrator;
    private final OrchestratorIntegrationLogPort log;
    private final Clock clock;
    private final ManualRecovery recovery;

    public OrchestratorMaintenanceService(OrchestratorPort orchestrator, ManualRecovery recovery,
                                          OrchestratorIntegrationLogPort log, Clock clock) {
        this.orchestrator = Objects.requireNonNull(orchestrator);
        this.recovery = Objects.requireNonNull(recovery);
        this.log = Objects.requireNonNull(log);
        this.clock = Objects.requireNonNull(clock);
    }

    // ---- cleanup --------------------------------------------------------------------------------------------

    @Override
    public Cleanup cleanupAfterOptimization() {
        OrchestratorReply reply = orchestrator.call(new OrchestratorRequest.ScanCleanup());
        Instant at = clock.instant();
        String detail;
        if (reply instanceof OrchestratorReply.Answered a) {
            detail = "scan_cleanup done" + (a.answer() instanceof OrchestratorAnswer.CleanupReport c
                    ? (c.scanned().isPresent() ? ": " + c.scanned().getAsLong() + " task(s) scanned" : "")
                    + (c.issuesFound().isPresent() ? ", " + c.issuesFound().getAsLong() + " issue(s) found" : "")
                    : "");
        } else {
            detail = reply.describe();
        }
        OrchestratorStep step = step(OrchestratorTool.MAINTENANCE_COORDINATOR, reply, detail);
        Optional<String> problem = record(log, IntegrationType.EXTERNAL_MONITORING,
                OrchestratorTool.MAINTENANCE_COORDINATOR, step.outcome() == Outcome.ANSWERED, at,
                results(List.of(step)));
        return new Cleanup(step, at, problem);
    }

    // ---- recovery testing -----------------------------------------------------------------------------------

    @Override
    public RecoveryTest testRecovery() {
        Instant started = clock.instant();
        List<OrchestratorStep> steps = new ArrayList<>();

        OrchestratorReply prepared = orchestrator.call(new OrchestratorRequest.ShutdownPrepare());
        Optional<OrchestratorAnswer.ShutdownReadiness> readiness = prepared instanceof OrchestratorReply.Answered a
                ? Optional.of(a.answer() instanceof OrchestratorAnswer.ShutdownReadiness r ? r
                : new OrchestratorAnswer.ShutdownReadiness(false, List.of())) : Optional.empty();
        boolean ready = readiness.isPresent() && readiness.get().ready();
        steps.add(step(OrchestratorTool.SHUTDOWN_PREPARE, prepared, ready ? "ready for shutdown"
                : readiness.map(r -> "not ready for shutdown" + (r.blocking().isEmpty() ? ""
                : ": " + String.join("; ", r.blocking()))).orElseGet(prepared::describe)));

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
            OrchestratorReply restarted = orchestrator.call(new OrchestratorRequest.RestartServer(RESTART_REASON));
            steps.add(step(OrchestratorTool.RESTART_SERVER, restarted, restarted instanceof OrchestratorReply.Answered a
                    ? "restart requested (" + RESTART_REASON + ")" + (a.answer()
                    instanceof OrchestratorAnswer.RestartRequested r ? field(r.phase(), "phase") : "")
                    : restarted.describe()));
        } else {
            steps.add(OrchestratorStep.of(OrchestratorTool.RESTART_SERVER.code(), Outcome.SKIPPED,
                    "not made: shutdown_prepare did not say it was ready for shutdown"));
        }

        OrchestratorReply status = orchestrator.call(new OrchestratorRequest.RestartStatus());
        steps.add(step(OrchestratorTool.RESTART_STATUS, status, status instanceof OrchestratorReply.Answered a
                ? restartStatus(a.answer()) : status.describe()));

        OrchestratorReply reconnect = orchestrator.call(new OrchestratorRequest.ReconnectTest());
        steps.add(step(OrchestratorTool.RECONNECT_TEST, reconnect, reconnect instanceof OrchestratorReply.Answered a
                ? "reconnect test" + (a.answer() instanceof OrchestratorAnswer.ReconnectReport r
                ? field(r.overallStatus(), "overall status") : "") : reconnect.describe()));

        OrchestratorSteps.HealthStep after = health(orchestrator, clock);
        steps.add(after.step());
        OrchestratorHealth health = after.health();
        boolean healed = false;
        if (health instanceof OrchestratorHealth.Reported r && !r.healthy()) {
            // the contract's quirk: a failed restart leaves it in maintenance mode until its PROCESS restarts
            Heal heal = restartProcess();
            steps.add(heal.step);
            if (heal.step.outcome() == Outcome.RESTARTED) {
                OrchestratorSteps.HealthStep again = health(orchestrator, clock);
                steps.add(again.step());
                health = again.health();
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
        Optional<String> problem = record(log, IntegrationType.RECOVERY_TESTING, OrchestratorTool.RESTART_SERVER,
                health.healthy(), finished, results);
        return new RecoveryTest(steps, health, healed, started, finished, problem);
    }

    private static String restartStatus(OrchestratorAnswer answer) {
        if (!(answer instanceof OrchestratorAnswer.RestartProgress p) || p.current().isEmpty()) {
            return "restart status answered without current_status";
        }
        OrchestratorAnswer.RestartProgress.Current c = p.current().get();
        StringBuilder s = new StringBuilder("restart");
        s.append(field(c.phase(), "phase"));
        c.progress().ifPresent(progress -> s.append(", progress ").append(progress));
        if (c.maintenance()) {
            s.append(", in maintenance mode");
        }
        if (!c.errors().isEmpty()) {
            s.append(", errors: ").append(String.join("; ", c.errors()));
        }
        return s.toString();
    }

    /** {@code " <label> <value>"} for a value it answered, or nothing. */
    private static String field(Optional<String> value, String label) {
        return value.map(v -> " " + label + " " + v).orElse("");
    }
}
