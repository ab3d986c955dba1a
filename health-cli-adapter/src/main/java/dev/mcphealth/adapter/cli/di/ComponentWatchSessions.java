package dev.mcphealth.adapter.cli.di;

import dev.mcphealth.application.port.in.CallToolUseCase;
import dev.mcphealth.application.port.in.CoordinateFailoverUseCase;
import dev.mcphealth.adapter.cli.UsageProblem;
import dev.mcphealth.adapter.cli.WatchSession;
import dev.mcphealth.adapter.cli.WatchSessions;
import dev.mcphealth.application.port.in.FlushReport;
import dev.mcphealth.application.port.in.ObserveMonitoringUseCase;
import dev.mcphealth.application.port.out.MonitorEventPort;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.infrastructure.config.AlertTargets;
import dev.mcphealth.infrastructure.config.ConfigException;
import dev.mcphealth.infrastructure.di.DatabaseLocation;
import dev.mcphealth.infrastructure.di.McpHealth;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a watch: the component for the configuration and database, and the event sinks (the command's own output,
 * then health.alerts' file and webhook), each isolated behind the fan-out.
 */
final class ComponentWatchSessions implements WatchSessions {
    private static final Logger LOG = LoggerFactory.getLogger(ComponentWatchSessions.class);
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
        Forwarding events = new Forwarding();
        CompletableFuture<String> lost = new CompletableFuture<>();
        AtomicBoolean heard = new AtomicBoolean();
        McpHealth.Builder builder = McpHealth.builder(config)
                .database(DatabaseLocation.resolve(database, env, userHome)).depth(depth).events(events)
                .onStoreLost(reason -> {
                    lost.complete(reason);
                    if (!heard.get()) {
                        // a command that does not stop for it (call, failover): still said, once
                        LOG.error("{}; nothing more is recorded", reason);
                    }
                });
        interval.ifPresent(builder::interval);
        McpHealth health;
        try {
            health = builder.open();
        } catch (ConfigException | StorageUnavailableException e) {
            throw new UsageProblem(e.getMessage(), e);
        }
        try {
            events.target = new EventFanout(sinks(health.config().alerts(), jsonEvents, listener), clock);
        } catch (EventSinkException e) {
            health.close();
            throw new UsageProblem(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            health.close();
            // the webhook sink refuses a header it cannot send (Host, Connection...); its message names no value
            throw new UsageProblem(config + ": $.health.alerts.webhook: " + e.getMessage(), e);
        }
        EventFanout fanout = (EventFanout) events.target;
        return new WatchSession() {
            @Override
            public void start() {
                health.start();
            }

            @Override
            public CallToolUseCase client() {
                return health.client();
            }

            @Override
            public CoordinateFailoverUseCase coordinator() {
                return health.coordinator();
            }

            @Override
            public void probeAll() {
                health.probeAll();
            }

            @Override
            public ObserveMonitoringUseCase monitor() {
                return health.monitor();
            }

            @Override
            public FlushReport stop(Duration grace) {
                FlushReport last = health.stop(grace);
                fanout.close(EventFanout.DEFAULT_CLOSE_DEADLINE);
                return last;
            }

            @Override
            public String database() {
                return health.database();
            }

            @Override
            public Optional<String> storeLost() {
                return Optional.ofNullable(lost.getNow(null));
            }

            @Override
            public void whenStoreLost(Runnable then) {
                heard.set(true);
                lost.thenRun(then);
            }

            @Override
            public void close() {
                try {
                    health.close();
                } finally {
                    fanout.close(EventFanout.DEFAULT_CLOSE_DEADLINE);
                }
            }
        };
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
