package dev.mcphealth.application.monitoring;

import dev.mcphealth.domain.model.BreakerState;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.routing.InstanceView;

/** What the router needs to know of one instance now, as the monitor sees it. */
public interface InstanceViews {
    /**
     * @param fallback whether the instance serves its type only as a fallback
     * @param breaker  the state of the instance's breaker now
     */
    InstanceView view(ServerId id, boolean fallback, BreakerState breaker);
}
