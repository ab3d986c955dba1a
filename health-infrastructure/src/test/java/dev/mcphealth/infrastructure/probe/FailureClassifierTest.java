package dev.mcphealth.infrastructure.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.infrastructure.probe.FailureClassifier.Classified;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpTransportException;
import io.modelcontextprotocol.spec.McpTransportSessionNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.Exceptions;

class FailureClassifierTest {
    private static final Duration TIMEOUT = Duration.ofMillis(2500);

    private static Classified classify(Throwable t) {
        return FailureClassifier.classify(t, "ping", TIMEOUT);
    }

    private static void assertClassified(FailureType type, String message, Throwable t) {
        Classified c = classify(t);
        assertEquals(type, c.type(), c.message());
        assertEquals(message, c.message());
    }

    @Test
    void aTimeoutNamesTheStepAndTheMilliseconds() {
        assertClassified(FailureType.TIMEOUT, "no answer to ping within 2500 ms", new TimeoutException());
        assertClassified(FailureType.TIMEOUT, "no answer to ping within 2500 ms",
                new HttpTimeoutException("request timed out"));
    }

    @Test
    void connectionProblemsAreConnectionErrors() {
        assertClassified(FailureType.CONNECTION_ERROR, "connection refused during ping",
                new ConnectException("Connection refused"));
        assertClassified(FailureType.CONNECTION_ERROR, "unknown host during ping",
                new UnknownHostException("nowhere.invalid"));
    }

    @Test
    void aJsonRpcErrorIsAServerErrorNamingTheCode() {
        McpError error = new McpError(new McpSchema.JSONRPCResponse.JSONRPCError(-32603, "Internal error"));
        assertClassified(FailureType.SERVER_ERROR, "ping failed: JSON-RPC error -32603: Internal error", error);
        Classified built = classify(McpError.builder(-32601).message("Method not found").build());
        assertEquals(FailureType.SERVER_ERROR, built.type());
        assertTrue(built.message().contains("-32601"), built.message());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Received unexpected status code: 429, response body: x          | rate_limit     | HTTP 429 (rate limited) on ping",
            "Received unexpected status code: 503, response body: busy       | server_error   | HTTP 503 (server error) on ping",
            "Server Not Found. Status code:404, response: x                  | server_error   | HTTP 404 on ping",
            "Failed to connect to SSE stream: 401                            | authentication | HTTP 401 (credentials refused) on ping",
            "Failed to connect to SSE stream: 403                            | authentication | HTTP 403 (credentials refused) on ping",
            "Sending message failed with a non-OK HTTP code: 500 - x         | server_error   | HTTP 500 (server error) on ping",
            "Sending message failed with a non-OK HTTP code: 429 - slow down | rate_limit     | HTTP 429 (rate limited) on ping",
    })
    void httpStatusesAreReadFromTransportMessages(String sdkMessage, String type, String message) {
        assertClassified(FailureType.fromCode(type), message, new McpTransportException(sdkMessage));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Received unexpected status code: 302, response body: moved | HTTP 302 on ping: a redirect, which is not followed (set the url to the address it points to)",
            "Unrecognized server error when connecting to SSE stream, status code: 307 | HTTP 307 on ping: a redirect, which is not followed (set the url to the address it points to)",
            "Sending message failed with a non-OK HTTP code: 301 - moved | HTTP 301 on ping: a redirect, which is not followed (set the url to the address it points to)",
    })
    void aRedirectIsNamedAsOneAndSaysItIsNotFollowed(String sdkMessage, String message) {
        // a redirect may lead anywhere, off this machine too, and would take the configured headers (credentials) with
        // it: the probe never follows one (Transports), and the message says what to do instead
        assertClassified(FailureType.SERVER_ERROR, message, new McpTransportException(sdkMessage));
    }

    @Test
    void anAnswerOverTheSdksSizeLimitSaysSoInsteadOfBeingCutAtItsWords() {
        // the SDK's MaxSizeExceededException (package-private) says this; "response body" is where describe() cuts
        assertClassified(FailureType.SERVER_ERROR, "the server's answer to ping was over the limit of 16777216 bytes",
                new ProbeFailedException(new Exception("Inbound response body exceeds the maximum allowed size of"
                        + " 16777216 bytes")));
    }

    @Test
    void aTransportErrorWithoutAStatusIsAServerErrorWithItsFirstLine() {
        assertClassified(FailureType.SERVER_ERROR, "ping failed: stream broke",
                new McpTransportException("stream broke\n\tat somewhere"));
    }

    @Test
    void anHtmlPageIsNamedAsSuchNotAsTheSdksWords() {
        assertClassified(FailureType.SERVER_ERROR, "the server answered ping with text/html, not MCP's JSON or event "
                + "stream (is the URL its MCP endpoint?)", new McpTransportException("Unknown media type returned: "
                + "text/html"));
    }

    @Test
    void wrappedExceptionsAreStillClassified() {
        assertEquals(FailureType.TIMEOUT, classify(Exceptions.propagate(new TimeoutException())).type());
        assertEquals(FailureType.CONNECTION_ERROR,
                classify(new CompletionException(new ConnectException("Connection refused"))).type());
        assertEquals(FailureType.RATE_LIMIT, classify(new CompletionException(
                new McpTransportException("Received unexpected status code: 429, response body: x"))).type());
        assertEquals(FailureType.TIMEOUT,
                classify(new ExecutionException(Exceptions.propagate(new TimeoutException()))).type());
        assertEquals(FailureType.TIMEOUT, classify(new ProbeFailedException(new TimeoutException())).type());
        assertEquals(FailureType.CONNECTION_ERROR,
                classify(new UncheckedIOException(new ConnectException("refused"))).type());
    }

    @Test
    void aTransportExceptionAroundANetworkErrorIsThatNetworkError() {
        assertClassified(FailureType.CONNECTION_ERROR, "connection refused during ping",
                new McpTransportException("send failed", new ConnectException("Connection refused")));
        assertEquals(FailureType.SERVER_ERROR,
                classify(new McpTransportException("bad", new IllegalStateException("x"))).type());
    }

    @Test
    void aServerThatCouldNotStartIsAConnectionError() {
        assertClassified(FailureType.CONNECTION_ERROR, "cannot start \"npx\": No such file or directory",
                new ServerStartException("npx", "No such file or directory"));
    }

    @Test
    void aServerThatExitedIsAConnectionErrorNamingTheStep() {
        assertClassified(FailureType.CONNECTION_ERROR, "server process exited (killed by signal 9) during ping",
                new ServerExitedException(137, null));
        assertEquals(FailureType.CONNECTION_ERROR,
                classify(new CompletionException(new ServerExitedException(1, settle -> "boom"))).type());
    }

    @Test
    void aProtocolViolationIsAServerError() {
        assertClassified(FailureType.SERVER_ERROR, "tools/list answered without a tools array",
                new ProtocolViolationException("tools/list answered without a tools array"));
    }

    @Test
    void aLostSessionIsAConnectionErrorSinceOnlyANewSessionHelps() {
        Classified c = classify(new McpTransportSessionNotFoundException("abc"));
        assertEquals(FailureType.CONNECTION_ERROR, c.type());
        assertTrue(c.message().contains("session"), c.message());
    }

    @Test
    void anAuthorizationExceptionIsAuthenticationWithItsStatus() {
        assertEquals(FailureType.AUTHENTICATION,
                classify(new McpHttpClientTransportAuthorizationException("unauthorized", null, null)).type());
        Classified forbidden = classify(new McpHttpClientTransportAuthorizationException("forbidden", null,
                response(403)));
        assertEquals(FailureType.AUTHENTICATION, forbidden.type());
        assertEquals("HTTP 403 (credentials refused) on ping", forbidden.message());
    }

    @Test
    void anAnswerTheSdksReaderRefusedIsSaidAsSuchNotByItsClassNames() {
        tools.jackson.databind.json.JsonMapper mapper = tools.jackson.databind.json.JsonMapper.builder().build();
        Exception deep = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> mapper.readValue(
                "[".repeat(5000) + "]".repeat(5000), Object.class));
        assertClassified(FailureType.SERVER_ERROR, "an answer of the server during ping is past a limit of the JSON"
                + " parser (too long, or nested too deep)", new IllegalArgumentException(deep));
        Exception unreadable = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> mapper.readValue("{\"a\": [1, }", java.util.Map.class));
        assertClassified(FailureType.SERVER_ERROR, "an answer of the server during ping could not be read as an MCP"
                + " message", new IllegalArgumentException(unreadable));
        // an I/O failure Jackson wraps, and our own mapping's failure, are not the server's answer
        Exception reset = new IllegalStateException(tools.jackson.core.exc.JacksonIOException.construct(
                new java.io.IOException("connection reset")));
        org.junit.jupiter.api.Assertions.assertFalse(FailureClassifier.classify(reset, "ping",
                java.time.Duration.ofSeconds(1)).message().contains("MCP message"), reset.toString());
        Exception unwritable = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> mapper.writeValueAsString(new Unwritable()));
        org.junit.jupiter.api.Assertions.assertFalse(FailureClassifier.classify(unwritable, "ping",
                java.time.Duration.ofSeconds(1)).message().contains("MCP message"), unwritable.toString());
    }

    @Test
    void anythingElseIsAServerErrorWithItsFirstLineButNeverAClassName() {
        assertClassified(FailureType.SERVER_ERROR, "ping failed: boom", new IllegalStateException("boom\nsecond line"));
        assertClassified(FailureType.SERVER_ERROR, "ping failed: an unexpected failure", new NullPointerException());
        assertClassified(FailureType.SERVER_ERROR, "ping failed: an unexpected failure", new NullPointerException(
                "Cannot invoke \"java.util.Map.get(Object)\" because \"m\" is null"));
    }

    @ParameterizedTest
    @CsvSource({"401, authentication", "403, authentication", "429, rate_limit", "500, server_error",
            "502, server_error", "404, server_error", "400, server_error"})
    void byStatus(int status, String type) {
        assertEquals(FailureType.fromCode(type), FailureClassifier.byStatus(status, "initialize").type());
    }

    @Test
    void unwrapStopsAtTheMeaningfulException() {
        TimeoutException root = new TimeoutException();
        assertEquals(root, FailureClassifier.unwrap(new CompletionException(Exceptions.propagate(root))));
        McpTransportException transport = new McpTransportException("Received unexpected status code: 429");
        assertEquals(transport, FailureClassifier.unwrap(transport));
        IllegalStateException withCause = new IllegalStateException("outer", new IOException("inner"));
        assertEquals(withCause, FailureClassifier.unwrap(withCause));
    }

    private static HttpResponse.ResponseInfo response(int status) {
        return new HttpResponse.ResponseInfo() {
            @Override
            public int statusCode() {
                return status;
            }

            @Override
            public HttpHeaders headers() {
                return HttpHeaders.of(Map.of(), (k, v) -> true);
            }

            @Override
            public HttpClient.Version version() {
                return HttpClient.Version.HTTP_1_1;
            }
        };
    }

    /** A value whose writing fails (its getter throws): our side's failure, not the server's answer. */
    public static final class Unwritable {
        public String getValue() {
            throw new IllegalStateException("cannot");
        }
    }
}
