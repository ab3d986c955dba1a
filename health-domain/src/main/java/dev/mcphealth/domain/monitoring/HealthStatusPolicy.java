package dev.mcphealth.domain.monitoring;

import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.ProbeOutcome;
import dev.mcphealth.domain.model.Thresholds;

/**
 * Turns one probe outcome into a status. Pure: the same outcome and thresholds always give the same status.
 * <ul>
 *   <li>answered faster than the warning latency: healthy; at or past it: warning; at or past the critical latency:
 *       critical;</li>
 *   <li>could not connect, or the process is gone: offline (nothing is there to answer);</li>
 *   <li>throttled (429): warning, because the server is up and answering, only asking us to slow down;</li>
 *   <li>timed out, refused our credentials, or answered with an error: critical (something is there, but it does not
 *       serve).</li>
 * </ul>
 */
public final class HealthStatusPolicy {
    private HealthStatusPolicy() {
    }

    public static HealthStatus classify(ProbeOutcome outcome, Thresholds thresholds) {
        if (outcome instanceof ProbeOutcome.Answered answered) {
            if (answered.responseTime().compareTo(thresholds.responseTimeCritical()) >= 0) {
                return HealthStatus.CRITICAL;
            }
            if (answered.responseTime().compareTo(thresholds.responseTimeWarning()) >= 0) {
                return HealthStatus.WARNING;
            }
            return HealthStatus.HEALTHY;
        }
        if (outcome instanceof ProbeOutcome.Failed failed) {
            return statusOf(failed.type());
        }
        throw new IllegalStateException("unknown outcome " + outcome);
    }

    static HealthStatus statusOf(FailureType type) {
        switch (type) {
            case CONNECTION_ERROR:
                return HealthStatus.OFFLINE;
            case RATE_LIMIT:
                return HealthStatus.WARNING;
            case TIMEOUT:
            case AUTHENTICATION:
            case SERVER_ERROR:
                return HealthStatus.CRITICAL;
            default:
                throw new IllegalStateException("unknown failure type " + type);
        }
    }
}
