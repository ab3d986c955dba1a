package dev.mcphealth.adapter.cli.di;

import dev.mcphealth.adapter.web.RecentEvents;
import dev.mcphealth.adapter.web.WebPages;
import dev.mcphealth.adapter.web.WebServer;
import dev.mcphealth.infrastructure.di.MonitorComponent;
import dev.mcphealth.infrastructure.events.EventJson;
import java.util.concurrent.atomic.AtomicReference;
import dev.mcphealth.application.port.in.CallToolUseCase;
import dev.mcphealth.application.port.in.CoordinateFailoverUseCase;
import dev.mcphealth.adapter.cli.UsageProblem;
import dev.mcphealth.adapter.cli.WatchSession;
import dev.mcphealth.adapter.cli.WatchSessions;
import dev.mcphealth.application.port.in.FlushReport;
import dev.mcphealth.application.port.in.ObserveMonitoringUseCase;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.infrastructure.config.ConfigException;
import dev.mcphealth.infrastructure.di.DatabaseLocation;
import dev.mcphealth.infrastructure.persistence.DatabaseTarget;
import dev.mcphealth.infrastructure.di.McpHealth;
import dev.mcphealth.infrastructure.events.JsonLinesEventSink;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a watch on {@link McpHealth}: the command's own output as event sinks, before health.alerts' file and webhook,
 * which McpHealth adds as it does for every monitor.
 */
final class ComponentWatchSessions implements WatchSessions {
    private static final Logger LOG = LoggerFactory.getLogger(ComponentWatchSessions.class);
    private final Map<String, String> env;
    private final String userHome;

    ComponentWatchSessions(Map<String, String> env, String userHome) {
        this.env = env;
        this.userHome = userHome;
    }

    @Override
    public WatchSession open(Path config, Optional<String> database, Optional<Duration> interval, CheckDepth depth,
                             Optional<PrintWriter> jsonEvents, Consumer<MonitorEvent> listener, boolean sharesWork) {
        DatabaseTarget target;
        try {
            target = DatabaseLocation.target(database, env, userHome);
        } catch (IllegalArgumentException e) {
            throw new UsageProblem(e.getMessage(), e);
        }
        CompletableFuture<String> lost = new CompletableFuture<>();
        AtomicBoolean heard = new AtomicBoolean();
        McpHealth.Builder builder = McpHealth.builder(config)
                .database(target).sharesWork(sharesWork).depth(depth)
                .onStoreLost(reason -> {
                    lost.complete(reason);
                    if (!heard.get()) {
                        // a command that does not stop for it (call, failover): still said, once
                        LOG.error("{}; nothing more is recorded", reason);
                    }
                });
        interval.ifPresent(builder::interval);
        // the command's own output first; health.alerts' file and webhook are added by McpHealth, as for every monitor
        jsonEvents.ifPresent(out -> builder.eventSink(JsonLinesEventSink.to(out, "stdout")));
        // the pages' events, once --http serves them (set before the monitor starts)
        AtomicReference<Consumer<MonitorEvent>> pages = new AtomicReference<>(e -> { });
        builder.onEvent(listener.andThen(e -> pages.get().accept(e)));
        McpHealth health;
        try {
            health = builder.open();
        } catch (ConfigException | StorageUnavailableException e) {
            throw new UsageProblem(e.getMessage(), e);
        }
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
                return health.stop(grace);
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
            public Optional<String> damage() {
                return health.damage();
            }

            @Override
            public void whenStoreLost(Runnable then) {
                heard.set(true);
                lost.thenRun(then);
            }

            private WebServer web;

            @Override
            public synchronized String serve(WebServer.Settings settings) {
                if (web != null) {
                    return web.url();
                }
                RecentEvents recent = new RecentEvents();
                MonitorComponent c = health.component();
                try {
                    web = WebServer.start(settings, new WebPages.Sources(health.monitor(), c.readHistory(),
                            c.readFailures(), Optional.empty(), recent, Optional.of(accept -> {
                                var scraped = c.metrics().scrape(accept);
                                return new WebPages.Metrics.Page(scraped.contentType(), scraped.body());
                            }), java.time.Clock.systemUTC(), true, c.readCluster()));
                } catch (IllegalArgumentException e) {
                    throw new UsageProblem(e.getMessage(), e);
                } catch (Exception e) {
                    throw new UsageProblem("cannot listen on " + settings.bind() + ":" + settings.port() + ": "
                            + e.getMessage(), e);
                }
                WebServer serving = web;
                pages.set(e -> serving.publish(e, EventJson.line(e)));
                return web.url();
            }

            @Override
            public synchronized void close() {
                try {
                    if (web != null) {
                        pages.set(e -> { });
                        web.close();
                    }
                } finally {
                    health.close();
                }
            }
        };
    }
}
