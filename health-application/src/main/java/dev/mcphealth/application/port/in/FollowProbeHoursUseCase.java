package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.tuning.TuningAdvice.Setting;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Probes each server as often as the hour of its type's week asks (docs/learning.md, "Probe intervals by hour of the
 * week"; {@code health.tuning.probeHours: follow}): less often in idle hours, as configured in every other hour and at
 * once when the server is anything but healthy; and with a longer timeout in the hours whose probes are usually slow
 * ("Probe timeouts by hour of the week"; never a shorter one). The monitor calls it on each flush (every second).
 */
@FunctionalInterface
public interface FollowProbeHoursUseCase {
    /** Not following: every server keeps the interval it has. */
    FollowProbeHoursUseCase NONE = List::of;

    /** The intervals and timeouts changed now; empty when none. */
    List<Retimed> follow();

    /**
     * One server's probe interval ({@link Setting#PROBE_INTERVAL}) or probe timeout ({@link Setting#PROBE_TIMEOUT})
     * changed from {@code from} to {@code to}, and why (the hour's evidence, or that the server is not healthy).
     */
    record Retimed(ServerId server, Setting setting, Duration from, Duration to, String why) {
        public Retimed {
            Objects.requireNonNull(server, "server");
            if (setting != Setting.PROBE_INTERVAL && setting != Setting.PROBE_TIMEOUT) {
                throw new IllegalArgumentException("the probe hours change a probe's interval or timeout, not "
                        + setting);
            }
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(why, "why");
        }
    }
}
