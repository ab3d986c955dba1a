package dev.mcphealth.adapter.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every message a client sends passes here before the SDK sees it, over stdio and HTTP alike. The SDK's transports
 * end the stdio server at a line that is JSON but not a JSON-RPC message, answer some malformed HTTP requests with a
 * serialized Java exception, and never answer a {@code tools/call} whose params are not an object. So the envelope
 * (an object, {@code jsonrpc: "2.0"}, a method that is a string, an id that is a string or an integer) and the params
 * of every method this server handles are checked here, and what fails gets one JSON-RPC error naming what was wrong.
 * <p>
 * What passes is what the SDK handles well; the checks follow what it needs (found by fuzzing it: see
 * {@code ProtocolFuzzIT}), not more, so that a lenient client is not refused for a field the server does not read.
 */
final class JsonRpcGate {
    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int METHOD_NOT_FOUND = -32601;
    static final int INVALID_PARAMS = -32602;
    static final int INTERNAL_ERROR = -32603;
    static final Set<String> LOG_LEVELS = Set.of("debug", "info", "notice", "warning", "error", "critical", "alert",
            "emergency");
    /** Requests whose params may be left out (or sent as null) because none of them is required. */
    private static final Set<String> PARAMS_OPTIONAL = Set.of("ping", "tools/list", "resources/list",
            "resources/templates/list", "prompts/list");
    private static final int MAX_SHOWN = 80;

    /** What the gate decided about one message. */
    sealed interface Verdict permits Pass, Refuse {
    }

    /**
     * A message to hand on. {@code method} is empty for a response (a client answering a request of the server);
     * {@code request} says whether it expects an answer, {@code id} is a request's id (else null).
     */
    record Pass(String method, boolean request, Object id) implements Verdict {
        boolean initialize() {
            return "initialize".equals(method);
        }
    }

    /**
     * A message refused with a JSON-RPC error. {@code id} is the request's id when it could be read (a String, Long or
     * BigInteger), else null; {@code answerable} is false for a notification or a response, which get no answer (the
     * line is only skipped, over HTTP the status says it); {@code params} says whether only the params were wrong (the
     * envelope was a good request or notification, of {@code method}; else {@code method} is null).
     */
    record Refuse(Object id, int code, String message, boolean answerable, boolean params, String method)
            implements Verdict {
        Refuse(Object id, int code, String message, boolean answerable, boolean params) {
            this(id, code, message, answerable, params, null);
        }
    }

    private final McpJsonMapper mapper;

    JsonRpcGate(McpJsonMapper mapper) {
        this.mapper = mapper;
    }

    /** Parses {@code text} and checks it. Never throws. */
    Verdict check(String text) {
        Object parsed;
        try {
            parsed = mapper.readValue(text, Object.class);
        } catch (IOException | RuntimeException e) {
            // valid JSON past a parser limit (nesting, a name's or a number's length) is said as such, in words
            String said = "";
            for (Throwable t = e; t != null && said.isEmpty(); t = t.getCause()) { // the SDK's mapper wraps Jackson's
                said = t.getMessage() != null && t.getMessage().contains("exceeds") ? t.getMessage() : "";
            }
            String limit = said.isEmpty() ? null
                    : dev.mcphealth.domain.model.Printable.withoutCode(said.replaceAll("'[^']*'", "'…'"));
            return new Refuse(null, PARSE_ERROR, limit != null ? "parse error: the message is past a limit of this "
                    + "server: " + ErrorScrubber.printable(limit, 200)
                    : "parse error: the message is not valid JSON", true, false);
        }
        return check(parsed);
    }

    /** Checks one parsed message (maps, lists, strings, numbers, booleans, null). Never throws. */
    Verdict check(Object parsed) {
        if (parsed instanceof List) {
            return envelope(null, "batches are not supported: send one JSON-RPC message at a time");
        }
        if (!(parsed instanceof Map<?, ?> message)) {
            return envelope(null, "a JSON-RPC message must be a JSON object, got " + kind(parsed));
        }
        boolean hasId = message.containsKey("id");
        Object id = hasId && validId(message.get("id")) ? message.get("id") : null;
        Object jsonrpc = message.get("jsonrpc");
        if (!"2.0".equals(jsonrpc)) {
            return answerIf(!message.containsKey("method") || hasId, id,
                    "jsonrpc must be \"2.0\", got " + shown(jsonrpc));
        }
        if (message.containsKey("method")) {
            Object method = message.get("method");
            if (!(method instanceof String name) || name.isEmpty()) {
                return answerIf(hasId, id, "method must be a non-empty string, got " + shown(method));
            }
            if (!hasId) {
                return notification(name, message.get("params"));
            }
            if (id == null) {
                return envelope(null, "id must be a string or a 64-bit integer, got " + shown(message.get("id")));
            }
            return request(id, name, message.containsKey("params"), message.get("params"));
        }
        return response(message, hasId, id);
    }

    private Verdict request(Object id, String method, boolean hasParams, Object params) {
        if (!hasParams || params == null) {
            if (PARAMS_OPTIONAL.contains(method) || !knows(method)) {
                return new Pass(method, true, id);
            }
            return new Refuse(id, INVALID_PARAMS, method + ": params are required", true, true, method);
        }
        if (!(params instanceof Map<?, ?> p)) {
            return new Refuse(id, INVALID_PARAMS, method + ": params must be an object, got " + kind(params), true,
                    true, method);
        }
        String problem = problem(method, p);
        return problem == null ? new Pass(method, true, id) : new Refuse(id, INVALID_PARAMS, method + ": " + problem,
                true, true, method);
    }

    private static boolean knows(String method) {
        return switch (method) {
            case "initialize", "tools/call", "resources/read", "logging/setLevel", "completion/complete",
                    "prompts/get", "resources/subscribe", "resources/unsubscribe" -> true;
            default -> false;
        };
    }

    /** What is wrong with the params of a request to {@code method}, or null. */
    private static String problem(String method, Map<?, ?> p) {
        String meta = meta(p);
        if (meta != null) {
            return meta;
        }
        switch (method) {
            case "initialize":
                if (!(p.get("protocolVersion") instanceof String v) || v.isBlank()) {
                    return "params.protocolVersion must be a string, got " + shown(p.get("protocolVersion"));
                }
                if (p.containsKey("capabilities") && !(p.get("capabilities") instanceof Map)) {
                    return "params.capabilities must be an object, got " + kind(p.get("capabilities"));
                }
                if (!(p.get("clientInfo") instanceof Map<?, ?> info)) {
                    return "params.clientInfo must be an object, got " + kind(p.get("clientInfo"));
                }
                if (!(info.get("name") instanceof String)) {
                    return "params.clientInfo.name must be a string, got " + shown(info.get("name"));
                }
                if (info.containsKey("version") && info.get("version") != null
                        && !(info.get("version") instanceof String)) {
                    return "params.clientInfo.version must be a string, got " + shown(info.get("version"));
                }
                return null;
            case "tools/call":
                if (!(p.get("name") instanceof String n) || n.isEmpty()) {
                    return "params.name must be the tool's name (a string), got " + shown(p.get("name"));
                }
                Object args = p.get("arguments");
                if (args != null && !(args instanceof Map)) {
                    return "params.arguments must be an object, got " + kind(args);
                }
                return null;
            case "resources/read", "resources/subscribe", "resources/unsubscribe":
                if (!(p.get("uri") instanceof String u) || u.isEmpty()) {
                    return "params.uri must be a string, got " + shown(p.get("uri"));
                }
                return null;
            case "logging/setLevel":
                if (!(p.get("level") instanceof String level) || !LOG_LEVELS.contains(level)) {
                    return "params.level must be one of " + String.join(", ", LOG_LEVELS.stream().sorted().toList())
                            + ", got " + shown(p.get("level"));
                }
                return null;
            case "tools/list", "resources/list", "resources/templates/list", "prompts/list":
                if (p.get("cursor") != null && !(p.get("cursor") instanceof String)) {
                    return "params.cursor must be a string, got " + kind(p.get("cursor"));
                }
                return null;
            default:
                return null;
        }
    }

    /** {@code _meta}, if sent, must be an object whose progress token is a string or an integer. */
    private static String meta(Map<?, ?> p) {
        if (!p.containsKey("_meta") || p.get("_meta") == null) {
            return null;
        }
        if (!(p.get("_meta") instanceof Map<?, ?> meta)) {
            return "params._meta must be an object, got " + kind(p.get("_meta"));
        }
        Object token = meta.get("progressToken");
        if (token != null && !validId(token)) {
            return "params._meta.progressToken must be a string or a 64-bit integer, got " + shown(token);
        }
        return null;
    }

    private static Verdict notification(String method, Object params) {
        if (params != null && !(params instanceof Map)) {
            return new Refuse(null, INVALID_PARAMS, method + ": params must be an object, got " + kind(params),
                    false, true, method);
        }
        if (params instanceof Map<?, ?> p) {
            String meta = meta(p);
            if (meta != null) {
                return new Refuse(null, INVALID_PARAMS, method + ": " + meta, false, true, method);
            }
            if ("notifications/cancelled".equals(method) && p.get("requestId") != null
                    && !validId(p.get("requestId"))) {
                return new Refuse(null, INVALID_PARAMS, method + ": params.requestId must be a string or an integer",
                        false, true, method);
            }
        }
        return new Pass(method, false, null);
    }

    /** A client's answer to a request of the server (sampling, roots, elicitation, ping). */
    private static Verdict response(Map<?, ?> message, boolean hasId, Object id) {
        boolean result = message.containsKey("result");
        boolean error = message.containsKey("error");
        if (!hasId || (!result && !error)) {
            return new Refuse(null, INVALID_REQUEST, "not a JSON-RPC request, notification or response (no method, "
                    + "or no id with a result or an error)", true, false);
        }
        if (id == null) {
            return new Refuse(null, INVALID_REQUEST, "a response's id must be a string or an integer", false, false);
        }
        if (result && error) {
            return new Refuse(null, INVALID_REQUEST, "a response has a result or an error, not both", false, false);
        }
        if (error && !(message.get("error") instanceof Map<?, ?> e && e.get("code") instanceof Number code
                && integral(code) && e.get("message") instanceof String)) {
            return new Refuse(null, INVALID_REQUEST, "a response's error must be an object with an integer code and "
                    + "a message", false, false);
        }
        return new Pass("", false, null);
    }

    private static Refuse envelope(Object id, String message) {
        return new Refuse(id, INVALID_REQUEST, "invalid request: " + message, true, false);
    }

    /** An envelope error: answered when the message asked for an answer (had an id), else only skipped. */
    private static Refuse answerIf(boolean answerable, Object id, String message) {
        return new Refuse(id, INVALID_REQUEST, "invalid request: " + message, answerable, false);
    }

    /**
     * The id kinds MCP allows: a string or an integer (not null, not a fraction), and an integer that fits 64 bits: the
     * SDK stops reading at a larger one.
     */
    static boolean validId(Object id) {
        return id instanceof String || (id instanceof Number n && integral(n) && !(n instanceof BigInteger));
    }

    private static boolean integral(Number n) {
        return n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
                || n instanceof BigInteger;
    }

    /** The JSON-RPC error answering {@code refusal}, as one line of JSON. */
    String errorLine(Refuse refusal) {
        return errorLine(mapper, refusal.id(), refusal.code(), refusal.message());
    }

    /** A JSON-RPC error answering the request {@code id} (null when unknown), as one line of JSON. */
    String errorLine(Object id, int code, String message) {
        return errorLine(mapper, id, code, message);
    }

    static String errorLine(McpJsonMapper mapper, Object id, int code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("jsonrpc", "2.0");
        answer.put("id", id);
        answer.put("error", error);
        try {
            return mapper.writeValueAsString(answer);
        } catch (IOException e) {
            // a map of strings and numbers always serializes; this is never reached
            return "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":" + code + ",\"message\":\"error\"}}";
        }
    }

    /** What kind of JSON value {@code v} is, for messages. */
    static String kind(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "an array";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        return v instanceof Number n && integral(n) ? "an integer" : "a number";
    }

    /** A short, printable rendering of a scalar a client sent (its kind for anything else). */
    static String shown(Object v) {
        if (v instanceof String s) {
            return "\"" + ErrorScrubber.printable(s, MAX_SHOWN) + "\"";
        }
        if (v instanceof Number || v instanceof Boolean) {
            return ErrorScrubber.printable(String.valueOf(v), MAX_SHOWN);
        }
        return kind(v);
    }
}
