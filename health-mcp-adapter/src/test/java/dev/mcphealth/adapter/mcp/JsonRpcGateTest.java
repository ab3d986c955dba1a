package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.model.Printable;
import io.modelcontextprotocol.json.McpJsonDefaults;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitrary;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the gate lets through to the SDK, and the one error it answers the rest with. */
class JsonRpcGateTest {
    final JsonRpcGate gate = new JsonRpcGate(McpJsonDefaults.getMapper());

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // message | code | answerable | words of the message
        "{}                                                  | -32600 | true  | jsonrpc must be \"2.0\"",
        "42                                                  | -32600 | true  | must be a JSON object, got an integer",
        "\"hi\"                                              | -32600 | true  | got a string",
        "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}] | -32600 | true  | batches are not supported",
        "{\"jsonrpc\":                                       | -32700 | true  | not valid JSON",
        "{\"jsonrpc\":\"1.0\",\"id\":9,\"method\":\"ping\"}  | -32600 | true  | jsonrpc must be \"2.0\", got \"1.0\"",
        "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"} | -32600 | true | id must be a string or a 64-bit integer, got null",
        "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"ping\"}   | -32600 | true | got an object",
        "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}  | -32600 | true | got 1.5",
        "{\"jsonrpc\":\"2.0\",\"id\":123456789012345678901234567890,\"method\":\"ping\"} | -32600 | true | 64-bit",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":7}          | -32600 | true | method must be a non-empty string",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\"} | -32602 | true | initialize: params are required",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\"}} | -32602 | true | params.clientInfo must be an object",
        "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":\"x\"} | -32602 | true | params must be an object, got a string",
        "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":null} | -32602 | true | tools/call: params are required",
        "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"t\",\"arguments\":[1]}} | -32602 | true | params.arguments must be an object, got an array",
        "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"arguments\":{}}} | -32602 | true | params.name must be the tool's name",
        "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"logging/setLevel\",\"params\":{\"level\":\"loud\"}} | -32602 | true | must be one of alert, critical, debug",
        "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"resources/read\",\"params\":{\"uri\":5}} | -32602 | true | params.uri must be a string",
        "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"ping\",\"params\":{\"_meta\":\"x\"}} | -32602 | true | params._meta must be an object",
        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":7} | -32602 | false | params must be an object",
        "{\"jsonrpc\":\"2.0\",\"id\":1}                      | -32600 | true  | not a JSON-RPC request, notification or response",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{},\"error\":{}} | -32600 | false | not both",
    })
    void refusesWithOneMessage(String message, int code, boolean answerable, String words) {
        JsonRpcGate.Refuse r = assertInstanceOf(JsonRpcGate.Refuse.class, gate.check(message.strip()));
        assertEquals(code, r.code(), r.message());
        assertEquals(answerable, r.answerable(), r.message());
        assertTrue(r.message().contains(words), r.message());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"x\",\"version\":\"1\"}}} | true",
        "{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"ping\"} | true",
        "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":null} | true",
        "{\"jsonrpc\":\"2.0\",\"id\":9223372036854775807,\"method\":\"tools/call\",\"params\":{\"name\":\"t\"}} | true",
        "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"t\",\"arguments\":null}} | true",
        "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"some/new-method\",\"params\":{}} | true",
        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"} | false",
        "{\"jsonrpc\":\"2.0\",\"id\":\"s1\",\"result\":{\"roots\":[]}} | false",
        "{\"jsonrpc\":\"2.0\",\"id\":\"s1\",\"error\":{\"code\":-1,\"message\":\"no\"}} | false",
    })
    void passesWhatTheSdkHandles(String message, boolean request) {
        JsonRpcGate.Pass p = assertInstanceOf(JsonRpcGate.Pass.class, gate.check(message.strip()));
        assertEquals(request, p.request());
    }

    @org.junit.jupiter.api.Test
    void validJsonPastAParserLimitIsSaidToBeSoNotInvalid() {
        JsonRpcGate.Refuse deep = assertInstanceOf(JsonRpcGate.Refuse.class, gate.check("[".repeat(900)
                + "]".repeat(900)));
        assertEquals(-32700, deep.code());
        assertTrue(deep.message().startsWith("parse error: the message is past a limit of this server: Document"
                + " nesting depth (") && deep.message().contains("exceeds the maximum allowed (500)"), deep.message());
        assertEquals(-1, Printable.revealsCode(deep.message()), deep.message());
        JsonRpcGate.Refuse broken = assertInstanceOf(JsonRpcGate.Refuse.class, gate.check("{\"jsonrpc\":"));
        assertEquals("parse error: the message is not valid JSON", broken.message());
    }

    @Property(tries = 2000)
    void neverThrowsAndItsAnswersAreJsonRpcWithoutCode(@ForAll("frames") String frame) throws Exception {
        JsonRpcGate.Verdict v = gate.check(frame);
        if (v instanceof JsonRpcGate.Refuse r) {
            String line = gate.errorLine(r);
            assertEquals("2.0", McpJsonDefaults.getMapper().readValue(line, java.util.Map.class).get("jsonrpc"));
            assertEquals(-1, Printable.revealsCode(r.message()), r.message());
            assertFalse(line.contains("\n"), "one line");
        }
    }

    @Provide
    Arbitrary<String> frames() {
        return HostileFrames.frame();
    }
}
