package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.model.ServerId;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Probes each server as often as the hour of its type's week asks (docs/learning.md, "Probe intervals by hour of the
 * week"; {@code health.tuning.probeHours: follow}): less often in idle hours, as configured in every other hour and at
 * once when the server is anything but healthy. The monitor calls it on each flush (every second).
 */
@FunctionalInterface
public interface FollowProbeHoursUseCase {
    /** Not following: every server keeps the interval it has. */
    FollowProbeHoursUseCase NONE = List::of;

    /** The intervals changed now; empty when none. */
    List<Retimed> follow();

    /**
     * One server's probe interval changed from {@code from} to {@code to}, and why (the hour's evidence, or that the
     * server is not healthy).
     */
    record Retimed(ServerId server, Duration from, Duration to, String why) {
        public Retimed {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(why, "why");
        }
    }
}
