package dev.mcphealth.adapter.mcp;

import dev.mcphealth.domain.model.AlertSeverity;
import dev.mcphealth.domain.model.AnomalyRaised;
import dev.mcphealth.domain.model.ChangeJudged;
import dev.mcphealth.domain.model.BreakerState;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MonitorEvent;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Sends the monitor's events (status changes, alerts, recoveries, failovers, breaker changes, predictions, drift,
 * usage anomalies) to the connected clients as MCP logging notifications, each at a level that fits it and only to
 * the clients whose {@code logging/setLevel} lets it through. The data is the event as one JSON object (the {@code watch --json} line).
 */
public final class ClientNotifier {
    static final String LOGGER = "mcp-health";
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(ClientNotifier.class);

    private final LogLevels levels;
    private final BiFunction<String, McpSchema.LoggingMessageNotification, Mono<Void>> send;

    ClientNotifier(LogLevels levels, BiFunction<String, McpSchema.LoggingMessageNotification, Mono<Void>> send) {
        this.levels = levels;
        this.send = send;
    }

    /** Sends one event; {@code json} is its JSON text. Never throws; a client that cannot be reached is skipped. */
    public void publish(MonitorEvent event, String json) {
        McpSchema.LoggingLevel level = levelOf(event);
        McpSchema.LoggingMessageNotification n = new McpSchema.LoggingMessageNotification(level, LOGGER, json);
        // to every session at once, with one deadline: a stalled client delays no other and no later event long
        java.util.List<Mono<Void>> sends = new java.util.ArrayList<>();
        for (String session : levels.wanting(level)) {
            sends.add(Mono.defer(() -> send.apply(session, n)).timeout(SEND_TIMEOUT).onErrorResume(e -> {
                LOG.debug("a notification to session {} was not delivered: {}", session, e.getMessage());
                return Mono.empty();
            }));
        }
        try {
            Mono.when(sends).block(SEND_TIMEOUT.plusSeconds(1));
        } catch (RuntimeException e) {
            LOG.debug("notifications not all delivered: {}", e.getMessage());
        }
    }

    static McpSchema.LoggingLevel levelOf(MonitorEvent event) {
        if (event instanceof MonitorEvent.StatusChanged) {
            HealthStatus to = ((MonitorEvent.StatusChanged) event).to();
            if (to == HealthStatus.HEALTHY) {
                return McpSchema.LoggingLevel.NOTICE;
            }
            return to == HealthStatus.WARNING ? McpSchema.LoggingLevel.WARNING : McpSchema.LoggingLevel.ERROR;
        }
        if (event instanceof MonitorEvent.AlertRaised) {
            return ((MonitorEvent.AlertRaised) event).alert().severity() == AlertSeverity.CRITICAL
                    ? McpSchema.LoggingLevel.CRITICAL : McpSchema.LoggingLevel.WARNING;
        }
        if (event instanceof MonitorEvent.BreakerChanged) {
            BreakerState to = ((MonitorEvent.BreakerChanged) event).to();
            return to == BreakerState.OPEN ? McpSchema.LoggingLevel.WARNING
                    : to == BreakerState.CLOSED ? McpSchema.LoggingLevel.NOTICE : McpSchema.LoggingLevel.INFO;
        }
        if (event instanceof MonitorEvent.RecoveryExhausted) {
            return McpSchema.LoggingLevel.ERROR;
        }
        if (event instanceof MonitorEvent.RecoveryFailed || event instanceof MonitorEvent.PredictionRaised
                || event instanceof MonitorEvent.FailedOver || event instanceof AnomalyRaised) {
            return McpSchema.LoggingLevel.WARNING;
        }
        if (event instanceof ChangeJudged) {
            return ((ChangeJudged) event).outcome() == ChangeJudged.Outcome.ROLLED_BACK ? McpSchema.LoggingLevel.WARNING
                    : McpSchema.LoggingLevel.NOTICE;
        }
        if (event instanceof MonitorEvent.RecoveryStarted) {
            return McpSchema.LoggingLevel.INFO;
        }
        return McpSchema.LoggingLevel.NOTICE;
    }
}
