package dev.mcphealth.adapter.mcp;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.Tuple;
import net.jqwik.api.sessions.JqwikSession;

/**
 * What a careless or hostile client sends an MCP server, one frame (a line over stdio, a body over HTTP) at a time:
 * broken envelopes (wrong jsonrpc, ids of every JSON kind, methods that are not strings), params of every kind for
 * the methods the server handles, tool calls with made-up and mistyped arguments, and raw text that is not JSON-RPC
 * (scalars, batches, truncated and deeply nested JSON, control characters). Generated with jqwik from a seed, so a
 * failing run can be repeated ({@code -Dmcphealth.fuzz.seed=N}).
 */
final class HostileFrames {
    static final McpJsonMapper MAPPER = McpJsonDefaults.getMapper();
    /** What must never reach a client or a log: Java's insides. Independent of the server's own scrubber. */
    // io.modelcontextprotocol followed by a slash is the protocol's own _meta key prefix (the 2026-07-28 revision's
    // "io.modelcontextprotocol/protocolVersion", "/serverInfo"), named in answers on purpose; followed by anything else
    // (a package, a module's classes in a stack trace: "io.modelcontextprotocol.spec.") it is an internal
    static final Pattern LEAK = Pattern.compile("stackTrace|[A-Za-z](?:Exception|Error)\\b(?<!isError)|\\bjava\\.[a-z]"
            + "|io\\.modelcontextprotocol(?!/)|tools\\.jackson|com\\.fasterxml|dev\\.mcphealth|Cannot invoke|\\$[A-Z][a-z]"
            + "|\\.java:\\d|\\n\\s*at [a-z]");
    static final List<String> TOOLS = List.of(IntegrationMonitorTool.NAME, FailoverCoordinatorTool.NAME,
            PerformanceOptimizerTool.NAME, HealthDashboardsTool.NAME, RecoverySystemTool.NAME);
    private static final List<String> METHODS = List.of("initialize", "ping", "tools/list", "tools/call",
            "resources/list", "resources/read", "resources/templates/list", "prompts/list", "prompts/get",
            "logging/setLevel", "completion/complete", "server/discover", "resources/subscribe",
            "notifications/initialized", "notifications/cancelled", "notifications/progress", "rpc.discover", "");
    private static final List<String> KEYS = List.of("action", "server_types", "check_depth", "auto_recovery",
            "window", "server_type", "failure_type", "recovery_strategy", "optimization_target", "apply", "view",
            "server", "server_name", "orchestrator_session_id", "time_range", "x", "__proto__", "level", "uri",
            "cursor", "name", "arguments");

    private HostileFrames() {
    }

    /** {@code count} frames from {@code seed} (the same ones every time). */
    static List<String> generate(long seed, int count) {
        return generate(frame(), seed, count);
    }

    /** {@code count} tool calls (made-up and mistyped arguments, valid ones too) from {@code seed}. */
    static List<String> toolCalls(long seed, int count) {
        return generate(toolCall().map(HostileFrames::json), seed, count);
    }

    private static List<String> generate(Arbitrary<String> arbitrary, long seed, int count) {
        List<String> out = new ArrayList<>(count);
        JqwikSession.start();
        try {
            Random random = new Random(seed);
            RandomGenerator<String> frames = arbitrary.generator(1000);
            for (int i = 0; i < count; i++) {
                out.add(frames.next(random).value());
            }
        } finally {
            JqwikSession.finish();
        }
        return out;
    }

    static Arbitrary<String> frame() {
        return Arbitraries.frequencyOf(
                Tuple.of(5, message().map(HostileFrames::json)),
                Tuple.of(4, toolCall().map(HostileFrames::json)),
                Tuple.of(2, raw()));
    }

    /** The id a client would wait on an answer for: a valid id of a message with a method (else null). */
    static Object expectedId(String frame) {
        Object parsed;
        try {
            parsed = MAPPER.readValue(frame, Object.class);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (parsed instanceof Map<?, ?> m && m.get("method") instanceof String && usableId(m.get("id"))) {
            return m.get("id");
        }
        return null;
    }

    /** An id a client may expect an answer for: a string, or an integer that fits 64 bits (MCP's rule, read here). */
    private static boolean usableId(Object id) {
        return id instanceof String || id instanceof Integer || id instanceof Long || id instanceof Short
                || id instanceof Byte;
    }

    private static Arbitrary<Map<String, Object>> message() {
        Arbitrary<Object> jsonrpc = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just("2.0")),
                Tuple.of(1, Arbitraries.of("1.0", "2", "", "2.0 ", "<absent>")), Tuple.of(1, scalar()));
        Arbitrary<Object> method = Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.of(METHODS).map(m -> m)),
                Tuple.of(1, scalar()));
        return Arbitraries.of(true, false).flatMap(withId -> Arbitraries.of(true, false).flatMap(withParams ->
                jsonrpc.flatMap(j -> method.flatMap(m -> id().flatMap(i -> params().map(p -> {
                    Map<String, Object> msg = new LinkedHashMap<>();
                    if (!"<absent>".equals(j)) {
                        msg.put("jsonrpc", j);
                    }
                    if (withId) {
                        msg.put("id", i);
                    }
                    msg.put("method", m);
                    if (withParams) {
                        msg.put("params", p);
                    }
                    return msg;
                }))))));
    }

    private static Arbitrary<Map<String, Object>> toolCall() {
        Arbitrary<String> name = Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.of(TOOLS)),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(20)));
        Arbitrary<Object> arguments = Arbitraries.frequencyOf(Tuple.of(8, arguments().map(a -> a)),
                Tuple.of(1, scalar()), Tuple.of(1, Arbitraries.just(List.of(1, 2))));
        return name.flatMap(n -> arguments.flatMap(a -> validIdValue().map(i -> {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("name", n);
            params.put("arguments", a);
            Map<String, Object> msg = new LinkedHashMap<>();
            msg.put("jsonrpc", "2.0");
            msg.put("id", i);
            msg.put("method", "tools/call");
            msg.put("params", params);
            return msg;
        })));
    }

    private static Arbitrary<Map<String, Object>> arguments() {
        return Arbitraries.maps(Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.of(KEYS)),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(12))), value()).ofMaxSize(5)
                .map(LinkedHashMap::new);
    }

    private static Arbitrary<Object> params() {
        Arbitrary<Object> object = Arbitraries.maps(Arbitraries.of(KEYS), value()).ofMaxSize(4).map(m -> m);
        Arbitrary<Object> initialize = Arbitraries.of("2025-06-18", "2025-11-25", "2024-11-05", "1999-01-01", "")
                .flatMap(v -> value().map(x -> Map.of("protocolVersion", v, "capabilities", Map.of(),
                        "clientInfo", Map.of("name", "fuzz", "version", x instanceof String s ? s : "1"))));
        return Arbitraries.frequencyOf(Tuple.of(5, object), Tuple.of(2, initialize), Tuple.of(2, scalar()),
                Tuple.of(1, Arbitraries.just(List.of("a"))));
    }

    private static Arbitrary<Object> id() {
        return Arbitraries.frequencyOf(Tuple.of(6, validIdValue()), Tuple.of(1, Arbitraries.just(1.5).map(x -> x)),
                Tuple.of(1, Arbitraries.just(Map.of("a", 1)).map(x -> x)), Tuple.of(1, Arbitraries.just(List.of())
                        .map(x -> x)), Tuple.of(1, Arbitraries.of(true, false).map(x -> x)),
                Tuple.of(1, Arbitraries.just("<null>").map(x -> null)));
    }

    private static Arbitrary<Object> validIdValue() {
        return Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.integers().between(-5, 1_000_000).map(x -> x)),
                Tuple.of(3, Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(10).map(x -> "f" + x)),
                Tuple.of(1, Arbitraries.just(new BigInteger("123456789012345678901234567890")).map(x -> x)),
                Tuple.of(1, Arbitraries.just(Long.MAX_VALUE).map(x -> x)));
    }

    private static Arbitrary<Object> value() {
        return Arbitraries.frequencyOf(Tuple.of(6, scalar()),
                Tuple.of(1, Arbitraries.just(List.of("demo", "kv", "nosuch")).map(x -> x)),
                Tuple.of(1, Arbitraries.just(Map.of("k", "v")).map(x -> x)));
    }

    /** Scalars, including the words the tools do know and text a terminal would obey. */
    private static Arbitrary<Object> scalar() {
        return Arbitraries.oneOf(
                Arbitraries.of("health_check", "performance_scan", "failure_analysis", "optimization_report",
                        "overview", "status", "recover", "latency", "cost", "demo", "kv", "timeout", "auto",
                        "restart", "basic", "comprehensive", "1h", "24h", "-1s", "everything", "memory",
                        "debug", "error", "health://servers", "\u001b[31mred\u001b[0m", "\u202eevil", "").map(x -> x),
                Arbitraries.strings().ofMaxLength(30).map(x -> x),
                Arbitraries.integers().map(x -> x),
                Arbitraries.doubles().map(x -> x),
                Arbitraries.of(true, false).map(x -> x),
                Arbitraries.just("<null>").map(x -> null));
    }

    /** Text that is not a JSON-RPC message: never a newline in it (one frame is one line). */
    private static Arbitrary<String> raw() {
        return Arbitraries.oneOf(
                Arbitraries.of("{}", "[]", "42", "\"hi\"", "null", "true", "{", "}", "[{\"jsonrpc\":\"2.0\"}]",
                        "{\"jsonrpc\":\"2.0\",\"id\":1}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{},\"error\":{}}",
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":\"x\"}}", "\uFEFF{}", "\u0000",
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"method\":\"tools/list\"}"),
                Arbitraries.integers().between(1, 5000).map(n -> "[".repeat(n) + "]".repeat(n)),
                Arbitraries.integers().between(1, 2000).map(n -> "{\"a\":".repeat(n) + "1" + "}".repeat(n)),
                Arbitraries.strings().ofMaxLength(200).map(s -> s.replace('\n', ' ').replace('\r', ' ')),
                message().map(HostileFrames::json).map(j -> j.substring(0, j.length() / 2)));
    }

    private static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The lines of {@code text} that leak Java's insides (for the message of a failed assertion). */
    static List<String> leaks(String text) {
        List<String> out = new ArrayList<>();
        java.util.regex.Matcher m = LEAK.matcher(text);
        while (m.find() && out.size() < 5) {
            out.add(text.substring(Math.max(0, m.start() - 60), Math.min(text.length(), m.end() + 60)));
        }
        return out;
    }
}
