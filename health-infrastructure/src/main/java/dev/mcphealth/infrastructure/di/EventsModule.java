package dev.mcphealth.infrastructure.di;

import dagger.Module;
import dagger.Provides;
import dev.mcphealth.application.port.out.MonitorEventPort;
import dev.mcphealth.infrastructure.config.AlertTargets;
import dev.mcphealth.infrastructure.config.ConfigException;
import dev.mcphealth.infrastructure.config.HealthConfig;
import dev.mcphealth.infrastructure.events.EventFanout;
import dev.mcphealth.infrastructure.events.EventSink;
import dev.mcphealth.infrastructure.events.EventSinkException;
import dev.mcphealth.infrastructure.events.JsonLinesEventSink;
import dev.mcphealth.infrastructure.events.WebhookEventSink;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import jakarta.inject.Singleton;

/**
 * Where a monitor's events go, built in this one place for every way of running one ({@code watch}, {@code call},
 * {@code failover}, {@code bin/mcp-health-server}, an application embedding {@link McpHealth}): the sinks its caller
 * gives (stdout, MCP notifications, listeners), then the configuration's {@code health.alerts} file and webhook, each
 * on its own thread behind one {@link EventFanout}.
 */
@Module
public final class EventsModule {
    private EventsModule() {
    }

    /**
     * @throws ConfigException if the alerts file cannot be opened or a webhook header cannot be sent
     */
    @Provides
    @Singleton
    static EventFanout fanout(List<EventSink> given, HealthConfig config, RunSettings run, Clock clock,
                              dev.mcphealth.infrastructure.metrics.RecoveryMetrics metrics) {
        List<EventSink> all = new ArrayList<>(List.of(metrics)); // recovery's figures in /metrics (its own thread)
        all.addAll(sinks(given, config.alerts(), run));
        return new EventFanout(all, clock);
    }

    /** What the services' events reach after the orchestrator's return watch ({@link OutboxModule}). */
    @Provides
    @EventListeners
    static MonitorEventPort listeners(EventFanout fanout) {
        return fanout;
    }

    private static List<EventSink> sinks(List<EventSink> given, AlertTargets alerts, RunSettings run) {
        List<EventSink> all = new ArrayList<>(given);
        EventSink file = null;
        try {
            if (alerts.file().isPresent()) {
                file = JsonLinesEventSink.appendingTo(alerts.file().get());
                all.add(file);
            }
        } catch (EventSinkException e) {
            throw new ConfigException(e.getMessage());
        }
        try {
            alerts.webhook().ifPresent(w -> all.add(new WebhookEventSink(w.url(), w.headers())));
        } catch (IllegalArgumentException e) {
            if (file != null) {
                file.close(); // opened above, and no fan-out will close it
            }
            // the webhook sink refuses a header it cannot send (Host, Connection...); its message names no value
            throw new ConfigException(run.configFile() + ": $.health.alerts.webhook: " + e.getMessage());
        }
        return all;
    }
}
