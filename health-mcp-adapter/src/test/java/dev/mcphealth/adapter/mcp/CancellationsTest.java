package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.model.Cancellation;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A client's cancellation reaches its own gateway call, and no other's. */
class CancellationsTest {
    private final McpJsonMapper mapper = McpJsonDefaults.getMapper();
    private final Cancellations cancellations = new Cancellations(mapper, true);

    @SuppressWarnings("unchecked")
    private Map<String, Object> meta(String line) throws Exception {
        Map<String, Object> params = (Map<String, Object>) mapper.readValue(line, Map.class).get("params");
        return (Map<String, Object>) params.getOrDefault("_meta", Map.of());
    }

    private String passed(String session, long id, String line) {
        return cancellations.passed(session, new JsonRpcGate.Pass("tools/call", true, id), line);
    }

    @Test
    void aGatewayCallIsTaggedAndItsClientsCancellationReachesIt() throws Exception {
        String tagged = passed("s1", 7, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":"
                + "{\"name\":\"demo__echo\",\"arguments\":{}}}");
        Cancellation c = cancellations.of(meta(tagged));
        assertFalse(c.cancelled());

        cancellations.passed("s2", new JsonRpcGate.Pass("notifications/cancelled", false, null),
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":7}}");
        assertFalse(c.cancelled(), "another session's request 7 is another request");
        cancellations.passed("s1", new JsonRpcGate.Pass("notifications/cancelled", false, null),
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":7,"
                        + "\"reason\":\"stop\"}}");
        assertTrue(c.cancelled());
        assertEquals("stop", c.reason().orElseThrow());

        cancellations.done(meta(tagged));
        assertEquals(0, cancellations.open());
    }

    @Test
    void aSessionTheClientEndedHasItsCallsCancelledAndNoOtherSessions() throws Exception {
        String call = "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"tools/call\",\"params\":"
                + "{\"name\":\"demo__echo\",\"arguments\":{}}}";
        Cancellation first = cancellations.of(meta(passed("s1", 1, String.format(call, 1))));
        Cancellation second = cancellations.of(meta(passed("s1", 2, String.format(call, 2))));
        Cancellation other = cancellations.of(meta(passed("s10", 1, String.format(call, 1))));

        cancellations.sessionEnded("s1");

        assertTrue(first.cancelled() && second.cancelled());
        assertEquals("the client ended its session", first.reason().orElseThrow());
        assertFalse(other.cancelled(), "session s10 goes on");
    }

    @Test
    void aTagTheClientWroteIsRemovedHoweverTheNameIsSpelled() throws Exception {
        String victim = passed("s1", 1, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":"
                + "{\"name\":\"demo__echo\",\"arguments\":{}}}");
        String key = (String) meta(victim).get(Cancellations.META_KEY);

        String own = passed("s2", 1, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":"
                + "{\"name\":\"integration_health_dashboards\",\"arguments\":{},\"_meta\":{\"dev.mcphealth\\/cancel\":"
                + "\"" + key + "\"}}}");
        assertFalse(meta(own).containsKey(Cancellations.META_KEY), own);
        assertSame(Cancellation.NEVER, cancellations.of(meta(own)));

        String escaped = passed("s2", 2, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":"
                + "{\"name\":\"demo\\u005f_echo\",\"arguments\":{},\"_meta\":{\"dev.mcphealth/cancel\":\"" + key
                + "\"}}}");
        assertTrue(((String) meta(escaped).get(Cancellations.META_KEY)).startsWith("s2 "),
                "tagged as its own session's: " + escaped);
    }
}
