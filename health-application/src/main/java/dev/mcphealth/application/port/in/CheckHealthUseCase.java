package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.ServerId;
import java.util.Objects;
import java.util.Set;

/** Check the health of configured servers once, now, and record what was seen. */
@FunctionalInterface
public interface CheckHealthUseCase {

    /**
     * @throws UnknownServerException if a named server is not configured
     */
    HealthReport check(Query query);

    /** {@code servers} empty means every configured server. */
    record Query(Set<ServerId> servers, CheckDepth depth) {
        public Query {
            servers = Set.copyOf(Objects.requireNonNull(servers, "servers"));
            Objects.requireNonNull(depth, "depth");
        }

        public static Query all(CheckDepth depth) {
            return new Query(Set.of(), depth);
        }
    }
}
