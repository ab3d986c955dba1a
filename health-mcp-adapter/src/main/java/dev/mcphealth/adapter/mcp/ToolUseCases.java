package dev.mcphealth.adapter.mcp;

import dev.mcphealth.application.port.in.AdviseTuningUseCase;
import dev.mcphealth.application.port.in.AnalyzeFailuresUseCase;
import dev.mcphealth.application.port.in.ApplyTuningUseCase;
import dev.mcphealth.application.port.in.AssessHealthUseCase;
import dev.mcphealth.application.port.in.CheckOrchestratorUseCase;
import dev.mcphealth.application.port.in.CleanUpOrchestratorUseCase;
import dev.mcphealth.application.port.in.ReadOrchestratorStatusUseCase;
import dev.mcphealth.application.port.in.TestOrchestratorRecoveryUseCase;
import dev.mcphealth.application.port.in.CoordinateFailoverUseCase;
import dev.mcphealth.application.port.in.ObserveMonitoringUseCase;
import dev.mcphealth.application.port.in.PrepareShutdownUseCase;
import dev.mcphealth.application.port.in.ReadFailuresUseCase;
import dev.mcphealth.application.port.in.ReadHistoryUseCase;
import dev.mcphealth.application.port.in.ReadRecoveryStatusUseCase;
import dev.mcphealth.application.port.in.ReadTrialsUseCase;
import dev.mcphealth.application.port.in.RecoverServerUseCase;
import dev.mcphealth.application.port.in.RunAsTaskUseCase;
import dev.mcphealth.application.port.in.StressTestUseCase;
import java.util.List;
import java.util.Objects;

/**
 * What the five tools run on: the use cases, and the configured server names and types (spelled out as enums in the
 * input schemas, so a client sees the legal values and a typo is caught before anything runs); in gateway mode, the
 * upstream servers' tools too ({@link Gateway}).
 */
public record ToolUseCases(AssessHealthUseCase assess, StressTestUseCase stress, ObserveMonitoringUseCase monitor,
                           AnalyzeFailuresUseCase analyzeFailures, AdviseTuningUseCase adviseTuning,
                           ApplyTuningUseCase applyTuning, ReadTrialsUseCase trials,
                           CoordinateFailoverUseCase coordinator, ReadHistoryUseCase history,
                           ReadFailuresUseCase failures, ReadRecoveryStatusUseCase recoveryStatus,
                           RecoverServerUseCase recoverServer, PrepareShutdownUseCase prepareShutdown,
                           RunAsTaskUseCase runAsTask, Orchestrator orchestrator,
                           List<String> serverNames, List<String> serverTypes, java.util.Optional<Gateway> gateway,
                           dev.mcphealth.application.port.in.ReadClusterUseCase cluster) {

    /** Without gateway mode: the five tools only. */
    public ToolUseCases(AssessHealthUseCase assess, StressTestUseCase stress, ObserveMonitoringUseCase monitor,
                        AnalyzeFailuresUseCase analyzeFailures, AdviseTuningUseCase adviseTuning,
                        ApplyTuningUseCase applyTuning, ReadTrialsUseCase trials,
                        CoordinateFailoverUseCase coordinator, ReadHistoryUseCase history, ReadFailuresUseCase failures,
                        ReadRecoveryStatusUseCase recoveryStatus, RecoverServerUseCase recoverServer,
                        PrepareShutdownUseCase prepareShutdown, RunAsTaskUseCase runAsTask, Orchestrator orchestrator,
                        List<String> serverNames, List<String> serverTypes) {
        this(assess, stress, monitor, analyzeFailures, adviseTuning, applyTuning, trials, coordinator, history, failures,
                recoveryStatus, recoverServer, prepareShutdown, runAsTask, orchestrator, serverNames, serverTypes,
                java.util.Optional.empty(), java.util.Optional::empty);
    }

    public ToolUseCases {
        Objects.requireNonNull(assess, "assess");
        Objects.requireNonNull(stress, "stress");
        Objects.requireNonNull(monitor, "monitor");
        Objects.requireNonNull(analyzeFailures, "analyzeFailures");
        Objects.requireNonNull(adviseTuning, "adviseTuning");
        Objects.requireNonNull(applyTuning, "applyTuning");
        Objects.requireNonNull(trials, "trials");
        Objects.requireNonNull(coordinator, "coordinator");
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(failures, "failures");
        Objects.requireNonNull(recoveryStatus, "recoveryStatus");
        Objects.requireNonNull(recoverServer, "recoverServer");
        Objects.requireNonNull(prepareShutdown, "prepareShutdown");
        Objects.requireNonNull(runAsTask, "runAsTask");
        Objects.requireNonNull(orchestrator, "orchestrator");
        serverNames = List.copyOf(serverNames);
        serverTypes = List.copyOf(serverTypes);
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(cluster, "cluster");
        if (serverNames.isEmpty() || serverTypes.isEmpty()) {
            throw new IllegalArgumentException("there must be at least one server");
        }
    }

    /** The orchestrator's own workflows, each empty without {@code health.orchestrator}; {@code server} its name. */
    public record Orchestrator(java.util.Optional<String> server,
                               java.util.Optional<CheckOrchestratorUseCase> check,
                               java.util.Optional<ReadOrchestratorStatusUseCase> status,
                               java.util.Optional<CleanUpOrchestratorUseCase> cleanup,
                               java.util.Optional<TestOrchestratorRecoveryUseCase> recoveryTest) {
        public static final Orchestrator NONE = new Orchestrator(java.util.Optional.empty(), java.util.Optional.empty(),
                java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty());

        public Orchestrator {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(check, "check");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(cleanup, "cleanup");
            Objects.requireNonNull(recoveryTest, "recoveryTest");
        }
    }

    /** The five tools, in the design's order. */
    List<HealthTool> tools() {
        return List.of(
                new OrchestratedTool(new IntegrationMonitorTool(assess, stress, monitor, analyzeFailures, adviseTuning,
                        orchestrator.check(), gateway.flatMap(Gateway::report), trials, serverTypes), runAsTask, a -> new OrchestratedTool.TaskSpec(
                        "Health Monitoring: " + a.textOr("action", ""),
                        "Execute " + a.textOr("action", "") + " health monitoring with orchestrator integration",
                        RunAsTaskUseCase.Complexity.MODERATE)),
                new OrchestratedTool(new FailoverCoordinatorTool(coordinator, serverTypes), runAsTask,
                        a -> new OrchestratedTool.TaskSpec("Failover Coordination: " + a.textOr("server_type", ""),
                                "Execute failover for " + a.textOr("server_type", "") + " due to "
                                        + a.textOr("failure_type", ""), RunAsTaskUseCase.Complexity.COMPLEX)),
                new OrchestratedTool(new PerformanceOptimizerTool(adviseTuning, applyTuning, trials, orchestrator.cleanup(),
                        gateway.flatMap(Gateway::report), serverTypes), runAsTask,
                        a -> new OrchestratedTool.TaskSpec("Performance Optimization: "
                                + a.textOr("optimization_target", ""), "Optimize " + a.textOr("optimization_target", "")
                                + " performance across server integrations", RunAsTaskUseCase.Complexity.MODERATE)),
                new HealthDashboardsTool(monitor, history, failures, analyzeFailures, orchestrator.status(),
                        gateway.map(Gateway::stats), gateway.map(Gateway::usage), cluster, serverTypes),
                new RecoverySystemTool(recoveryStatus, recoverServer, prepareShutdown, orchestrator.server(),
                        orchestrator.recoveryTest(), serverNames));
    }
}
