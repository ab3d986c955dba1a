package dev.mcphealth.adapter.mcp.di;

import dev.mcphealth.adapter.mcp.ClientNotifier;
import dev.mcphealth.adapter.mcp.McpHealthServer;
import dev.mcphealth.adapter.mcp.ToolUseCases;
import dev.mcphealth.application.port.in.FlushReport;
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
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "MCP client config (Claude Desktop/Code mcpServers or VS Code servers) naming the servers")
    Path config;

    @Option(names = "--db", paramLabel = "FILE",
            description = "SQLite file (default: $MCP_HEALTH_DB, else $XDG_STATE_HOME/mcp-health/health.db)")
    Path database;

    @Option(names = "--http", paramLabel = "PORT",
            description = "serve streamable HTTP on PORT (0: any free port; the URL is printed on stderr)")
    Integer httpPort;

    @Option(names = "--bind", paramLabel = "ADDR", description = "address to listen on with --http "
            + "(default: 127.0.0.1); anything but loopback requires --token-file")
    String bind;

    @Option(names = "--token-file", paramLabel = "FILE", description = "file holding the bearer token every HTTP "
            + "request must carry (Authorization: Bearer ...)")
    Path tokenFile;

    @Option(names = "--allow-host", paramLabel = "NAME[:PORT]", description = "another name clients may use in the "
            + "Host header with --http (repeatable; e.g. the machine's name behind --bind 0.0.0.0)")
    List<String> allowHosts = List.of();

    @Option(names = "--max-body", paramLabel = "BYTES", description = "largest HTTP request body accepted "
            + "(default: 1048576)")
    Integer maxBody;

    @Option(names = "--max-sessions", paramLabel = "N", description = "HTTP sessions held at once at most; a new "
            + "one beyond it is refused with 503 (default: " + McpHealthServer.DEFAULT_MAX_SESSIONS + ")")
    Integer maxSessions;

    @Option(names = "--session-idle", paramLabel = "SECONDS", description = "an HTTP session with no request and no "
            + "open stream for this long is closed (default: 1800)")
    Integer sessionIdle;

    @Option(names = "--interval", paramLabel = "SECONDS",
            description = "probe every server this often instead of each one's intervalSeconds (1..86400)")
    Integer interval;

    /** The real standard output, kept for the protocol; System.out is pointed at stderr so nothing else lands there. */
    private final PrintStream protocolOut;
    private final PrintStream err;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private boolean stdio;

    ServerMain(PrintStream protocolOut, PrintStream err) {
        this.protocolOut = protocolOut;
        this.err = err;
    }

    public static void main(String[] args) {
        ProcessDefaults.logging(System.getenv().getOrDefault("MCP_HEALTH_LOG", "error"));
        ProcessDefaults.asyncPool(Runtime.getRuntime().availableProcessors());
        PrintStream protocolOut = new PrintStream(new FileOutputStream(FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        System.setOut(System.err);
        ServerMain main = new ServerMain(protocolOut, System.err);
        CommandLine cli = new CommandLine(main);
        cli.setOut(new java.io.PrintWriter(protocolOut, true)); // --help, --version: nothing is served then
        cli.setErr(new java.io.PrintWriter(System.err, true));
        int code = cli.execute(args);
        if (code != 0 || cli.isUsageHelpRequested() || cli.isVersionHelpRequested()) {
            System.exit(code);
        }
        if (!main.stdio) {
            main.awaitStop();
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
        Optional<String> problem = usageProblem();
        if (problem.isPresent()) {
            err.println("mcp-health-server: " + problem.get());
            return USAGE;
        }
        Optional<String> token;
        try {
            token = readToken();
        } catch (IllegalArgumentException e) {
            err.println("mcp-health-server: " + e.getMessage());
            return USAGE;
        }
        AtomicReference<ClientNotifier> notifier = new AtomicReference<>();
        AtomicReference<Runnable> onLost = new AtomicReference<>(() -> { });
        McpHealth health;
        try {
            McpHealth.Builder b = McpHealth.builder(config).onEvent(e -> {
                ClientNotifier n = notifier.get();
                if (n != null) {
                    n.publish(e, EventJson.line(e));
                }
            });
            if (database != null) {
                b.database(database);
            }
            if (interval != null) {
                b.interval(Duration.ofSeconds(interval));
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
        ToolUseCases useCases = useCases(health);
        McpHealthServer server;
        AtomicBoolean closed = new AtomicBoolean();
        AtomicReference<McpHealthServer> serverRef = new AtomicReference<>();
        AtomicInteger exitCode = new AtomicInteger(0);
        Runnable shutdown = () -> {
            if (!closed.compareAndSet(false, true)) {
                awaitStop(); // already stopping (end of input, then SIGTERM): exit only once it is done
                return;
            }
            {
                try {
                    McpHealthServer s = serverRef.get();
                    if (s != null) {
                        s.close();
                    }
                } catch (RuntimeException e) {
                    err.println("mcp-health-server: " + e.getMessage());
                } finally {
                    try {
                        FlushReport last = health.stop(STOP_GRACE);
                        if (last.storageProblem().isPresent() || last.dropped() > 0) {
                            exitCode.set(CANNOT_START);
                            last.storageProblem().ifPresent(p -> err.println("mcp-health-server: "
                                    + (last.pending() > 0 ? last.pending() + " rows" : "the last status")
                                    + " not recorded: " + p));
                            if (last.dropped() > 0) {
                                err.println("mcp-health-server: " + last.dropped() + " metric rows dropped while the"
                                        + " database was unavailable (the buffer was full)");
                            }
                        }
                        if (health.storeLost().isPresent()) {
                            exitCode.set(CANNOT_START);
                        }
                    } finally {
                        health.close();
                        stopped.countDown();
                    }
                }
            }
        };
        try {
            if (httpPort == null) {
                stdio = true;
                server = McpHealthServer.stdio(useCases, new FileInputStream(FileDescriptor.in), protocolOut,
                        () -> new Thread(() -> {
                            shutdown.run();
                            System.exit(exitCode.get());
                        }, "mcp-health-stdin-closed").start());
            } else {
                server = McpHealthServer.http(useCases, new McpHealthServer.Http(bind == null ? "127.0.0.1" : bind,
                        httpPort, token, maxBody == null ? McpHealthServer.DEFAULT_MAX_BODY : maxBody, allowHosts,
                        maxSessions == null ? McpHealthServer.DEFAULT_MAX_SESSIONS : maxSessions,
                        sessionIdle == null ? McpHealthServer.DEFAULT_SESSION_IDLE : Duration.ofSeconds(sessionIdle)),
                        Clock.systemUTC());
            }
        } catch (IllegalArgumentException e) {
            health.close();
            err.println("mcp-health-server: " + e.getMessage());
            return USAGE;
        } catch (Exception e) {
            health.close();
            err.println("mcp-health-server: cannot listen on " + (bind == null ? "127.0.0.1" : bind) + ":" + httpPort
                    + ": " + e.getMessage());
            return CANNOT_START;
        }
        serverRef.set(server);
        notifier.set(server.notifier());
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(shutdown, "mcp-health-shutdown"));
        } catch (IllegalStateException alreadyStopping) {
            return 0; // stdin was empty: the client left before the server was up, and its stop is under way
        }
        onSignals(shutdown, exitCode);
        onLost.set(() -> new Thread(() -> {
            shutdown.run();
            System.exit(CANNOT_START);
        }, "mcp-health-database-lost").start());
        health.start();
        err.println("mcp-health-server: watching " + useCases.serverNames().size() + " server(s), database "
                + health.database() + "; serving MCP on " + server.url().orElse("stdio")
                + (token.isPresent() ? " (bearer token required)" : ""));
        return 0;
    }

    /**
     * SIGTERM and Ctrl-C stop the server cleanly and exit 0 (3 if rows could not be written): the monitor writes what
     * it holds and the servers it started are stopped. (Left to the JVM, the exit code would be 143 or 130 whatever
     * happened.) A second signal gives up at once.
     */
    @SuppressWarnings("removal")
    private static void onSignals(Runnable shutdown, AtomicInteger exitCode) {
        AtomicBoolean asked = new AtomicBoolean();
        for (String name : new String[] {"INT", "TERM"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), s -> {
                if (asked.getAndSet(true)) {
                    Runtime.getRuntime().halt(128 + s.getNumber());
                }
                new Thread(() -> {
                    shutdown.run();
                    System.exit(exitCode.get());
                }, "mcp-health-signal").start();
            });
        }
    }

    private Optional<String> usageProblem() {
        if (httpPort == null) {
            for (Object[] o : new Object[][] {{"--bind", bind}, {"--token-file", tokenFile},
                {"--max-body", maxBody}, {"--max-sessions", maxSessions}, {"--session-idle", sessionIdle}}) {
                if (o[1] != null) {
                    return Optional.of(o[0] + " needs --http PORT (stdio has no address, token, body limit or "
                            + "sessions)");
                }
            }
            if (!allowHosts.isEmpty()) {
                return Optional.of("--allow-host needs --http PORT");
            }
        } else if (httpPort < 0 || httpPort > 65535) {
            return Optional.of("--http must be a port from 0 to 65535, got " + httpPort);
        }
        if (maxBody != null && maxBody < 1024) {
            return Optional.of("--max-body must be at least 1024 bytes, got " + maxBody);
        }
        if (maxSessions != null && maxSessions < 1) {
            return Optional.of("--max-sessions must be at least 1, got " + maxSessions);
        }
        if (sessionIdle != null && (sessionIdle < 2 || sessionIdle > 86_400)) {
            return Optional.of("--session-idle must be 2..86400 seconds, got " + sessionIdle);
        }
        if (interval != null && (interval < 1 || interval > 86_400)) {
            return Optional.of("--interval must be 1..86400 seconds, got " + interval);
        }
        return Optional.empty();
    }

    /** The token, trimmed; the file must exist, hold one non-empty line, and should not be readable by others. */
    private Optional<String> readToken() {
        if (tokenFile == null) {
            return Optional.empty();
        }
        String text;
        try {
            text = Files.readString(tokenFile, StandardCharsets.UTF_8).trim();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("--token-file " + tokenFile + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException("--token-file " + tokenFile + " cannot be read: " + e.getMessage());
        }
        if (text.isEmpty() || text.contains("\n") || text.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("--token-file " + tokenFile + " must hold one token: a single line "
                    + "without spaces");
        }
        if (text.length() < 16) {
            throw new IllegalArgumentException("--token-file " + tokenFile + ": the token is too short (at least "
                    + "16 characters; e.g. openssl rand -hex 32)");
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(tokenFile);
            if (perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.GROUP_READ)) {
                err.println("mcp-health-server: warning: " + tokenFile + " is readable by other users "
                        + "(chmod 600 it)");
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        }
        return Optional.of(text);
    }

    static ToolUseCases useCases(McpHealth health) {
        MonitorComponent c = health.component();
        List<String> names = health.config().servers().stream().map(s -> s.id().value()).sorted().toList();
        List<String> types = health.config().servers().stream().map(MonitoredServer::type)
                .map(t -> t.value()).distinct().sorted().toList();
        return new ToolUseCases(c.assessHealth(), c.stressTest(), c.monitor(), c.analyzeFailures(), c.adviseTuning(),
                c.applyTuning(),
                c.coordinator(), c.readHistory(), c.readFailures(), c.recoveryStatus(), c.recoverServer(),
                c.prepareShutdown(), c.runAsTask(), new ToolUseCases.Orchestrator(
                health.config().orchestrator().map(o -> o.server().value()), c.checkOrchestrator(),
                c.orchestratorStatus(), c.cleanUpOrchestrator(), c.testOrchestratorRecovery()), names, types);
    }

    private void awaitStop() {
        try {
            stopped.await(); // the stop itself is bounded: STOP_GRACE, then the servers are killed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
