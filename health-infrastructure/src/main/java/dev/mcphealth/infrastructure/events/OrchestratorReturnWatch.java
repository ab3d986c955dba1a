package dev.mcphealth.infrastructure.events;

import dev.mcphealth.domain.model.Faults;
import dev.mcphealth.application.port.out.MonitorEventPort;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.ServerId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's events on their way to {@code next}, watched for the MCP Task Orchestrator coming back: its server's
 * monitored status turning {@link HealthStatus#HEALTHY healthy}, or a recovery of it succeeding. Then the actions
 * registered with {@link #onReturn} run: the outbox's delivery loop is woken, so calls waiting for the orchestrator go
 * out at once instead of at the loop's next look. Every event is passed on unchanged, whatever the actions do; with no
 * orchestrator configured, that is all it does.
 *
 * <p>It is called on the probe path, like any {@link MonitorEventPort}: the actions must return at once, and one that
 * throws is logged and does not keep the others from running.
 */
public final class OrchestratorReturnWatch implements MonitorEventPort {
    private static final Logger LOG = LoggerFactory.getLogger(OrchestratorReturnWatch.class);

    private final Optional<ServerId> orchestrator;
    private final MonitorEventPort next;
    private final List<Runnable> onReturn = new CopyOnWriteArrayList<>();

    public OrchestratorReturnWatch(Optional<ServerId> orchestrator, MonitorEventPort next) {
        this.orchestrator = Objects.requireNonNull(orchestrator, "orchestrator");
        this.next = Objects.requireNonNull(next, "next");
    }

    /** Runs {@code action} each time the orchestrator is back, on the thread that publishes the event. */
    public void onReturn(Runnable action) {
        onReturn.add(Objects.requireNonNull(action, "action"));
    }

    @Override
    public void publish(MonitorEvent event) {
        try {
            next.publish(event);
        } finally {
            if (isReturn(event)) {
                for (Runnable action : onReturn) {
                    try {
                        action.run();
                    } catch (RuntimeException e) {
                        LOG.warn("an action on the orchestrator's return failed: {}", Faults.describe(e));
                    }
                }
            }
        }
    }

    /** Whether {@code event} says the orchestrator is back: its status turned healthy, or it was recovered. */
    public boolean isReturn(MonitorEvent event) {
        if (orchestrator.isEmpty() || !orchestrator.get().equals(event.server())) {
            return false;
        }
        if (event instanceof MonitorEvent.StatusChanged changed) {
            return changed.to() == HealthStatus.HEALTHY;
        }
        return event instanceof MonitorEvent.RecoverySucceeded;
    }
}
