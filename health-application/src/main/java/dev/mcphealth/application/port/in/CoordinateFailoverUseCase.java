package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.model.Coded;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.RecoveryAction;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Runs the failover coordinator by hand for one server type (CLI {@code failover}, the MCP tool). */
@FunctionalInterface
public interface CoordinateFailoverUseCase {

    Report coordinate(Command command);

    /**
     * {@code link}: the orchestrator session and task the run goes as ({@link RunAsTaskUseCase}). With a task, a run
     * that acts (a restart or reconnect attempt made, or calls moved) stores the task on the type's failover
     * configuration ({@code orchestrator_failover_task_id}), and each failure episode its attempts handle carries it
     * as its recovery task ({@code orchestrator_recovery_task_id}).
     */
    record Command(ServerType serverType, FailureType failureType, Strategy strategy,
                   Optional<RunAsTaskUseCase.Context> link) {
        public Command {
            Objects.requireNonNull(serverType, "serverType");
            Objects.requireNonNull(failureType, "failureType");
            Objects.requireNonNull(strategy, "strategy");
            Objects.requireNonNull(link, "link");
        }

        /** A run not linked to an orchestrator task. */
        public Command(ServerType serverType, FailureType failureType, Strategy strategy) {
            this(serverType, failureType, strategy, Optional.empty());
        }
    }

    enum Strategy implements Coded {
        /** Restart (stdio) or reconnect (HTTP) the instances that are down; fail over when that does not help. */
        AUTO("auto"),
        RESTART("restart"),
        RECONNECT("reconnect"),
        /** Move calls to another healthy instance or the fallback type. */
        FAILOVER("failover"),
        /** Do nothing; report what a person could do. */
        MANUAL("manual");

        private final String code;

        Strategy(String code) {
            this.code = code;
        }

        @Override
        public String code() {
            return code;
        }

        public static Strategy fromCode(String code) {
            return Coded.parse(Strategy.class, code, "strategy");
        }
    }

    /** What was done to one instance, and how it went. */
    record Step(ServerId server, RecoveryAction action, boolean succeeded, String detail, Duration took) {
    }

    /** {@code servingNow}: the instance calls go to after the run, if any can serve. */
    record Report(ServerType serverType, Strategy strategy, List<Step> steps, Optional<ServerId> servingNow,
                  String summary) {
        public Report {
            steps = List.copyOf(steps);
        }
    }
}
