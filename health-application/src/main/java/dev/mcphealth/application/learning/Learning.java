package dev.mcphealth.application.learning;

import dev.mcphealth.domain.learning.AnomalyWatch;
import dev.mcphealth.domain.learning.DemandTrend;
import dev.mcphealth.domain.learning.UsageProfile;
import java.util.Optional;

/**
 * One profile of {@link LearnUsageService}, the last minute (epoch-minute index) it learned, its minutes watched
 * against it (a figure in an anomaly under an hour old is not learned: {@link AnomalyWatch#quarantined}), and, for a
 * server type's own profile, its demand trend. Guarded by the service.
 */
final class Learning {
    final UsageMinutes.Key key;
    final UsageProfile profile;
    final AnomalyWatch watch = new AnomalyWatch();
    /** A type's profile's demand trend; empty for a tool's. */
    final Optional<DemandTrend> trend;
    long lastMinute;
    boolean dirty;

    /** @param trend what was kept of the type's trend (a tool's is ignored: only types measure one) */
    Learning(UsageMinutes.Key key, UsageProfile profile, long lastMinute, Optional<DemandTrend.State> trend) {
        this.key = key;
        this.profile = profile;
        this.lastMinute = lastMinute;
        this.trend = key.tool().isEmpty() ? Optional.of(trend.map(DemandTrend::restore).orElseGet(DemandTrend::new))
                : Optional.empty();
    }
}
