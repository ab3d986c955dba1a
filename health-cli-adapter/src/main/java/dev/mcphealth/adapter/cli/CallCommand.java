package dev.mcphealth.adapter.cli;

import dev.mcphealth.application.port.in.CallToolUseCase;
import dev.mcphealth.application.port.in.UnknownServerTypeException;
import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.Printable;
import dev.mcphealth.domain.model.ServerType;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code mcp-health call}: a tool call through the resilient client, once or in a loop with a summary. */
@Command(name = "call", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {
            "Calls a tool on a server type through the resilient client: healthy instances first, circuit breakers, "
                + "restarts and reconnects with backoff, failover to other instances and the fallback type, fail-fast "
                + "when nothing can serve. The servers are watched meanwhile and everything is recorded.",
            "Once: prints the tool's text (--json: the whole result). With --repeat or --duration: calls in a loop "
                + "and prints a summary."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every call was served (a tool's own isError counts as served)",
            "2:at least one call failed or could not be served",
            "3:usage, configuration or database error"})
public final class CallCommand implements Callable<Integer> {

    private final WatchSessions sessions;
    private final Clock clock;
    private final WatchCommand.Stopper stopper;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Mixin
    DatabaseOption db;

    @Option(names = {"-t", "--server-type"}, required = true, paramLabel = "TYPE",
            description = "the server type to call (health.servers.X.serverType; default: the server's name)")
    String serverType;

    @Option(names = "--tool", required = true, paramLabel = "NAME", description = "the tool to call")
    String tool;

    @Option(names = "--args", paramLabel = "JSON", defaultValue = "{}",
            description = "the tool's arguments as a JSON object; default: ${DEFAULT-VALUE}")
    String args;

    @Option(names = "--repeat", paramLabel = "N", description = "call N times (1..1000000) and print a summary")
    Integer repeat;

    @Option(names = "--duration", paramLabel = "DURATION",
            description = "call in a loop for this long (10s, 5m) and print a summary")
    String duration;

    @Option(names = "--interval", paramLabel = "SECONDS",
            description = "probe the servers this often meanwhile (1..86400); default: their own intervals")
    Integer interval;

    @Option(names = "--json", description = "print JSON: the result, or the summary")
    boolean json;

    /** {@code stopper} tells a loop of the user's Ctrl-C (or SIGTERM): it ends, records, and sums up. */
    public CallCommand(WatchSessions sessions, Clock clock, WatchCommand.Stopper stopper) {
        this.sessions = sessions;
        this.clock = clock;
        this.stopper = stopper;
    }

    @Override
    public Integer call() {
        Map<String, Object> arguments = parseArgs();
        ServerType type = parseType();
        Optional<Duration> runFor = parseDuration();
        if (repeat != null && runFor.isPresent()) {
            throw new ParameterException(spec.commandLine(), "give --repeat or --duration, not both");
        }
        if (repeat != null && (repeat < 1 || repeat > 1_000_000)) {
            throw new ParameterException(spec.commandLine(), "--repeat must be 1..1000000, got " + repeat);
        }
        Optional<Duration> every = CliArgs.interval(spec, interval);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean loop = repeat != null || runFor.isPresent();
        try (WatchSession session = sessions.open(config.file(), db.file(),
                every, CheckDepth.BASIC, Optional.empty(),
                e -> event(err, e), false)) {
            session.start();
            CallToolUseCase.Command command = new CallToolUseCase.Command(type, tool, arguments);
            if (!loop) {
                CallToolUseCase.Result r = session.client().call(command);
                print(out, err, r);
                return r instanceof CallToolUseCase.Served ? ExitCodes.OK : ExitCodes.CRITICAL;
            }
            Summary summary = new Summary();
            Instant end = runFor.map(d -> clock.instant().plus(d)).orElse(Instant.MAX);
            int n = repeat == null ? Integer.MAX_VALUE : repeat;
            // Ctrl-C ends the loop after the call under way, then the calls are recorded and summed up as at its end
            java.util.concurrent.atomic.AtomicBoolean interrupted = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
            AutoCloseable hook = stopper.onInterrupt(() -> interrupted.set(true), finished);
            try {
                for (int i = 0; i < n && clock.instant().isBefore(end) && !interrupted.get(); i++) {
                    CallToolUseCase.Result r = session.client().call(command);
                    if (interrupted.get() && !(r instanceof CallToolUseCase.Served)) {
                        // Ctrl-C in a terminal reaches the stdio servers too (one process group): the call under way
                        // failed of the interrupt, not of the server, and is not counted as the server's failure
                        break;
                    }
                    summary.add(r);
                }
                session.stop(Duration.ofSeconds(5));
            } finally {
                finished.countDown();
                try {
                    hook.close();
                } catch (Exception removing) {
                    // the JVM's handlers are put back as they were: nothing there throws
                }
            }
            if (json) {
                out.println(summary.json());
            } else {
                out.println(summary.text());
            }
            out.flush();
            return summary.failed == 0 ? ExitCodes.OK : ExitCodes.CRITICAL;
        } catch (UnknownServerTypeException e) {
            throw new ParameterException(spec.commandLine(), "--server-type: " + e.getMessage());
        }
    }

    private void event(PrintWriter err, MonitorEvent e) {
        if (e instanceof MonitorEvent.FailedOver || e instanceof MonitorEvent.RecoveryStarted
                || e instanceof MonitorEvent.RecoverySucceeded || e instanceof MonitorEvent.RecoveryFailed
                || e instanceof MonitorEvent.RecoveryExhausted || e instanceof MonitorEvent.BreakerChanged) {
            synchronized (err) {
                err.println("mcp-health: " + WatchCommand.line(e));
                err.flush();
            }
        }
    }

    private void print(PrintWriter out, PrintWriter err, CallToolUseCase.Result r) {
        if (json) {
            out.println(resultJson(r));
        } else if (r instanceof CallToolUseCase.Served s) {
            // the tool's text as laid out, but no escape sequence of the server's reaches the terminal (--json: raw)
            s.reply().texts().forEach(t -> out.println(Printable.escapeKeepingLines(t)));
            if (s.reply().error()) {
                err.println("mcp-health: the tool reported an error (isError) on "
                        + Printable.escape(s.servedBy().value()));
            }
        } else {
            err.println("mcp-health: " + Printable.escape(failure(r)));
        }
        out.flush();
        err.flush();
    }

    private static String failure(CallToolUseCase.Result r) {
        if (r instanceof CallToolUseCase.Unavailable u) {
            return u.message();
        }
        if (r instanceof CallToolUseCase.Cancelled c) {
            return "cancelled: " + c.reason();
        }
        CallToolUseCase.Failed f = (CallToolUseCase.Failed) r;
        return f.lastTried().value() + ": " + f.type().code() + " (" + f.message() + ")";
    }

    private static String resultJson(CallToolUseCase.Result r) {
        ObjectNode o = CliJson.MAPPER.createObjectNode();
        o.put("attempts", r.attempts());
        if (r instanceof CallToolUseCase.Served s) {
            o.put("ok", true);
            o.put("servedBy", s.servedBy().value());
            o.put("latencyMs", s.latency().toNanos() / 1e6);
            o.put("failovers", s.failovers());
            o.put("isError", s.reply().error());
            JsonNode result;
            try {
                result = CliJson.MAPPER.readTree(s.reply().json());
            } catch (JacksonException e) {
                result = CliJson.MAPPER.getNodeFactory().stringNode(s.reply().json());
            }
            o.set("result", result);
        } else if (r instanceof CallToolUseCase.Unavailable u) {
            o.put("ok", false);
            o.put("error", "unavailable");
            o.put("message", u.message());
            o.put("retryAfterSeconds", u.retryAfter().toMillis() / 1000.0);
        } else if (r instanceof CallToolUseCase.Cancelled c) {
            o.put("ok", false);
            o.put("error", "cancelled");
            o.put("message", c.reason());
        } else {
            CallToolUseCase.Failed f = (CallToolUseCase.Failed) r;
            o.put("ok", false);
            o.put("error", f.type().code());
            o.put("message", f.message());
            o.put("lastTried", f.lastTried().value());
        }
        return o.toString();
    }

    /** What a loop of calls came to. */
    private static final class Summary {
        int ok;
        int failed;
        int failovers;
        final List<Long> nanos = new ArrayList<>();
        private boolean sorted;
        final Map<String, Integer> errors = new TreeMap<>();

        void add(CallToolUseCase.Result r) {
            if (r instanceof CallToolUseCase.Served s) {
                ok++;
                failovers += s.failovers();
                nanos.add(s.latency().toNanos());
                sorted = false;
            } else {
                failed++;
                String type = r instanceof CallToolUseCase.Unavailable ? "unavailable"
                        : r instanceof CallToolUseCase.Cancelled ? "cancelled"
                        : ((CallToolUseCase.Failed) r).type().code();
                errors.merge(type, 1, Integer::sum);
            }
        }

        /** Nearest rank; the latencies are sorted once, when the loop is over. */
        double percentileMs(double p) {
            if (nanos.isEmpty()) {
                return 0;
            }
            if (!sorted) {
                Collections.sort(nanos);
                sorted = true;
            }
            int i = (int) Math.ceil(p * nanos.size()) - 1;
            return nanos.get(Math.max(0, Math.min(nanos.size() - 1, i))) / 1e6;
        }

        String json() {
            ObjectNode o = CliJson.MAPPER.createObjectNode();
            o.put("ok", ok);
            o.put("failed", failed);
            o.put("failovers", failovers);
            o.put("p50Ms", Math.round(percentileMs(0.50) * 1000) / 1000.0);
            o.put("p99Ms", Math.round(percentileMs(0.99) * 1000) / 1000.0);
            ObjectNode e = o.putObject("errors");
            errors.forEach(e::put);
            return o.toString();
        }

        String text() {
            return String.format("%d calls: %d ok, %d failed, %d failovers; p50 %.2f ms, p99 %.2f ms%s",
                    ok + failed, ok, failed, failovers, percentileMs(0.50), percentileMs(0.99),
                    errors.isEmpty() ? "" : "; errors " + errors);
        }
    }

    private Map<String, Object> parseArgs() {
        try {
            JsonNode node = CliJson.MAPPER.readTree(args);
            if (node == null || !node.isObject()) {
                throw new ParameterException(spec.commandLine(), "--args must be a JSON object, like {\"message\": \"hi\"}");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = CliJson.MAPPER.convertValue(node, Map.class);
            return map;
        } catch (JacksonException e) {
            throw new ParameterException(spec.commandLine(), "--args is not valid JSON: "
                    + Printable.escape(Printable.withoutCode(e.getOriginalMessage())));
        }
    }

    private ServerType parseType() {
        return CliArgs.parse(spec, "--server-type", () -> ServerType.of(serverType));
    }

    private Optional<Duration> parseDuration() {
        return CliArgs.duration(spec, "--duration", duration);
    }
}
