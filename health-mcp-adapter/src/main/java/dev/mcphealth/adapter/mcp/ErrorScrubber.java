package dev.mcphealth.adapter.mcp;

import dev.mcphealth.domain.model.Printable;
import io.modelcontextprotocol.json.McpJsonMapper;
import java.io.IOException;
import java.util.Map;

/**
 * The last check on what leaves the server: a JSON-RPC error whose message shows the server's insides (a Java class or
 * package name, an exception, "Cannot invoke ...", a stack frame: {@link Printable#revealsCode}) is sent with the plain meaning of its code instead,
 * and its {@code data} dropped. The SDK writes such messages when a request reaches a handler it fails in; the gate
 * ({@link JsonRpcGate}) keeps the known ways out, and this catches any left. The full text stays on stderr, where the
 * operator can read it.
 */
final class ErrorScrubber {
    private final McpJsonMapper mapper;

    ErrorScrubber(McpJsonMapper mapper) {
        this.mapper = mapper;
    }

    /** {@code text} cut to {@code max} characters and escaped to one printable line (what a client sent, shown). */
    static String printable(String text, int max) {
        return Printable.escape(text.length() > max ? text.substring(0, max) + "…" : text);
    }

    /** Whether {@code text} shows the server's insides. */
    static boolean internal(String text) {
        return Printable.revealsCode(text) >= 0;
    }

    /** What a client may read of an error with {@code code} whose message is {@code message}. */
    static String safe(int code, String message) {
        return message == null || message.isBlank() || internal(message) ? meaning(code) : printable(message, 300);
    }

    /** The plain meaning of a JSON-RPC error code. */
    static String meaning(int code) {
        return switch (code) {
            case JsonRpcGate.PARSE_ERROR -> "parse error: the message is not valid JSON";
            case JsonRpcGate.INVALID_REQUEST -> "invalid request";
            case JsonRpcGate.METHOD_NOT_FOUND -> "method not found";
            case JsonRpcGate.INVALID_PARAMS -> "invalid params";
            case JsonRpcGate.INTERNAL_ERROR -> "internal error; the server's log has the details";
            default -> "the request failed";
        };
    }

    /**
     * One outgoing JSON-RPC message: itself, unchanged, unless it is an error whose message or data shows the server's
     * insides; then the same error with a safe message and no data.
     */
    String scrub(String json) {
        if (!json.contains("\"error\"")) {
            return json; // cheap: most messages are results and notifications
        }
        Object parsed;
        try {
            parsed = mapper.readValue(json, Object.class);
        } catch (IOException | RuntimeException e) {
            return json;
        }
        if (!(parsed instanceof Map<?, ?> message) || !(message.get("error") instanceof Map<?, ?> error)) {
            return json;
        }
        String text = error.get("message") instanceof String s ? s : null;
        Object data = error.get("data");
        if (!internal(text) && (data == null || !internal(String.valueOf(data)))) {
            return json;
        }
        int code = error.get("code") instanceof Number n ? n.intValue() : JsonRpcGate.INTERNAL_ERROR;
        return JsonRpcGate.errorLine(mapper, message.get("id"), code, safe(code, text));
    }

    /**
     * The body of an HTTP error answer of the transport (a serialized exception, with its stack trace), as a JSON-RPC
     * error with a safe message; {@code id} is the request's, when the gate read one.
     */
    String httpError(int status, String body, Object id) {
        int code = status == 404 || status >= 500 ? JsonRpcGate.INTERNAL_ERROR : JsonRpcGate.INVALID_REQUEST;
        String text = null;
        try {
            Object parsed = mapper.readValue(body, Object.class);
            if (parsed instanceof Map<?, ?> m) {
                Object e = m.get("jsonRpcError") instanceof Map ? m.get("jsonRpcError") : m.get("error");
                if (e instanceof Map<?, ?> err) {
                    code = err.get("code") instanceof Number n ? n.intValue() : code;
                    text = err.get("message") instanceof String s ? s : null;
                }
                if (text == null && m.get("message") instanceof String s) {
                    text = s;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: the status alone says it
        }
        return JsonRpcGate.errorLine(mapper, id, code, text == null || internal(text) ? byStatus(status)
                : printable(text, 300));
    }

    /** An HTTP error the transport sent with {@code sendError}: its message if it is safe to show, else the status's. */
    String httpErrorSaying(int status, String message, Object id) {
        int code = status == 404 || status >= 500 ? JsonRpcGate.INTERNAL_ERROR : JsonRpcGate.INVALID_REQUEST;
        String safe = message == null || message.isBlank() || internal(message) ? byStatus(status)
                : printable(message, 300);
        return JsonRpcGate.errorLine(mapper, id, code, safe);
    }

    private static String byStatus(int status) {
        return switch (status) {
            case 400 -> "bad request";
            case 404 -> "session not found: start a new session with initialize";
            case 405 -> "method not allowed";
            case 406 -> "Accept must list application/json and text/event-stream";
            case 415 -> "Content-Type must be application/json";
            case 503 -> "the server is shutting down";
            default -> status >= 500 ? "internal error; the server's log has the details" : "the request failed";
        };
    }
}
