package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.testkit.TestClock;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The scrubber of errors, the stdout line writer and the HTTP session count. */
class WireHygieneTest {
    final ErrorScrubber scrubber = new ErrorScrubber(McpJsonDefaults.getMapper());

    @Test
    void anErrorThatShowsCodeGetsThePlainMeaningOfItsCode() {
        String sdk = "{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32603,\"message\":\"Error processing message: "
                + "Cannot invoke \\\"io.modelcontextprotocol.spec.McpSchema$InitializeRequest.capabilities()\\\"\","
                + "\"data\":\"x\"}}";
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32603,\"message\":\"internal error; the "
                + "server's log has the details\"}}", scrubber.scrub(sdk));
    }

    @Test
    void resultsNotificationsAndPlainErrorsPassUnchanged() {
        String result = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"isError\":true,\"content\":[]}}";
        assertSame(result, scrubber.scrub(result));
        String plain = "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32002,\"message\":\"Resource not found\"}}";
        assertSame(plain, scrubber.scrub(plain));
    }

    @Test
    void aSerializedExceptionBecomesOneJsonRpcError() {
        String body = "{\"jsonRpcError\":{\"code\":-32601,\"message\":\"Session ID required in mcp-session-id header\"},"
                + "\"cause\":null,\"stackTrace\":[{\"className\":\"io.modelcontextprotocol.spec.McpError$Builder\"}]}";
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":3,\"error\":{\"code\":-32601,\"message\":\"Session ID required in "
                + "mcp-session-id header\"}}", scrubber.httpError(400, body, 3L));
        String leaky = "{\"jsonRpcError\":{\"code\":-32600,\"message\":\"Invalid message format: tools.jackson.databind"
                + ".exc.ValueInstantiationException: Cannot construct\"}}";
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,\"message\":\"bad request\"}}",
                scrubber.httpError(400, leaky, null));
        assertTrue(scrubber.httpError(404, "<html>Not found</html>", null).contains("session not found"));
    }

    @Test
    void stdoutGetsWholeLinesOnlyAndOurLinesNeverLandInsideTheirs() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProtocolOutput out = new ProtocolOutput(bytes, scrubber::scrub);
        out.write("{\"jsonrpc\":\"2.0\",".getBytes(StandardCharsets.UTF_8));
        out.flush();
        assertEquals(0, bytes.size(), "half a line waits for its end");
        out.writeLine("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"parse error\"}}");
        out.write("\"id\":1,\"result\":{}}\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"parse error\"}}\n"
                + "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}\n", bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void sessionsAreCappedAndIdleOnesMakeRoom() {
        TestClock clock = new TestClock(Instant.parse("2026-12-04T00:00:00Z"));
        HttpSessions sessions = new HttpSessions(2, Duration.ofMinutes(30), clock);
        assertTrue(sessions.reserve());
        sessions.opened("a");
        assertTrue(sessions.reserve());
        sessions.opened("b");
        assertFalse(sessions.reserve(), "two of two");
        sessions.streamOpened("a");
        clock.advance(Duration.ofMinutes(31));
        assertTrue(sessions.reserve(), "b was idle for the whole timeout; a holds a stream");
        sessions.unreserved();
        assertEquals(1, sessions.size());
        sessions.streamClosed("a");
        clock.advance(Duration.ofMinutes(29));
        assertTrue(sessions.reserve());
        sessions.opened("c");
        assertFalse(sessions.reserve(), "a's stream closed only 29 minutes ago");
        sessions.gone("c");
        assertTrue(sessions.reserve());
    }

    @Test
    void initializesAnsweredAtOnceCannotPassTheCapTogether() {
        HttpSessions sessions = new HttpSessions(2, Duration.ofMinutes(30),
                new TestClock(Instant.parse("2026-12-04T00:00:00Z")));
        assertTrue(sessions.reserve());
        assertTrue(sessions.reserve());
        assertFalse(sessions.reserve(), "two places held by initializes still being answered");
        sessions.unreserved(); // one opened nothing
        assertTrue(sessions.reserve());
    }
}
