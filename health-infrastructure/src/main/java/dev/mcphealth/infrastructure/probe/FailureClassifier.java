package dev.mcphealth.infrastructure.probe;

import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.Printable;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpTransportException;
import io.modelcontextprotocol.spec.McpTransportSessionNotFoundException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns whatever a probe step threw into a failure type and a message a person can act on. The SDK reports HTTP
 * statuses other than 401/403 only in its exception messages, so those are read for the code.
 */
final class FailureClassifier {
    /** The SDK's words for an answer that is neither JSON nor an event stream (an HTML page, say). */
    private static final Pattern MEDIA_TYPE = Pattern.compile("Unknown media type(?: returned)?:? ?([^\\s;,]{1,80})",
            Pattern.CASE_INSENSITIVE);
    /**
     * The SDK's words for an HTTP answer over its bound (16 MiB by default): a body that never ends, or one too large
     * to hold. Recognised before {@link #describe}, which cuts a message at "response body".
     */
    private static final Pattern TOO_LARGE = Pattern.compile("exceeds the maximum allowed size of (\\d{1,19}) bytes");
    private static final Pattern STATUS = Pattern.compile(
            "(?:status code:? ?|non-OK HTTP code: |SSE stream: )(\\d{3})", Pattern.CASE_INSENSITIVE);

    record Classified(FailureType type, String message) {
    }

    private FailureClassifier() {
    }

    /** @param step what was being done ("initialize", "ping", ...), @param timeout the time it was allowed */
    static Classified classify(Throwable thrown, String step, Duration timeout) {
        Throwable t = unwrap(thrown);
        for (Throwable c = thrown; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof dev.mcphealth.infrastructure.auth.AuthorizationException auth) {
                // the server itself unreachable while its authorization was looked up: a connection error
                if (auth.isServerUnreachable()) {
                    return new Classified(FailureType.CONNECTION_ERROR, auth.getMessage() + " (before " + step + ")");
                }
                // no token could be obtained: the reason, which names the authorization server and its answer
                return new Classified(FailureType.AUTHENTICATION, auth.getMessage() + " (before " + step + ")");
            }
        }
        if (t instanceof ServerStartException) {
            return new Classified(FailureType.CONNECTION_ERROR, t.getMessage());
        }
        if (t instanceof ServerUnreachableException) {
            return new Classified(FailureType.CONNECTION_ERROR, t.getMessage() + " during " + step);
        }
        if (t instanceof ServerExitedException) {
            return new Classified(FailureType.CONNECTION_ERROR, t.getMessage() + " during " + step);
        }
        if (t instanceof TimeoutException || t instanceof HttpConnectTimeoutException
                || t instanceof HttpTimeoutException) {
            return new Classified(FailureType.TIMEOUT, "no answer to " + step + " within " + timeout.toMillis() + " ms");
        }
        if (t instanceof ConnectException || t instanceof ClosedChannelException || t instanceof NoRouteToHostException
                || t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
            String what = t instanceof ConnectException ? "connection refused"
                    : t instanceof UnknownHostException || t instanceof UnresolvedAddressException ? "unknown host"
                    : t instanceof NoRouteToHostException ? "no route to host" : "connection closed";
            return new Classified(FailureType.CONNECTION_ERROR, what + " during " + step);
        }
        if (t instanceof McpHttpClientTransportAuthorizationException auth) {
            int status = auth.getResponseInfo() == null ? 401 : auth.getResponseInfo().statusCode();
            return byStatus(status, step);
        }
        if (t instanceof McpError error) {
            var rpc = error.getJsonRpcError();
            String detail = rpc == null ? error.getMessage() : "JSON-RPC error " + rpc.code() + ": " + rpc.message();
            return new Classified(FailureType.SERVER_ERROR, step + " failed: " + detail);
        }
        if (t instanceof McpTransportSessionNotFoundException) {
            // the session is lost as surely as a broken connection: only a new one helps
            return new Classified(FailureType.CONNECTION_ERROR, "the server no longer knows our session (restarted?)"
                    + " during " + step);
        }
        if (t instanceof McpTransportException) {
            Matcher m = STATUS.matcher(String.valueOf(t.getMessage()));
            if (m.find()) {
                return byStatus(Integer.parseInt(m.group(1)), step);
            }
            Matcher type = MEDIA_TYPE.matcher(String.valueOf(t.getMessage()));
            if (type.find()) {
                return new Classified(FailureType.SERVER_ERROR, "the server answered " + step + " with "
                        + Printable.escape(type.group(1).strip()) + ", not MCP's JSON or event stream (is the URL "
                        + "its MCP endpoint?)");
            }
        }
        if (t instanceof ProtocolViolationException) {
            return new Classified(FailureType.SERVER_ERROR, t.getMessage());
        }
        Matcher tooLarge = TOO_LARGE.matcher(String.valueOf(t.getMessage()));
        if (tooLarge.find()) {
            return new Classified(FailureType.SERVER_ERROR, "the server's answer to " + step + " was over the limit of "
                    + tooLarge.group(1) + " bytes");
        }
        Throwable c = thrown;
        for (int depth = 0; c != null && depth < 10; depth++, c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof tools.jackson.core.exc.StreamConstraintsException limit && !written(limit)) {
                return new Classified(FailureType.SERVER_ERROR, "an answer of the server during " + step + " is past a"
                        + " limit of the JSON parser (too long, or nested too deep)");
            }
            // what the SDK's reader refused (over HTTP its parse fails the request), in words that name its classes;
            // not an I/O failure Jackson wraps, nor our own writing or mapping
            if (readRefused(c)) {
                return new Classified(FailureType.SERVER_ERROR, "an answer of the server during " + step + " could not"
                        + " be read as an MCP message" + (String.valueOf(c.getMessage()).contains(
                                "MUST either have a result or error") ? " (a response has a result or an error, one of"
                                + " them)" : ""));
            }
        }
        return new Classified(FailureType.SERVER_ERROR, step + " failed: " + describe(t));
    }

    private static boolean readRefused(Throwable c) {
        return c instanceof tools.jackson.core.exc.StreamReadException
                || c instanceof tools.jackson.databind.DatabindException d
                && !(d instanceof tools.jackson.databind.exc.InvalidDefinitionException) && !written(d);
    }

    /** Whether Jackson failed writing (our request), not reading (the server's answer). */
    private static boolean written(tools.jackson.core.JacksonException e) {
        return e.processor() instanceof tools.jackson.core.JsonGenerator;
    }

    static Classified byStatus(int status, String step) {
        if (status == 401 || status == 403) {
            return new Classified(FailureType.AUTHENTICATION, "HTTP " + status + " (credentials refused) on " + step);
        }
        if (status == 429) {
            return new Classified(FailureType.RATE_LIMIT, "HTTP 429 (rate limited) on " + step);
        }
        if (status >= 500) {
            return new Classified(FailureType.SERVER_ERROR, "HTTP " + status + " (server error) on " + step);
        }
        if (status >= 300 && status < 400) {
            // never followed (Transports): it may lead off this machine, with the configured headers
            return new Classified(FailureType.SERVER_ERROR, "HTTP " + status + " on " + step + ": a redirect, which"
                    + " is not followed (set the url to the address it points to)");
        }
        return new Classified(FailureType.SERVER_ERROR, "HTTP " + status + " on " + step);
    }

    /**
     * An unexpected exception in one line, without what the server sent: a response body or the text a parser choked
     * on may carry anything, secrets included.
     */
    static String describe(Throwable t) {
        String m = t.getMessage() == null ? "" : t.getMessage().lines().findFirst().orElse("");
        for (String cut : new String[] {"response body", " at [Source", "\n"}) {
            int i = m.indexOf(cut);
            if (i >= 0) {
                m = m.substring(0, i);
            }
        }
        m = m.replaceAll("'[^']*'", "'…'").replaceAll("\"[^\"]*\"", "\"…\"").strip();
        if (m.endsWith(",") || m.endsWith(":")) {
            m = m.substring(0, m.length() - 1);
        }
        if (m.length() > 200) {
            m = m.substring(0, 200) + "…";
        }
        // never the exception's class: a user can do nothing with it, and it tells others what runs here
        return m.isEmpty() || Printable.revealsCode(m) >= 0 ? "an unexpected failure" : m;
    }

    /** Peels reactor, future and wrapper exceptions down to the one that says what happened. */
    static Throwable unwrap(Throwable thrown) {
        Throwable t = thrown;
        for (int i = 0; i < 10 && t.getCause() != null; i++) {
            if (t instanceof ProbeFailedException || t instanceof java.util.concurrent.CompletionException
                    || t instanceof java.util.concurrent.ExecutionException
                    || t instanceof java.io.UncheckedIOException
                    || t.getClass().getName().startsWith("reactor.core.Exceptions$")
                    || (t instanceof McpTransportException && !(t instanceof McpHttpClientTransportAuthorizationException)
                        && isNetwork(t.getCause()))) {
                t = t.getCause();
            } else {
                break;
            }
        }
        return t;
    }

    private static boolean isNetwork(Throwable cause) {
        return cause instanceof java.io.IOException || cause instanceof TimeoutException;
    }
}
