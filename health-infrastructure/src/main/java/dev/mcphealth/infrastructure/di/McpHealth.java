package dev.mcphealth.infrastructure.di;

import dev.mcphealth.application.port.in.CallToolUseCase;
import dev.mcphealth.application.port.in.CoordinateFailoverUseCase;
import dev.mcphealth.application.port.in.FlushReport;
import dev.mcphealth.application.port.in.ListToolsUseCase;
import dev.mcphealth.application.port.in.ObserveMonitoringUseCase;
import dev.mcphealth.application.port.in.ResumeEpisodesUseCase;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.application.monitoring.MonitoringSettings;
import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.FailoverConfig;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.infrastructure.config.ConfigException;
import dev.mcphealth.infrastructure.config.HealthConfig;
import dev.mcphealth.infrastructure.events.Delivery;
import dev.mcphealth.infrastructure.events.EventFanout;
import dev.mcphealth.infrastructure.telemetry.Telemetry;
import dev.mcphealth.infrastructure.events.EventSink;
import dev.mcphealth.infrastructure.cluster.LeaseKeeper;
import dev.mcphealth.infrastructure.persistence.MonitorLock;
import dev.mcphealth.infrastructure.scheduler.OutboxScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MCP Health embedded in a Java application: the servers of an MCP configuration file watched in the background,
 * restarted and reconnected when they fail, and a resilient client that calls them through their pools.
 *
 * <pre>{@code
 * try (McpHealth health = McpHealth.builder(Path.of("mcp.json")).start()) {
 *     CallToolUseCase.Result r = health.callTool("echo", "echo", Map.of("message", "hi"));
 *     if (r instanceof CallToolUseCase.Served served) {
 *         System.out.println(served.reply().texts());
 *     }
 * }
 * }</pre>
 *
 * Thread-safe: calls may come from many threads. {@link #close()} stops monitoring, writes what it holds, and stops
 * the servers it started.
 *
 * <p>One monitor per database file: from {@link Builder#open()} to {@link #close()} it holds the database's
 * {@link MonitorLock}, and a second one on the same file (in this process or another) is refused at open.
 */
public final class McpHealth implements AutoCloseable {
    /** The server name the monitor uses for its own row in the data. */
    public static final ServerId SELF = dev.mcphealth.domain.model.StatusSnapshot.MONITOR;
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(McpHealth.class);

    private final MonitorComponent component;
    /** Where events go: the caller's sinks, then health.alerts' file and webhook; set once the config is read. */
    private Optional<EventFanout> listeners = Optional.empty();
    /** OpenTelemetry export, once open built it (closed last: it sends what is still buffered). */
    private Optional<Telemetry> telemetry = Optional.empty();
    private boolean started;
    private boolean stopped;
    private boolean closed;
    /** The monitor lock taken at open; the database holds it once open. */
    private MonitorLock lock;
    private boolean databaseOpen;

    private McpHealth(MonitorComponent component) {
        this.component = component;
    }

    public static Builder builder(Path config) {
        return new Builder(config);
    }

    /** How to build one. */
    public static final class Builder {
        private final Path config;
        private Optional<String> database = Optional.empty();
        private Optional<dev.mcphealth.infrastructure.persistence.DatabaseTarget> target = Optional.empty();
        private boolean sharesWork = true;
        private Optional<Duration> interval = Optional.empty();
        private CheckDepth depth = CheckDepth.BASIC;
        private final List<EventSink> sinks = new ArrayList<>();
        private Optional<Consumer<String>> onStoreLost = Optional.empty();
        private boolean asksClients;
        private boolean telemetry = true;

        private Builder(Path config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /** The SQLite file; default: $MCP_HEALTH_DB, else $XDG_STATE_HOME/mcp-health/health.db. */
        public Builder database(Path file) {
            return database(new dev.mcphealth.infrastructure.persistence.DatabaseTarget.SqliteFile(file));
        }

        /**
         * The database: a SQLite file's path or a {@code postgresql://user@host:port/database} URL (its password, or
         * {@code PGPASSWORD}, or the password file; docs/storage.md#postgresql).
         */
        public Builder database(String location) {
            this.database = Optional.of(location);
            this.target = Optional.empty();
            return this;
        }

        /**
         * Whether this monitor takes part in its database's cluster (PostgreSQL, docs/cluster.md): true (the default)
         * for a monitor that runs; false for one that runs only while a command works, which then probes and records
         * every server it is asked about, beside the cluster, as {@code check} does.
         */
        public Builder sharesWork(boolean shares) {
            this.sharesWork = shares;
            return this;
        }

        /** The database, as {@link DatabaseLocation#target} resolved it. */
        public Builder database(dev.mcphealth.infrastructure.persistence.DatabaseTarget target) {
            this.target = Optional.of(target);
            this.database = Optional.empty();
            return this;
        }

        /** Probe every server this often instead of each one's intervalSeconds. */
        public Builder interval(Duration every) {
            this.interval = Optional.of(every);
            return this;
        }

        public Builder depth(CheckDepth depth) {
            this.depth = Objects.requireNonNull(depth, "depth");
            return this;
        }

        /**
         * Events (status changes, alerts, recoveries, failovers, breaker changes) go to {@code listener} on a thread of
         * their own, so a slow listener never delays monitoring or calls.
         */
        public Builder onEvent(Consumer<MonitorEvent> listener) {
            return eventSink(new ListenerSink(Objects.requireNonNull(listener, "listener")));
        }

        /**
         * Events also go to {@code sink}, isolated like every sink (its own thread, retries, a bound): the CLI's
         * output, say. The configuration's own sinks ({@code health.alerts}: a file, a webhook) are always added after
         * the ones given here, whoever runs the monitor.
         */
        public Builder eventSink(EventSink sink) {
            sinks.add(Objects.requireNonNull(sink, "sink"));
            return this;
        }

        /**
         * Called once, with one sentence, if the database is lost while monitoring: its file was deleted (or replaced)
         * and cannot be made again. Monitoring goes on, its rows waiting in memory; an application that cannot do
         * without its record stops here. Default: the sentence is logged at error.
         */
        public Builder onStoreLost(Consumer<String> handler) {
            this.onStoreLost = Optional.of(handler);
            return this;
        }

        /**
         * Whether the {@code OTEL_*} variables may turn on OpenTelemetry export for this monitor (docs/metrics.md):
         * on by default; an application with an OpenTelemetry SDK of its own turns it off here and keeps them for its
         * own.
         */
        public Builder telemetry(boolean exports) {
            this.telemetry = exports;
            return this;
        }

        /**
         * Tells the servers (at initialize) that they may ask the client behind a call something while it is under
         * way (sampling, elicitation), and passes such a request on to the call's {@code Caller.asks()}: what the
         * gateway does for its clients. Off by default: no client stands behind a library's calls.
         */
        public Builder asksClients(boolean asks) {
            this.asksClients = asks;
            return this;
        }

        /**
         * Reads the configuration, takes the database's monitor lock and opens (creating or migrating) the database;
         * nothing runs yet.
         *
         * @throws ConfigException if the configuration cannot be used
         * @throws dev.mcphealth.application.port.out.StorageUnavailableException if the database cannot be opened,
         *     or another monitor runs on it
         */
        public McpHealth open() {
            MonitoringSettings settings = MonitoringSettings.defaults().withDepth(depth);
            if (interval.isPresent()) {
                settings = settings.withInterval(interval.get());
            }
            dev.mcphealth.infrastructure.persistence.DatabaseTarget db;
            try {
                db = target.isPresent() ? target.get()
                        : DatabaseLocation.target(database, System.getenv(), System.getProperty("user.home"));
            } catch (IllegalArgumentException e) {
                throw new dev.mcphealth.application.port.out.StorageUnavailableException(e.getMessage(), e);
            }
            MonitorComponent component = DaggerMonitorComponent.factory().create(new RunSettings(config, db,
                            asksClients, telemetry, sharesWork),
                    settings, List.copyOf(sinks));
            McpHealth health = new McpHealth(component);
            try {
                HealthConfig c = component.config();
                // the sinks next (health.alerts' file and webhook): a bad one is a configuration error, found at open
                health.listeners = Optional.of(component.events());
                if (c.all().isEmpty()) {
                    throw new ConfigException(config + ": no enabled server to watch");
                }
                if (c.all().containsKey(SELF)) {
                    throw new ConfigException(config + ": the server name mcp-health is taken by the monitor's own"
                            + " row in status and history; give this server another name to watch it");
                }
                if (db instanceof dev.mcphealth.infrastructure.persistence.DatabaseTarget.SqliteFile file) {
                    health.lock = MonitorLock.acquire(file.file());
                }
                // OpenTelemetry export when OTEL_* asks for it, once this monitor is the database's (bad settings
                // are found at open too)
                health.telemetry = component.telemetry();
                // the database releases its lock when closed; on PostgreSQL monitors share the database instead
                if (component.database() instanceof dev.mcphealth.infrastructure.persistence.SqliteDatabase sqlite) {
                    sqlite.holdLock(health.lock);
                }
                health.databaseOpen = true;
                component.failoverConfigs().save(failoverConfigs(c.servers()));
                // in a cluster a shared server's open episodes are carried on by whichever member takes its lease;
                // this host's own (stdio) servers are resumed here
                java.util.Set<ServerId> stdio = new java.util.HashSet<>();
                c.servers().stream().filter(s -> s.transport() == dev.mcphealth.domain.model.TransportKind.STDIO)
                        .forEach(s -> stdio.add(s.id()));
                resume(component, component.cluster().isEmpty() ? id -> true : stdio::contains);
                Consumer<String> lost = onStoreLost.orElse(reason -> LOG.error("{}; monitoring goes on, its rows wait"
                        + " in memory", reason));
                component.scheduler().whenStoreLost().thenAccept(lost);
            } catch (RuntimeException e) {
                health.abandon(e);
                throw e;
            }
            return health;
        }

        /** {@link #open()}, then {@link McpHealth#start()}. */
        public McpHealth start() {
            McpHealth health = open();
            health.start();
            return health;
        }
    }

    /**
     * Carries into this run, or closes, the failure episodes and alerts an earlier run left open (killed, or stopped while
     * a server failed). A store that cannot be read now leaves them for the next start: monitoring goes on.
     */
    private static void resume(MonitorComponent component, java.util.function.Predicate<ServerId> scope) {
        try {
            ResumeEpisodesUseCase.Resumed r = component.resumeEpisodes().resume(scope);
            if (r.carried() + r.closed() > 0) {
                LOG.info("an earlier run left {} episode(s) open: {} carried into this run, {} closed at their "
                        + "best-known end", r.carried() + r.closed(), r.carried(), r.closed());
            }
        } catch (StorageUnavailableException e) {
            LOG.warn("what an earlier run left open could not be read back ({}); it is read again at the next start",
                    e.getMessage());
        }
    }

    /** One failover configuration per server type, the first server of a type giving it, as saved at every start. */
    static List<FailoverConfig> failoverConfigs(List<MonitoredServer> servers) {
        Map<ServerType, FailoverConfig> byType = new LinkedHashMap<>();
        servers.forEach(s -> byType.putIfAbsent(s.type(), s.failover()));
        return List.copyOf(byType.values());
    }

    /** A listener as an event sink: each event is delivered once, on the fan-out's thread. */
    private record ListenerSink(Consumer<MonitorEvent> listener) implements EventSink {
        @Override
        public String name() {
            return "listener";
        }

        @Override
        public Delivery deliver(MonitorEvent event) {
            listener.accept(event);
            return Delivery.delivered();
        }
    }

    /** Starts probing every server on its interval, automatic recovery and the outbox's delivery; returns at once. */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (!started) {
            started = true;
            // the cluster's share first: the first probes are of the servers this monitor holds
            component.cluster().ifPresent(LeaseKeeper::start);
            component.scheduler().start();
            component.recoveryScheduler().start();
            component.outboxScheduler().ifPresent(OutboxScheduler::start);
        }
    }

    /** A tool call on a server type, through its pool (see {@link CallToolUseCase}). */
    public CallToolUseCase.Result callTool(String serverType, String tool, Map<String, Object> arguments) {
        return component.client().call(new CallToolUseCase.Command(ServerType.of(serverType), tool, arguments));
    }

    /** The tools of a server type, or the last good list when nothing can answer (see {@link ListToolsUseCase}). */
    public ListToolsUseCase.Listing listTools(String serverType) {
        return component.tools().list(ServerType.of(serverType));
    }

    public CallToolUseCase client() {
        return component.client();
    }

    public ListToolsUseCase tools() {
        return component.tools();
    }

    public CoordinateFailoverUseCase coordinator() {
        return component.coordinator();
    }

    /** What the monitor knows now, one snapshot per server and one for itself. */
    public ObserveMonitoringUseCase monitor() {
        return component.monitor();
    }

    /** Probes every server once now (a round), without waiting for the schedule. */
    public void probeAll() {
        component.rounds().run();
    }

    /** The wiring underneath, for adapters that serve more use cases than this facade names (the MCP server). */
    public MonitorComponent component() {
        return component;
    }

    public HealthConfig config() {
        return component.config();
    }

    /**
     * Why the database was lost while monitoring, if it was: its file was deleted (or replaced) and could not be made
     * again (see {@link Builder#onStoreLost}).
     */
    public Optional<String> storeLost() {
        return component.scheduler().storeLost();
    }

    /**
     * Whether the database file is damaged, checked now (SQLite's {@code quick_check}, reading the file as it is on
     * disk): one sentence naming the file and what SQLite found, or empty when it is sound. A file overwritten in
     * place while the monitor wrote it is not noticed by the writes themselves, which all succeed; ask after
     * {@link #stop} (it reads the whole file) and before {@link #close}. Empty when the database was lost
     * ({@link #storeLost()} says why).
     */
    public Optional<String> damage() {
        if (storeLost().isPresent()) {
            return Optional.empty();
        }
        return component.database().damage();
    }

    /** The database, as shown to people: the file's path, or the URL without its password. */
    public String database() {
        return component.database().name();
    }

    /**
     * Stops probing, recovery and the orchestrator outbox's delivery, waits up to {@code grace} for what runs, and
     * writes everything still buffered.
     */
    public synchronized FlushReport stop(Duration grace) {
        stopped = true;
        component.outboxScheduler().ifPresent(o -> o.stop(grace));
        component.recoveryScheduler().stop(grace);
        FlushReport last = component.scheduler().stop(grace);
        // the last rows are in: the leases go to the other monitors at once, not when they lapse
        component.cluster().ifPresent(LeaseKeeper::close);
        listeners.ifPresent(f -> f.close(EventFanout.DEFAULT_CLOSE_DEADLINE));
        return last;
    }

    /**
     * Undoes an open that failed part way: nothing was started, so there is nothing to stop or write (a stop would
     * flush, and so write to a database that another monitor may be using); only what was opened is closed.
     */
    private synchronized void abandon(RuntimeException failure) {
        closed = true;
        try {
            listeners.ifPresent(f -> f.close(EventFanout.DEFAULT_CLOSE_DEADLINE));
            telemetry.ifPresent(Telemetry::close);
            if (databaseOpen) {
                component.database().close();
            } else if (lock != null) {
                lock.close();
            }
        } catch (RuntimeException alsoFailed) {
            failure.addSuppressed(alsoFailed);
        }
    }

    /** Stops (if not yet), stops the servers it started and closes the database. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!stopped) {
                stop(CLOSE_GRACE);
            }
        } finally {
            try {
                component.probe().close();
            } finally {
                try {
                    component.database().close();
                } finally {
                    telemetry.ifPresent(Telemetry::close); // what is still buffered sent, at most 5 s
                }
            }
        }
    }
}
