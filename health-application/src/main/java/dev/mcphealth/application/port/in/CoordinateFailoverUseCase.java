package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.model.Coded;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.RecoveryAction;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** Runs the failover coordinator by hand for one server type (CLI {@code failover}, the MCP tool). */
@FunctionalInterface
public interface CoordinateFailoverUseCase {

    Report coordinate(Command command);

    record Command(ServerType serverType, FailureType failureType, Strategy strategy) {
        public Command {
            Objects.requireNonNull(serverType, "serverType");
            Objects.requireNonNull(failureType, "failureType");
            Objects.requireNonNull(strategy, "strategy");
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
    record Report(ServerType serverType, Strategy strategy, List<Step> steps, java.util.Optional<ServerId> servingNow,
                  String summary) {
        public Report {
            steps = List.copyOf(steps);
        }
    }
}
