package dev.mcphealth.adapter.cli.di;

import dev.mcphealth.application.port.in.CallToolUseCase;
import dev.mcphealth.application.port.in.CoordinateFailoverUseCase;
import dev.mcphealth.domain.model.FailoverConfig;
import dev.mcphealth.domain.model.ServerType;
import java.util.LinkedHashMap;
import dev.mcphealth.adapter.cli.UsageProblem;
import dev.mcphealth.adapter.cli.WatchSession;
import dev.mcphealth.adapter.cli.WatchSessions;
import dev.mcphealth.application.port.in.FlushReport;
import dev.mcphealth.application.port.in.ObserveMonitoringUseCase;
import dev.mcphealth.application.port.out.MonitorEventPort;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.application.service.MonitoringSettings;
import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.infrastructure.config.AlertTargets;
import dev.mcphealth.infrastructure.config.ConfigException;
import dev.mcphealth.infrastructure.di.DatabaseLocation;
import dev.mcphealth.infrastructure.di.RunSettings;
import dev.mcphealth.infrastructure.events.Delivery;
import dev.mcphealth.infrastructure.events.EventFanout;
import dev.mcphealth.infrastructure.events.EventSink;
import dev.mcphealth.infrastructure.events.EventSinkException;
import dev.mcphealth.infrastructure.events.JsonLinesEventSink;
import dev.mcphealth.infrastructure.events.WebhookEventSink;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Builds a watch: the component for the configuration and database, and the event sinks (the command's own output,
 * then health.alerts' file and webhook), each isolated behind the fan-out.
 */
final class ComponentWatchSessions implements WatchSessions {
    private final Map<String, String> env;
    private final String userHome;
    private final Clock clock;

    ComponentWatchSessions(Map<String, String> env, String userHome, Clock clock) {
        this.env = env;
        this.userHome = userHome;
        this.clock = clock;
    }

    /** Forwards to the fan-out once the configuration has said which sinks there are. */
    private static final class Forwarding implements MonitorEventPort {
        private volatile MonitorEventPort target = e -> { };

        @Override
        public void publish(MonitorEvent event) {
            target.publish(event);
        }
    }

    /** The command's listener as a sink: it prints, which does not fail. */
    private record ListenerSink(Consumer<MonitorEvent> listener) implements EventSink {
        @Override
        public String name() {
            return "watch output";
        }

        @Override
        public Delivery deliver(MonitorEvent event) {
            listener.accept(event);
            return Delivery.delivered();
        }
    }

    @Override
    public WatchSession open(Path config, Optional<Path> database, Optional<Duration> interval, CheckDepth depth,
                             Optional<PrintWriter> jsonEvents, Consumer<MonitorEvent> listener) {
        Path db = DatabaseLocation.resolve(database, env, userHome);
        MonitoringSettings settings = MonitoringSettings.defaults().withDepth(depth);
        if (interval.isPresent()) {
            settings = settings.withInterval(interval.get());
        }
        Forwarding events = new Forwarding();
        WatchComponent component = DaggerWatchComponent.factory().create(new RunSettings(config, db), settings, events);
        EventFanout fanout;
        try {
            if (component.config().all().isEmpty()) {
                throw new UsageProblem(config + ": no enabled server to watch", null);
            }
            if (component.config().all().containsKey(ServerId.of("mcp-health"))) {
                throw new UsageProblem(config + ": the server name mcp-health is taken by the watch's own row"
                        + " in status and history; give this server another name to watch it", null);
            }
            component.database();
            component.failoverConfigs().save(failoverConfigs(component));
            fanout = new EventFanout(sinks(component.config().alerts(), jsonEvents, listener), clock);
        } catch (ConfigException | StorageUnavailableException | EventSinkException e) {
            throw new UsageProblem(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            // the webhook sink refuses a header it cannot send (Host, Connection...); its message names no value
            throw new UsageProblem(config + ": $.health.alerts.webhook: " + e.getMessage(), e);
        }
        events.target = fanout;
        return new WatchSession() {
            private boolean stopped;

            @Override
            public void start() {
                component.scheduler().start();
                component.recoveryScheduler().start();
            }

            @Override
            public CallToolUseCase client() {
                return component.client();
            }

            @Override
            public CoordinateFailoverUseCase coordinator() {
                return component.coordinator();
            }

            @Override
            public void probeAll() {
                component.rounds().run();
            }

            @Override
            public ObserveMonitoringUseCase monitor() {
                return component.monitor();
            }

            @Override
            public FlushReport stop(Duration grace) {
                stopped = true;
                component.recoveryScheduler().stop(grace);
                FlushReport last = component.scheduler().stop(grace);
                fanout.close(EventFanout.DEFAULT_CLOSE_DEADLINE);
                return last;
            }

            @Override
            public String database() {
                return component.database().file().toString();
            }

            @Override
            public void close() {
                try {
                    if (!stopped) {
                        stop(Duration.ofSeconds(5));
                    }
                } finally {
                    try {
                        component.probe().close();
                    } finally {
                        component.database().close();
                    }
                }
            }
        };
    }

    /** One failover configuration per primary server type (its first instance's), as failover_configurations holds. */
    private static List<FailoverConfig> failoverConfigs(WatchComponent component) {
        Map<ServerType, FailoverConfig> byType = new LinkedHashMap<>();
        component.config().servers().forEach(s -> byType.putIfAbsent(s.type(), s.failover()));
        return List.copyOf(byType.values());
    }

    private static List<EventSink> sinks(AlertTargets alerts, Optional<PrintWriter> json,
                                         Consumer<MonitorEvent> listener) {
        List<EventSink> sinks = new ArrayList<>();
        json.ifPresent(out -> sinks.add(JsonLinesEventSink.to(out, "stdout")));
        sinks.add(new ListenerSink(listener));
        alerts.file().ifPresent(f -> sinks.add(JsonLinesEventSink.appendingTo(f)));
        alerts.webhook().ifPresent(w -> sinks.add(new WebhookEventSink(w.url(), w.headers())));
        return sinks;
    }
}
