package dev.mcphealth.testkit;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TEST DOUBLE of the MCP Task Orchestrator (EchoingVesper/mcp-task-orchestrator 2.0.0). The real one is a Python MCP
 * server ({@code python -m mcp_task_orchestrator}) that cannot be installed on the build machines, so this JVM program
 * stands in for it: an MCP server over stdio, built on the MCP Java SDK's server API, started as its own process the
 * way MCP Health starts the real one (a stdio server in the config):
 * <pre>java -cp &lt;test class path&gt; dev.mcphealth.testkit.OrchestratorDouble [--state FILE] [controls]</pre>
 * ({@link OrchestratorDoubleProcess} builds that command line and reads the state file.)
 *
 * <p>It serves the fourteen tools of the contract ({@code docs}: the shared reference
 * {@code orchestrator-contract.md}) with their input schemas, and answers each call with ONE text content holding
 * {@code json.dumps(..., indent=2)} with the contract's keys and IDs shaped like the real ones ({@code task_<8 hex>},
 * {@code session_<8 hex>_<epoch seconds>}, {@code artifact_<8 hex>}). The real server's quirks are reproduced on
 * purpose, because a client of it must survive them:
 * <ul>
 *   <li>{@code orchestrator_update_task} updates the task, then answers its router's catch-all, a Python dict repr
 *       (single quotes, not JSON): {@code {'status': 'error', 'error': "Handler error: 'str' object is not a
 *       mapping", 'tool': 'orchestrator_update_task', 'error_type': 'TypeError'}};</li>
 *   <li>{@code orchestrator_query_tasks} answers {@code {"error": "Query execution error", ...}} whenever its result
 *       would be non-empty (an empty result is a normal answer);</li>
 *   <li>{@code orchestrator_synthesize_results} always answers that the parent task is not found;</li>
 *   <li>{@code orchestrator_get_status} has its tasks in {@code active_tasks} (active, in_progress),
 *       {@code pending_tasks}, {@code failed_tasks} and, only with {@code include_completed}, {@code completed_tasks}
 *       (else null), each {@code {success, tasks[], total_count, page_count, current_page, page_size, has_more, ...}}
 *       (twelve keys); its {@code task_summary} is wrong: each count is 12 (the keys of such an object) or null;</li>
 *   <li>{@code orchestrator_restart_server} fails and leaves the server in maintenance mode: from then on
 *       {@code orchestrator_health_check} says {@code healthy: false} until the PROCESS is restarted (maintenance mode
 *       lives in memory, it is not in the state file);</li>
 *   <li>{@code orchestrator_reconnect_test} answers hard-coded values; the health check reports server_version 1.4.1;</li>
 *   <li>arguments outside the schema (a missing required field, a value outside an enum, a timeout outside 10..300)
 *       are rejected as the Python SDK's low-level server does: {@code isError=true},
 *       {@code Input validation error: 'failover_testing' is not one of [...]}. Every other answer, errors
 *       included, has {@code isError=false}, as from the real server.</li>
 * </ul>
 *
 * <p>Test controls (command-line arguments):
 * <ul>
 *   <li>{@code --state FILE}: JSON state (starts, sessions, tasks, the ordered log of every tool call received),
 *       rewritten atomically after each change and loaded again at start, so a test in another process can read what
 *       the double received, also across a restart of the double;</li>
 *   <li>{@code --unhealthy}: start in maintenance mode, as after a failed restart ({@code healthy: false});</li>
 *   <li>{@code --die-after N}: answer N tool calls, then die on receiving the next one (it is logged, never
 *       answered); {@code --die-on TOOL}: die on receiving a call to TOOL (logged, never answered). Dying is
 *       {@code Runtime.halt(}{@value #DIED_EXIT_CODE}{@code )}; counts are per process;</li>
 *   <li>{@code --delay-ms MS}: answer every tool call MS ms late ({@code --slow-tools A,B}: only those tools). Other
 *       requests, pings included, still answer at once, as on an asyncio server whose handler awaits;</li>
 *   <li>{@code --ping-delay-ms MS}: hold each incoming ping MS ms before it is read; everything sent after it waits
 *       too, like a server whose event loop is blocked (a hang);</li>
 *   <li>{@code --first-start-only}: the faults above apply only to the first process on the state file, so a
 *       restart by the monitor heals them (needs {@code --state}).</li>
 * </ul>
 * Nothing but the protocol is written to stdout ({@code System.out} is pointed at stderr); logs go to stderr.
 */
public final class OrchestratorDouble {
    /** The exit code of a process that died as told ({@code --die-after}, {@code --die-on}). */
    public static final int DIED_EXIT_CODE = 3;
    /** The exit code for bad arguments or an unreadable state file. */
    public static final int USAGE_EXIT_CODE = 2;
    /** What the real server calls itself in {@code initialize}. */
    public static final String SERVER_NAME = "task-orchestrator";
    public static final String SERVER_VERSION = "2.0.0";
    /** The names of the fourteen tools, in the order they are listed. */
    public static final List<String> TOOL_NAMES = OrchestratorTools.DEFINITIONS.stream()
            .map(OrchestratorTools.Definition::name).toList();

    static final String USAGE = "usage: java -cp <class path> " + OrchestratorDouble.class.getName()
            + " [--state FILE] [--unhealthy] [--die-after N] [--die-on TOOL] [--delay-ms MS [--slow-tools A,B]]"
            + " [--ping-delay-ms MS] [--first-start-only]";

    private static final Logger LOG = LoggerFactory.getLogger(OrchestratorDouble.class);

    /** The parsed command line. {@code dieAfter} 0 and {@code dieOn} null mean never. */
    public record Options(Path state, boolean unhealthy, int dieAfter, String dieOn, long delayMs,
                          Set<String> slowTools, long pingDelayMs, boolean firstStartOnly) {
        public static final Options DEFAULTS = new Options(null, false, 0, null, 0, Set.of(), 0, false);

        public Options {
            slowTools = Set.copyOf(slowTools);
            if (dieAfter < 0 || delayMs < 0 || pingDelayMs < 0) {
                throw new IllegalArgumentException("counts and delays cannot be negative");
            }
            if (dieOn != null && !TOOL_NAMES.contains(dieOn)) {
                throw new IllegalArgumentException("--die-on: no tool named " + dieOn);
            }
            for (String t : slowTools) {
                if (!TOOL_NAMES.contains(t)) {
                    throw new IllegalArgumentException("--slow-tools: no tool named " + t);
                }
            }
            if (firstStartOnly && state == null) {
                throw new IllegalArgumentException("--first-start-only needs --state (it counts the starts there)");
            }
        }

        public static Options parse(String... args) {
            Path state = null;
            boolean unhealthy = false;
            int dieAfter = 0;
            String dieOn = null;
            long delayMs = 0;
            Set<String> slow = new LinkedHashSet<>();
            long pingDelayMs = 0;
            boolean firstOnly = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--state" -> state = Path.of(value(args, ++i, a));
                    case "--unhealthy" -> unhealthy = true;
                    case "--die-after" -> dieAfter = positive(value(args, ++i, a), a);
                    case "--die-on" -> dieOn = value(args, ++i, a);
                    case "--delay-ms" -> delayMs = positive(value(args, ++i, a), a);
                    case "--slow-tools" -> slow.addAll(Arrays.asList(value(args, ++i, a).split(",")));
                    case "--ping-delay-ms" -> pingDelayMs = positive(value(args, ++i, a), a);
                    case "--first-start-only" -> firstOnly = true;
                    default -> throw new IllegalArgumentException("unknown argument " + a);
                }
            }
            return new Options(state, unhealthy, dieAfter, dieOn, delayMs, slow, pingDelayMs, firstOnly);
        }

        /** The arguments that {@link #parse} turns back into these options. */
        public List<String> toArgs() {
            List<String> args = new ArrayList<>();
            if (state != null) {
                args.addAll(List.of("--state", state.toAbsolutePath().toString()));
            }
            if (unhealthy) {
                args.add("--unhealthy");
            }
            if (dieAfter > 0) {
                args.addAll(List.of("--die-after", Integer.toString(dieAfter)));
            }
            if (dieOn != null) {
                args.addAll(List.of("--die-on", dieOn));
            }
            if (delayMs > 0) {
                args.addAll(List.of("--delay-ms", Long.toString(delayMs)));
            }
            if (!slowTools.isEmpty()) {
                args.addAll(List.of("--slow-tools", String.join(",", slowTools.stream().sorted().toList())));
            }
            if (pingDelayMs > 0) {
                args.addAll(List.of("--ping-delay-ms", Long.toString(pingDelayMs)));
            }
            if (firstStartOnly) {
                args.add("--first-start-only");
            }
            return args;
        }

        private static String value(String[] args, int i, String flag) {
            if (i >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            return args[i];
        }

        private static int positive(String v, String flag) {
            try {
                int n = Integer.parseInt(v);
                if (n < 1) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + " needs a positive whole number, got " + v);
            }
        }
    }

    private final Options options;
    private final OrchestratorDoubleState state;
    private final OrchestratorTools tools;
    private final boolean faults;
    private final long pid = ProcessHandle.current().pid();
    private final Clock clock;

    private OrchestratorDouble(Options options, OrchestratorDoubleState state, Clock clock) {
        this.options = options;
        this.state = state;
        this.clock = clock;
        this.tools = new OrchestratorTools(state, clock);
        this.faults = !options.firstStartOnly() || !state.restarted;
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("orchestrator-double: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(USAGE_EXIT_CODE);
            return;
        }
        PrintStream protocol = System.out;
        System.setOut(System.err); // whatever else prints goes to stderr: stdout is the protocol's alone
        try {
            serve(options, System.in, protocol, Clock.systemUTC());
        } catch (RuntimeException e) {
            LOG.error("orchestrator double cannot start: {}", e.getMessage(), e);
            System.exit(USAGE_EXIT_CODE);
        }
        // main returns; the SDK's non-daemon stdio thread serves until stdin ends, then the JVM exits
    }

    /** Starts serving MCP on {@code in}/{@code out}. */
    static McpSyncServer serve(Options options, InputStream in, OutputStream out, Clock clock) {
        OrchestratorDoubleState state = OrchestratorDoubleState.open(options.state());
        OrchestratorDouble d = new OrchestratorDouble(options, state, clock);
        synchronized (state) {
            if (d.faults && options.unhealthy()) {
                state.maintenanceMode = true;
            }
            Map<String, Object> start = new LinkedHashMap<>();
            start.put("pid", d.pid);
            start.put("started_at", PythonText.awareUtc(clock.instant()));
            start.put("args", options.toArgs());
            start.put("faults_active", d.faults);
            state.starts.add(start);
            state.save();
        }
        LOG.info("orchestrator double (pid {}) serving {} tools over stdio; state {}; {} earlier call(s) loaded",
                d.pid, TOOL_NAMES.size(), options.state() == null ? "in memory" : options.state(),
                state.calls.size());
        McpJsonMapper mapper = McpJsonDefaults.getMapper();
        InputStream input = d.faults && options.pingDelayMs() > 0 ? new PingHolder(in, options.pingDelayMs()) : in;
        StdioServerTransportProvider provider = new StdioServerTransportProvider(mapper, input, out);
        List<SyncToolSpecification> specs = new ArrayList<>();
        for (OrchestratorTools.Definition def : OrchestratorTools.DEFINITIONS) {
            McpSchema.Tool tool = McpSchema.Tool.builder(def.name(), def.inputSchema())
                    .description(def.description()).build();
            specs.add(SyncToolSpecification.builder().tool(tool)
                    .callHandler((exchange, request) -> d.handle(def.name(), request)).build());
        }
        return McpServer.sync(provider)
                .serverInfo(SERVER_NAME, SERVER_VERSION)
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .jsonMapper(mapper)
                .validateToolInputs(false) // it validates itself, with the Python SDK's messages
                .tools(specs)
                .build();
    }

    private McpSchema.CallToolResult handle(String tool, McpSchema.CallToolRequest request) {
        Map<String, Object> args = request.arguments() == null ? Map.of() : request.arguments();
        Map<String, Object> call;
        boolean die;
        synchronized (state) {
            call = state.recordCall(tool, args, pid, PythonText.awareUtc(clock.instant()));
            die = faults && (tool.equals(options.dieOn())
                    || options.dieAfter() > 0 && state.callsThisProcess > options.dieAfter());
            state.save();
        }
        if (die) {
            LOG.warn("dying as told on call #{} ({}), unanswered", call.get("seq"), tool);
            System.err.flush();
            Runtime.getRuntime().halt(DIED_EXIT_CODE);
        }
        if (faults && options.delayMs() > 0 && (options.slowTools().isEmpty() || options.slowTools().contains(tool))) {
            sleep(options.delayMs());
        }
        OrchestratorTools.Answer answer;
        synchronized (state) {
            answer = tools.call(tool, args);
            call.put("answered", true);
            state.save();
        }
        LOG.info("call #{} {} answered{}", call.get("seq"), tool, answer.isError() ? " (isError)" : "");
        return McpSchema.CallToolResult.builder().addTextContent(answer.text()).isError(answer.isError()).build();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Hands stdin on line by line, and holds each ping request for a while before handing it on: as the SDK reads
     * stdin on one thread, whatever follows the ping waits too, as on a server whose event loop is blocked.
     */
    static final class PingHolder extends InputStream {
        private static final Pattern PING = Pattern.compile("\"method\"\\s*:\\s*\"ping\"");
        private final InputStream in;
        private final long holdMs;
        private byte[] line = new byte[0];
        private int pos;

        PingHolder(InputStream in, long holdMs) {
            this.in = in;
            this.holdMs = holdMs;
        }

        private boolean fill() throws IOException {
            if (pos < line.length) {
                return true;
            }
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1) {
                buf.write(b);
                if (b == '\n') {
                    break;
                }
            }
            if (buf.size() == 0) {
                return false;
            }
            line = buf.toByteArray();
            pos = 0;
            if (PING.matcher(new String(line, StandardCharsets.UTF_8)).find()) {
                LOG.info("holding a ping for {} ms", holdMs);
                sleep(holdMs);
            }
            return true;
        }

        @Override
        public int read() throws IOException {
            return fill() ? line[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, line.length - pos);
            System.arraycopy(line, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
