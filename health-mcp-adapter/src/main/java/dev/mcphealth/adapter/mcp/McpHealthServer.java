package dev.mcphealth.adapter.mcp;

import dev.mcphealth.adapter.web.RecentEvents;
import dev.mcphealth.adapter.web.WebPages;
import dev.mcphealth.adapter.web.WebServer;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.DispatcherType;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/**
 * The MCP server of MCP Health: the five tools over stdio or streamable HTTP ({@code /mcp}), with logging
 * notifications of the monitor's events. Over HTTP every request passes {@link HttpGuard}.
 */
public final class McpHealthServer implements AutoCloseable {
    public static final String ENDPOINT = "/mcp";
    /** The default limit of one request body: far above any tool call of ours, far below harm. */
    public static final int DEFAULT_MAX_BODY = 1 << 20;
    static final String STDIO_SESSION = "stdio";
    static final String INSTRUCTIONS = "MCP Health watches the MCP servers named in its configuration over the real "
            + "protocol and recovers them. Start with integration_health_dashboards (view overview); use "
            + "orchestrator_integration_monitor for a fresh health check, performance scan, failure analysis or "
            + "optimization report; automated_recovery_system and orchestrator_failover_coordinator act on servers. "
            + "Tools act only on configured servers, named by their config name or type.";

    private final McpSyncServer server;
    /** In gateway mode, what tries again the types whose tools could not be listed at start. */
    private final GatewayTools.Upkeep relister;
    /** What answers the 2026-07-28 revision's requests. */
    private final StatelessServer stateless;
    private final ClientNotifier notifier;
    /** Over HTTP: the server of /mcp and the dashboard's pages. */
    private final Optional<WebServer> web;
    private final Optional<String> url;

    private McpHealthServer(Built built, ClientNotifier notifier, Optional<WebServer> web, Optional<String> url) {
        this.server = built.server();
        this.relister = built.relister();
        this.stateless = built.stateless();
        this.notifier = notifier;
        this.web = web;
        this.url = url;
    }

    /** How long a request of ours to a client (an upstream's sampling or elicitation) waits for its answer. */
    static final Duration CLIENT_REQUEST_TIMEOUT = Duration.ofMinutes(5);

    /** The default cap of HTTP sessions held at once. */
    public static final int DEFAULT_MAX_SESSIONS = 256;
    /** The default idle time after which an HTTP session with no request and no open stream is closed. */
    public static final Duration DEFAULT_SESSION_IDLE = Duration.ofMinutes(30);

    /**
     * HTTP settings; {@code allowedHosts} are extra names clients may use in Host (e.g. behind a wildcard bind);
     * {@code maxSessions} sessions are held at most, each closed once idle for {@code sessionIdle}.
     */
    public record Http(String bind, int port, Optional<String> token, int maxBody, List<String> allowedHosts,
                       int maxSessions, Duration sessionIdle) {
        public Http(String bind, int port, Optional<String> token, int maxBody, List<String> allowedHosts) {
            this(bind, port, token, maxBody, allowedHosts, DEFAULT_MAX_SESSIONS, DEFAULT_SESSION_IDLE);
        }

        public Http {
            if (maxSessions < 1) {
                throw new IllegalArgumentException("the session cap must be at least 1, got " + maxSessions);
            }
            Objects.requireNonNull(sessionIdle, "sessionIdle");
            if (sessionIdle.toSeconds() < 2) {
                throw new IllegalArgumentException("the session idle time must be at least 2 s, got "
                        + sessionIdle.toSeconds() + " s");
            }
            Objects.requireNonNull(bind, "bind");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("the port must be 0..65535, got " + port);
            }
            Objects.requireNonNull(token, "token");
            if (maxBody < 1024) {
                throw new IllegalArgumentException("the body limit must be at least 1024 bytes, got " + maxBody);
            }
            allowedHosts = List.copyOf(allowedHosts);
            for (String h : allowedHosts) {
                if (h.indexOf(':') != h.lastIndexOf(':') && !h.startsWith("[")) {
                    throw new IllegalArgumentException("--allow-host " + h + ": write an IPv6 address in brackets, "
                            + "e.g. [::1]:8765");
                }
                if (h.isBlank() || h.chars().anyMatch(c -> c <= ' ' || c == '/' || c == '@')) {
                    throw new IllegalArgumentException("--allow-host " + h + ": expected a host name or address, "
                            + "with an optional :PORT");
                }
            }
        }

        /** Whether {@code bind} names a loopback address (a name is resolved once, locally). */
        public boolean loopback() {
            return dev.mcphealth.adapter.web.WebGuard.loopback(bind);
        }
    }

    /** Serves on {@code in}/{@code out}; {@code clientGone} runs once when the client closes its end. */
    public static McpHealthServer stdio(ToolUseCases useCases, InputStream in, OutputStream out, Runnable clientGone) {
        McpJsonMapper mapper = McpJsonDefaults.getMapper();
        LogLevels levels = new LogLevels(mapper);
        levels.connected(STDIO_SESSION);
        ErrorScrubber scrubber = new ErrorScrubber(mapper);
        Cancellations cancellations = new Cancellations(mapper, true);
        // the answer to a call its client cancelled is not written (the spec: none is sent)
        ProtocolOutput protocol = new ProtocolOutput(out, line -> cancellations.silenced(STDIO_SESSION, line) ? null
                : scrubber.scrub(line));
        StatelessServer stateless = new StatelessServer(mapper);
        InputStream tapped = new StdinFilter(new java.io.BufferedInputStream(in), new JsonRpcGate(mapper),
                line -> answer(protocol, line), line -> levels.observe(STDIO_SESSION, line), clientGone,
                (pass, line) -> cancellations.passed(STDIO_SESSION, pass, line), stateless);
        StdioServerTransportProvider provider = new StdioServerTransportProvider(mapper, tapped, protocol);
        ClientNotifier notifier = new ClientNotifier(levels,
                (session, n) -> provider.notifyClients(McpSchema.METHOD_NOTIFICATION_MESSAGE, n));
        Built server = build(McpServer.sync(provider), useCases, mapper, cancellations, stateless);
        return new McpHealthServer(server, notifier, Optional.empty(), Optional.empty());
    }

    /**
     * Serves streamable HTTP on {@code http.bind():http.port()} (port 0: any free port; {@link #url()} says which).
     *
     * @throws IllegalArgumentException if a non-loopback address is to be bound without a token
     * @throws Exception if the port cannot be bound
     */
    public static McpHealthServer http(ToolUseCases useCases, Http http, Clock clock) throws Exception {
        return http(useCases, http, clock, Optional.empty());
    }

    /** As above, with {@code GET /metrics} served from {@code metrics} when given, behind the same guard. */
    public static McpHealthServer http(ToolUseCases useCases, Http http, Clock clock, Optional<WebPages.Metrics> metrics)
            throws Exception {
        return http(useCases, http, clock, metrics, new RecentEvents());
    }

    /**
     * As above, with {@code recent} the monitor's events kept for {@code /api/v1/events} and the pages (the caller
     * adds the ones from before the server is up; {@link #eventSeen} keeps and pushes each after).
     */
    public static McpHealthServer http(ToolUseCases useCases, Http http, Clock clock, Optional<WebPages.Metrics> metrics,
                                       RecentEvents recent) throws Exception {
        McpJsonMapper mapper = McpJsonDefaults.getMapper();
        LogLevels levels = new LogLevels(mapper);
        HttpServletStreamableServerTransportProvider provider = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(mapper)
                .mcpEndpoint(ENDPOINT)
                .keepAliveInterval(Duration.ofSeconds(30))
                // a session idle for a whole sweep interval is closed: half the idle time, so none lasts longer
                .sessionSweepInterval(http.sessionIdle().dividedBy(2))
                .build();
        ClientNotifier notifier = new ClientNotifier(levels,
                (session, n) -> provider.notifyClient(session, McpSchema.METHOD_NOTIFICATION_MESSAGE, n));
        Cancellations cancellations = new Cancellations(mapper, false); // an HTTP request must be answered
        StatelessServer stateless = new StatelessServer(mapper);
        Built server = build(McpServer.sync(provider), useCases, mapper, cancellations, stateless);

        JsonRpcGate gate = new JsonRpcGate(mapper);
        HttpGuard guard = new HttpGuard(http.maxBody(), levels, gate, new ErrorScrubber(mapper),
                new HttpSessions(http.maxSessions(), http.sessionIdle(), clock), cancellations, stateless);
        WebServer web;
        try {
            web = WebServer.start(new WebServer.Settings(http.bind(), http.port(), http.token(), http.allowedHosts()),
                    new WebPages.Sources(useCases.monitor(), useCases.history(), useCases.failures(),
                            useCases.gateway().map(Gateway::stats), recent, metrics, clock, true, useCases.cluster()),
                    new WebServer.More(Set.of(ENDPOINT), why -> gate.errorLine(null, JsonRpcGate.INVALID_REQUEST, why),
                            64, context -> {
                                // after the pages' guard (Host, Origin, token): the body limit, the JSON-RPC gate,
                                // the sessions, the scrubbing
                                FilterHolder filter = new FilterHolder(guard);
                                filter.setAsyncSupported(true);
                                context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
                                ServletHolder servlet = new ServletHolder(provider);
                                servlet.setAsyncSupported(true);
                                context.addServlet(servlet, ENDPOINT);
                            }));
        } catch (Exception e) {
            server.relister().close();
            server.server().close();
            server.stateless().close();
            throw e;
        }
        return new McpHealthServer(server, notifier, Optional.of(web),
                Optional.of(web.url().replaceAll("/$", "") + ENDPOINT));
    }

    /** Writes an answer of the gate's; a client that stopped reading is the reader's end of input to notice. */
    private static void answer(ProtocolOutput protocol, String line) {
        try {
            protocol.writeLine(line);
        } catch (java.io.IOException e) {
            org.slf4j.LoggerFactory.getLogger(McpHealthServer.class).debug("stdout closed: {}", e.getMessage());
        }
    }

    /** The SDK's server, and in gateway mode what keeps the upstreams' tools current (else nothing). */
    private record Built(McpSyncServer server, GatewayTools.Upkeep relister, StatelessServer stateless) {
    }

    private static final GatewayTools.Upkeep NO_UPKEEP = new GatewayTools.Upkeep() {
        @Override
        public void now() {
        }

        @Override
        public void close() {
        }
    };

    private static Built build(McpServer.SyncSpecification<?> spec, ToolUseCases useCases, McpJsonMapper mapper,
                               Cancellations cancellations, StatelessServer stateless) {
        List<SyncToolSpecification> tools = new java.util.ArrayList<>(useCases.tools().stream()
                .map(t -> ToolBinding.of(t, mapper))
                .toList());
        HealthResources resources = new HealthResources(useCases.monitor(), mapper);
        Optional<GatewayCatalog> catalog = useCases.gateway().map(g -> new GatewayCatalog(g, mapper,
                List.of(HealthResources.ALL, HealthResources.TEMPLATE), cancellations));
        Optional<GatewayTools> gateway = useCases.gateway().map(g -> new GatewayTools(g, mapper,
                server -> catalog.orElseThrow().refresh(server), cancellations));
        // the five, by name, for the 2026-07-28 revision's calls (the gateway's it keeps itself: they change)
        Map<String, SyncToolSpecification> own = new java.util.HashMap<>();
        tools.forEach(t -> own.put(t.tool().name(), t));
        gateway.ifPresent(g -> tools.addAll(g.listAll()));
        GatewayCatalog.Specs upstream = gateway.map(g -> catalog.orElseThrow().listAll(g.servedTypes()))
                .orElse(new GatewayCatalog.Specs(List.of(), List.of(), List.of()));
        List<SyncResourceSpecification> ownAndUpstream = new java.util.ArrayList<>(List.of(resources.all()));
        ownAndUpstream.addAll(upstream.resources());
        List<SyncResourceTemplateSpecification> templates = new java.util.ArrayList<>(List.of(resources.one()));
        templates.addAll(upstream.templates());
        McpSchema.ServerCapabilities.Builder capabilities = McpSchema.ServerCapabilities.builder()
                .tools(gateway.isPresent()).logging().resources(false, gateway.isPresent());
        if (gateway.isPresent()) {
            capabilities.prompts(true);
        }
        McpSyncServer server = spec.serverInfo("mcp-health", version())
                .instructions(INSTRUCTIONS)
                .capabilities(capabilities.build())
                .resources(ownAndUpstream)
                .resourceTemplates(templates)
                .prompts(upstream.prompts())
                .validateToolInputs(false)
                // an upstream's sampling or elicitation passed to a client may wait for its user (gateway mode)
                .requestTimeout(CLIENT_REQUEST_TIMEOUT)
                .jsonMapper(mapper)
                .tools(tools)
                .build();
        stateless.attach(server, name -> Optional.ofNullable(own.get(name))
                .or(() -> gateway.flatMap(g -> g.served(name))), INSTRUCTIONS);
        return new Built(server, gateway.map(g -> g.keepCurrent(server)).orElse(NO_UPKEEP), stateless);
    }

    static String version() {
        String v = McpHealthServer.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Where clients connect, over HTTP. */
    public Optional<String> url() {
        return url;
    }

    /** Sends monitor events to the connected clients. */
    public ClientNotifier notifier() {
        return notifier;
    }

    /**
     * What the server does with a monitor event ({@code json}: its line, docs/events.md) besides telling its MCP
     * clients: over HTTP it is pushed to the dashboard's open pages; in gateway mode, an upstream's tools drifting has
     * them listed again at once (and the clients told what changed).
     */
    public void eventSeen(dev.mcphealth.domain.model.MonitorEvent event, String json) {
        web.ifPresent(p -> p.publish(event, json));
        if (event instanceof dev.mcphealth.domain.model.MonitorEvent.ToolsDrifted) {
            relister.now();
        }
    }

    /** An upstream said its tools changed: in gateway mode they are listed again at once (the clients told). */
    public void toolsChanged() {
        relister.now();
    }

    @Override
    public void close() {
        try {
            relister.close();
        } catch (Exception e) {
            // a scheduler's shutdownNow does not fail
        }
        try {
            server.closeGracefully();
        } finally {
            stateless.close();
            web.ifPresent(WebServer::close);
        }
    }
}
