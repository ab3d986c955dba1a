package dev.mcphealth.adapter.mcp.di;

import dev.mcphealth.adapter.mcp.ClientNotifier;
import dev.mcphealth.adapter.mcp.Gateway;
import dev.mcphealth.adapter.mcp.McpHealthServer;
import dev.mcphealth.adapter.web.RecentEvents;
import dev.mcphealth.adapter.web.WebPages;
import dev.mcphealth.adapter.mcp.ToolUseCases;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.infrastructure.config.ConfigException;
import dev.mcphealth.infrastructure.di.McpHealth;
import dev.mcphealth.infrastructure.di.ProcessDefaults;
import dev.mcphealth.infrastructure.di.MonitorComponent;
import dev.mcphealth.infrastructure.events.EventJson;
import dev.mcphealth.infrastructure.probe.ChildEnvironment;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code bin/mcp-health-server}: runs the monitor for the configured servers in the background and serves the health
 * tools over stdio (default; nothing but protocol on stdout, logs on stderr) or streamable HTTP on {@code /mcp}.
 * Exit codes: 0 after a normal stop, 2 for bad usage or configuration, 3 when it could not start (database, port) or
 * could not record (the database was lost while running, or rows were still unwritten at its stop).
 */
@Command(name = "mcp-health-server", mixinStandardHelpOptions = true, versionProvider = ServerMain.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Serves MCP Health's tools (orchestrator_integration_monitor, orchestrator_failover_coordinator, "
                + "orchestrator_performance_optimizer, integration_health_dashboards, automated_recovery_system) "
                + "while it watches and recovers the MCP servers in the config.",
            "stdio by default; --http PORT serves streamable HTTP on /mcp, bound to 127.0.0.1 unless --bind says "
                + "otherwise (any other address needs --token-file)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped normally (end of input on stdio, SIGTERM or Ctrl-C), everything recorded",
            "2:bad usage or configuration",
            "3:could not start (database in use by another monitor or unusable, port), or could not record (the "
                + "database was deleted and could not be made again, or rows were not written at the stop)"})
public final class ServerMain implements Callable<Integer> {
    static final int USAGE = 2;
    static final int CANNOT_START = 3;

    @Mixin
    ServerOptions options = new ServerOptions();

    /** The real standard output, kept for the protocol; System.out is pointed at stderr so nothing else lands there. */
    private final PrintStream protocolOut;
    private final PrintStream err;
    /** How it stops, once it is serving. */
    private ServerStop stop;

    ServerMain(PrintStream protocolOut, PrintStream err) {
        this.protocolOut = protocolOut;
        this.err = err;
    }

    public static void main(String[] args) {
        ProcessDefaults.logging(System.getenv().getOrDefault("MCP_HEALTH_LOG", "error"), true);
        ProcessDefaults.asyncPool(Runtime.getRuntime().availableProcessors());
        PrintStream protocolOut = new PrintStream(new FileOutputStream(FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        System.setOut(System.err);
        ProcessDefaults.fatalErrors("mcp-health-server", System.err, CANNOT_START);
        ServerMain main = new ServerMain(protocolOut, System.err);
        CommandLine cli = new CommandLine(main);
        cli.setOut(new java.io.PrintWriter(protocolOut, true)); // --help, --version: nothing is served then
        cli.setErr(new java.io.PrintWriter(System.err, true));
        int code = cli.execute(args);
        if (code != 0 || cli.isUsageHelpRequested() || cli.isVersionHelpRequested()) {
            System.exit(code);
        }
        if (!main.options.stdio()) {
            main.stop.awaitStopped();
        }
        // stdio: the transport's reader keeps the process alive; end of input stops it (see call)
    }

    @Override
    public Integer call() {
        String parent = System.getenv(ChildEnvironment.PARENT_PID);
        if (parent != null) {
            err.println("mcp-health-server: started by MCP Health (process " + parent + ") as one of the servers it "
                    + "watches: refusing to watch recursively; remove this entry from the config that MCP Health "
                    + "watches");
            return USAGE;
        }
        ChildEnvironment.markServer();
        Optional<String> problem = options.usageProblem();
        if (problem.isPresent()) {
            err.println("mcp-health-server: " + problem.get());
            return USAGE;
        }
        Optional<String> token;
        try {
            token = options.readToken(err);
        } catch (IllegalArgumentException e) {
            err.println("mcp-health-server: " + e.getMessage());
            return USAGE;
        }
        AtomicReference<ClientNotifier> notifier = new AtomicReference<>();
        AtomicReference<McpHealthServer> serving = new AtomicReference<>();
        AtomicReference<Runnable> onLost = new AtomicReference<>(() -> { });
        RecentEvents recent = new RecentEvents(); // the pages' events, from the monitor's first on
        McpHealth health;
        try {
            McpHealth.Builder b = McpHealth.builder(options.config).onEvent(e -> {
                String json = EventJson.line(e);
                McpHealthServer s = serving.get();
                if (s == null) {
                    recent.add(e, json); // before the pages are up: kept for /api/v1/events
                } else {
                    // the pages first (never blocks, never throws); gateway mode: drift has the tools listed again
                    s.eventSeen(e, json);
                }
                ClientNotifier n = notifier.get();
                if (n != null) {
                    n.publish(e, json);
                }
            });
            if (options.database != null) {
                b.database(options.database);
            }
            b.asksClients(options.gateway); // the upstreams' sampling and elicitation go to the client of the call
            if (options.interval != null) {
                b.interval(Duration.ofSeconds(options.interval));
            }
            b.onStoreLost(reason -> {
                err.println("mcp-health-server: " + reason + "; stopping");
                onLost.get().run();
            });
            health = b.open();
        } catch (ConfigException e) {
            err.println("mcp-health-server: " + e.getMessage());
            return USAGE;
        } catch (StorageUnavailableException e) {
            err.println("mcp-health-server: the database cannot be used: " + e.getMessage());
            return CANNOT_START;
        }
        ToolUseCases useCases = useCases(health, options.gateway, options.toolsRefresh());
        ServerStop stopping = new ServerStop(health, err);
        McpHealthServer server;
        try {
            server = options.stdio()
                    ? McpHealthServer.stdio(useCases, new FileInputStream(FileDescriptor.in), protocolOut,
                            () -> stopping.stopAndExit("mcp-health-stdin-closed", null))
                    : McpHealthServer.http(useCases, options.http(token), Clock.systemUTC(), Optional.of(accept -> {
                        var scraped = health.component().metrics().scrape(accept);
                        return new WebPages.Metrics.Page(scraped.contentType(), scraped.body());
                    }), recent);
        } catch (IllegalArgumentException e) {
            health.close();
            err.println("mcp-health-server: " + e.getMessage());
            return USAGE;
        } catch (Exception e) {
            health.close();
            err.println("mcp-health-server: cannot listen on " + options.address() + ":" + options.httpPort + ": "
                    + e.getMessage());
            return CANNOT_START;
        }
        stop = stopping;
        stopping.serving(server);
        notifier.set(server.notifier());
        serving.set(server);
        // gateway mode: an upstream saying its tools changed has them listed again at once
        health.component().sessions().onToolsChanged(id -> server.toolsChanged());
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(stopping, "mcp-health-shutdown"));
        } catch (IllegalStateException alreadyStopping) {
            return 0; // stdin was empty: the client left before the server was up, and its stop is under way
        }
        stopping.onSignals();
        onLost.set(() -> stopping.stopAndExit("mcp-health-database-lost", CANNOT_START));
        health.start();
        err.println("mcp-health-server: watching " + useCases.serverNames().size() + " server(s), database "
                + health.database() + "; serving MCP on " + server.url().orElse("stdio")
                + (token.isPresent() ? " (bearer token required)" : ""));
        return 0;
    }

    static ToolUseCases useCases(McpHealth health, boolean gateway, Duration toolsRefresh) {
        MonitorComponent c = health.component();
        List<String> names = health.config().servers().stream().map(s -> s.id().value()).sorted().toList();
        List<String> types = health.config().servers().stream().map(MonitoredServer::type)
                .map(t -> t.value()).distinct().sorted().toList();
        return new ToolUseCases(c.assessHealth(), c.stressTest(), c.monitor(), c.analyzeFailures(), c.adviseTuning(),
                c.applyTuning(), c.readTrials(),
                c.coordinator(), c.readHistory(), c.readFailures(), c.recoveryStatus(), c.recoverServer(),
                c.prepareShutdown(), c.runAsTask(), new ToolUseCases.Orchestrator(
                health.config().orchestrator().map(o -> o.server().value()), c.checkOrchestrator(),
                c.orchestratorStatus(), c.cleanUpOrchestrator(), c.testOrchestratorRecovery()), names, types,
                gateway ? java.util.Optional.of(new Gateway(c.tools(), c.client(), c.toolStats(), c.forwardRequests(),
                        types, toolsRefresh, c.usageProfiles(), java.util.Optional.of(c.reportUsage())))
                        : java.util.Optional.empty(), c.readCluster());
    }

    /** The version from the jar's manifest. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ServerMain.class.getPackage().getImplementationVersion();
            return new String[] {"mcp-health-server " + (v == null ? "dev" : v)};
        }
    }
}
