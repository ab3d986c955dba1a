package dev.mcphealth.infrastructure.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mcphealth.application.testkit.TestServers;
import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ProbeMethod;
import dev.mcphealth.domain.model.ProbeOutcome;
import dev.mcphealth.domain.model.ProbeReport;
import dev.mcphealth.domain.model.TransportKind;
import dev.mcphealth.infrastructure.config.Endpoint;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The probe's 2026-07-28 path against a TEST DOUBLE: an HTTP server on 127.0.0.1 in this JVM that answers each
 * request as the test scripts it (the real dual-era server is {@code StatelessHttpIT}'s; no real server answers with
 * CR LF events, a stream kept open, a body over the limit, a repeating cursor or a refusal on demand). Every answer
 * carries the request's id, as a real server's does.
 */
class StatelessProbeTest {
    private static final McpJsonMapper JSON = McpJsonDefaults.getMapper();
    private static final String DISCOVERED = "{\"supportedVersions\":[\"2025-11-25\",\"2026-07-28\"],"
            + "\"capabilities\":{\"tools\":{}},\"resultType\":\"complete\",\"ttlMs\":0,"
            + "\"_meta\":{\"io.modelcontextprotocol/serverInfo\":{\"name\":\"double\",\"version\":\"1\"}}}";

    /** One scripted answer: status, content type and a body made from the request's id. */
    private record Script(int status, String type, java.util.function.LongFunction<String> body, boolean keepOpen) {
    }

    private final ConcurrentLinkedDeque<Script> scripts = new ConcurrentLinkedDeque<>();
    private final List<Map<String, Object>> seen = Collections.synchronizedList(new ArrayList<>());
    private final List<com.sun.net.httpserver.Headers> headers = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch stop = new CountDownLatch(1);
    private HttpServer server;
    private StatelessProbe probe;
    private Endpoint.Http endpoint;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/mcp", this::answer);
        server.start();
        endpoint = new Endpoint.Http(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mcp"),
                Map.of("X-Custom", "kept", "Mcp-Method", "replaced?"), false);
        probe = new StatelessProbe(JSON, System::nanoTime, "test");
    }

    @AfterEach
    void end() {
        stop.countDown();
        probe.close();
        server.stop(0);
    }

    @SuppressWarnings("unchecked")
    private void answer(HttpExchange x) throws IOException {
        Map<String, Object> request = JSON.readValue(new String(x.getRequestBody().readAllBytes(),
                StandardCharsets.UTF_8), Map.class);
        seen.add(request);
        headers.add(x.getRequestHeaders());
        long id = ((Number) request.get("id")).longValue();
        Script s = scripts.isEmpty() ? new Script(200, "application/json", i -> ok(i, DISCOVERED), false)
                : scripts.poll();
        x.getResponseHeaders().set("Content-Type", s.type());
        byte[] body = s.body().apply(id).getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(s.status(), s.keepOpen() ? 0 : body.length);
        OutputStream out = x.getResponseBody();
        out.write(body);
        out.flush();
        if (s.keepOpen()) {
            try {
                stop.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        out.close();
    }

    private static String ok(long id, String result) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":" + result + "}";
    }

    private static String error(long id, int code, String message) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"error\":{\"code\":" + code + ",\"message\":\"" + message
                + "\"}}";
    }

    private static MonitoredServer server(Duration timeout) {
        return TestServers.aServer().named("double").over(TransportKind.STREAMABLE_HTTP).withTimeout(timeout)
                .withConnectTimeout(Duration.ofSeconds(5)).build();
    }

    private Optional<ProbeReport> probe(MonitoredServer s, CheckDepth depth) {
        return probe.probe(s, endpoint, depth, Optional.empty(), Instant.now(), System.nanoTime(),
                m -> m.replace("SECRET-0123456789", "***"));
    }

    private static ProbeOutcome.Answered answered(Optional<ProbeReport> r) {
        return assertInstanceOf(ProbeOutcome.Answered.class, r.orElseThrow().outcome(), () -> String.valueOf(r));
    }

    private static ProbeOutcome.Failed failed(Optional<ProbeReport> r) {
        return assertInstanceOf(ProbeOutcome.Failed.class, r.orElseThrow().outcome(), () -> String.valueOf(r));
    }

    @Test
    void anEventStreamWithCrLfLinesIsReadWhenItsAnswerEndsThoughTheStreamStaysOpen() {
        scripts.add(new Script(200, "Text/Event-Stream; charset=utf-8", id -> ": a comment\r\nevent: message\r\n"
                + "data: " + ok(id, DISCOVERED).replace(",\"capabilities\"", "\r\ndata: ,\"capabilities\"")
                + "\r\n\r\n", true));
        MonitoredServer s = server(Duration.ofSeconds(3));

        ProbeOutcome.Answered a = answered(probe(s, CheckDepth.BASIC));

        assertEquals(ProbeMethod.SERVER_DISCOVER, a.method());
        assertTrue(a.responseTime().compareTo(Duration.ofSeconds(2)) < 0, () -> "read at its end: " + a);
        assertEquals(StatelessProbe.Era.STATELESS, probe.era(s.id(), StatelessProbe.where(endpoint)));
    }

    @Test
    void theRevisionsHeadersAreNotReplacedByConfiguredOnesAndTheEnvelopeNamesTheVersion() {
        answered(probe(server(Duration.ofSeconds(3)), CheckDepth.BASIC));

        assertEquals("server/discover", headers.get(0).getFirst("Mcp-Method"));
        assertEquals("kept", headers.get(0).getFirst("X-Custom"));
        assertEquals("2026-07-28", headers.get(0).getFirst("MCP-Protocol-Version"));
        assertFalse(headers.get(0).containsKey("Mcp-Session-Id"));
        Map<?, ?> meta = (Map<?, ?>) ((Map<?, ?>) seen.get(0).get("params")).get("_meta");
        assertEquals("2026-07-28", meta.get("io.modelcontextprotocol/protocolVersion"));
    }

    @Test
    void aKnownStatelessServerThatFailsIsReportedAndStaysKnownUntilItRefusesTheRevision() {
        MonitoredServer s = server(Duration.ofSeconds(3));
        answered(probe(s, CheckDepth.BASIC));
        scripts.add(new Script(503, "text/plain", id -> "down for maintenance", false));
        scripts.add(new Script(429, "application/json", id -> error(id, -32000, "slow down"), false));
        // one secret well inside the kept part, one where a cut before redaction would fall (leaving its start)
        scripts.add(new Script(200, "application/json", id -> error(id, -32603, "token SECRET-0123456789 "
                + "x".repeat(StatelessProbe.MAX_MESSAGE - 80) + "SECRET-0123456789 and more"), false));
        scripts.add(new Script(200, "text/html", id -> "<html>a login page</html>", false));
        scripts.add(new Script(400, "application/json", id -> error(id, -32601, "Method not found"), false));

        assertEquals(FailureType.SERVER_ERROR, failed(probe(s, CheckDepth.BASIC)).type());
        assertEquals(FailureType.RATE_LIMIT, failed(probe(s, CheckDepth.BASIC)).type());
        ProbeOutcome.Failed internal = failed(probe(s, CheckDepth.BASIC));
        assertFalse(internal.message().contains("SECRET"), internal.message());
        assertTrue(internal.message().contains("token ***"), "redacted, not cut away: " + internal.message());
        assertTrue(internal.message().length() <= StatelessProbe.MAX_MESSAGE, internal.message());
        ProbeOutcome.Failed html = failed(probe(s, CheckDepth.BASIC));
        assertEquals("the server answered server/discover with no JSON-RPC answer to it", html.message());
        assertEquals(StatelessProbe.Era.STATELESS, probe.era(s.id(), StatelessProbe.where(endpoint)), "none of these decides");

        assertTrue(probe(s, CheckDepth.BASIC).isEmpty(), "refused: the session path probes it");
        assertEquals(StatelessProbe.Era.STATELESS, probe.era(s.id(), StatelessProbe.where(endpoint)),
                "one refusal (a proxy's 404 in a deploy) is not enough: known as stateless until the handshake answers");
        probe.learned(s.id(), StatelessProbe.where(endpoint), StatelessProbe.Era.HANDSHAKE); // as McpProbe does then
        assertEquals(StatelessProbe.Era.HANDSHAKE, probe.era(s.id(), StatelessProbe.where(endpoint)));
        assertTrue(probe(s, CheckDepth.BASIC).isEmpty());
        assertEquals(6, seen.size(), "a server known to speak the handshake is not asked again");
    }

    @Test
    void aFirstDiscoverThatIsNotAnsweredInTimeDecidesNothingAndLeavesTimeForTheHandshake() {
        scripts.add(new Script(200, "text/event-stream", id -> ": nothing yet\n\n", true));
        MonitoredServer s = server(Duration.ofMillis(1000));
        long begin = System.nanoTime();

        assertTrue(probe(s, CheckDepth.BASIC).isEmpty());

        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        assertTrue(took < 1500, () -> "half the timeout (500 ms), not the whole of it or more: took " + took + " ms");
        assertEquals(StatelessProbe.Era.UNKNOWN, probe.era(s.id(), StatelessProbe.where(endpoint)));
        probe.learned(s.id(), StatelessProbe.where(endpoint), StatelessProbe.Era.HANDSHAKE);
        assertEquals(StatelessProbe.Era.HANDSHAKE, probe.era(s.id(), StatelessProbe.where(endpoint)));
    }

    @Test
    void aBodyThatNeverEndsIsATimeoutOfTheProbesOwnLength() {
        MonitoredServer s = server(Duration.ofMillis(800));
        answered(probe(s, CheckDepth.BASIC));
        scripts.add(new Script(200, "application/json", id -> "{\"jsonrpc\":\"2.0\",\"id\":" + id, true));
        long begin = System.nanoTime();

        ProbeOutcome.Failed f = failed(probe(s, CheckDepth.BASIC));

        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        assertEquals(FailureType.TIMEOUT, f.type(), f.message());
        assertEquals("no answer to server/discover within 800 ms", f.message());
        assertTrue(took < 1500, () -> "bounded by the timeout, took " + took + " ms");
    }

    @Test
    void aBodyOverTheLimitIsRefusedWithoutHoldingItAll() {
        MonitoredServer s = server(Duration.ofSeconds(10));
        answered(probe(s, CheckDepth.BASIC));
        String big = "x".repeat(ProcessStdioTransport.MAX_MESSAGE + 10);
        scripts.add(new Script(200, "application/json", id -> ok(id, "{\"pad\":\"" + big + "\"}"), false));

        ProbeOutcome.Failed f = failed(probe(s, CheckDepth.BASIC));

        assertEquals(FailureType.SERVER_ERROR, f.type(), f.message());
        assertTrue(f.message().contains("over the limit"), f.message());
    }

    @Test
    void toolsAreListedOverPagesUntilACursorRepeatsAndReusedForTheShortestTtl() {
        MonitoredServer s = server(Duration.ofSeconds(5));
        String tool = "{\"name\":\"%s\",\"inputSchema\":{\"type\":\"object\"}}";
        scripts.add(new Script(200, "application/json", id -> ok(id, DISCOVERED), false));
        scripts.add(new Script(200, "application/json", id -> ok(id, "{\"tools\":[" + tool.formatted("a")
                + "],\"nextCursor\":\"p2\",\"ttlMs\":600000}"), false));
        scripts.add(new Script(200, "application/json", id -> ok(id, "{\"tools\":[" + tool.formatted("b")
                + "],\"nextCursor\":\"p2\",\"ttlMs\":300000}"), false));

        ProbeOutcome.Answered first = answered(probe(s, CheckDepth.COMPREHENSIVE));
        ProbeOutcome.Answered second = answered(probe(s, CheckDepth.COMPREHENSIVE));

        assertEquals(2, first.tools().orElseThrow().count(), "a repeated cursor ends the listing");
        assertEquals(first.tools(), second.tools());
        assertEquals(List.of("server/discover", "tools/list", "tools/list", "server/discover"),
                seen.stream().map(m -> m.get("method")).toList(), "listed again only after its ttlMs");
    }

    @Test
    void aServerWithoutTheToolsCapabilityIsNotAskedForTools() {
        MonitoredServer s = server(Duration.ofSeconds(5));
        scripts.add(new Script(200, "application/json", id -> ok(id, DISCOVERED.replace("{\"tools\":{}}", "{}")),
                false));

        ProbeOutcome.Answered a = answered(probe(s, CheckDepth.COMPREHENSIVE));

        assertEquals(0, a.tools().orElseThrow().count());
        assertEquals(1, seen.size());
    }

    @Test
    void aToolsListingRefusedIsThatProbesFailureNotAFallback() {
        MonitoredServer s = server(Duration.ofSeconds(5));
        scripts.add(new Script(200, "application/json", id -> ok(id, DISCOVERED), false));
        scripts.add(new Script(401, "application/json", id -> error(id, -32001, "unauthorized"), false));

        ProbeOutcome.Failed f = failed(probe(s, CheckDepth.COMPREHENSIVE));

        assertEquals(FailureType.AUTHENTICATION, f.type(), f.message());
        assertTrue(f.message().contains("tools/list"), f.message());
    }

    @Test
    void aNewUrlIsLearnedAgain() {
        MonitoredServer s = server(Duration.ofSeconds(3));
        answered(probe(s, CheckDepth.BASIC));
        assertEquals(StatelessProbe.Era.STATELESS, probe.era(s.id(), StatelessProbe.where(endpoint)));

        assertEquals(StatelessProbe.Era.UNKNOWN, probe.era(s.id(), "http://127.0.0.1:1/mcp"));
    }

    @Test
    void everyEraChangeIsInTheTableAndNoOtherIs() {
        for (StatelessProbe.EraChange c : StatelessProbe.EraChange.values()) {
            assertEquals(c, StatelessProbe.EraChange.TABLE.between(c.from, c.to));
        }
        assertTrue(StatelessProbe.EraChange.TABLE.find(StatelessProbe.Era.HANDSHAKE, StatelessProbe.Era.STATELESS)
                .isEmpty(), "a handshake server is asked again only after it is forgotten");
    }
}
