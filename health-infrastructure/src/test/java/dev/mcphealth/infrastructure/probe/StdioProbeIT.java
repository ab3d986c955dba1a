package dev.mcphealth.infrastructure.probe;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ProbeMethod;
import dev.mcphealth.domain.model.ProbeOutcome;
import dev.mcphealth.domain.model.ProbeReport;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.infrastructure.config.Endpoint;
import dev.mcphealth.testkit.EverythingServer;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The probe against the real server-everything over stdio, started the way clients start it. */
class StdioProbeIT {
    private final Map<ServerId, Endpoint> endpoints = new HashMap<>();
    private final McpProbe probe = new McpProbe(id -> Optional.ofNullable(endpoints.get(id)), Clock.systemUTC(),
            System::nanoTime, McpJsonDefaults.getMapper(), "test");
    private final String marker = "it-" + UUID.randomUUID();

    @AfterEach
    void closeSessions() {
        probe.close();
    }

    /** server-everything over stdio; the extra argument (ignored by it) lets the test find its process. */
    private MonitoredServer everything(Duration timeout) {
        List<String> args = new ArrayList<>(EverythingServer.stdioCommand().subList(1, 3));
        args.add(marker);
        return stdio("everything", "node", args, Map.of(), timeout);
    }

    private MonitoredServer stdio(String name, String command, List<String> args, Map<String, String> env,
                                  Duration timeout) {
        MonitoredServer server = aServer().named(name).withTimeout(timeout).build();
        endpoints.put(server.id(), new Endpoint.Stdio(command, args, env, Optional.empty()));
        return server;
    }

    private ProcessHandle serverProcess() {
        return ProcessHandle.current().descendants()
                .filter(h -> h.info().commandLine().orElse("").contains(marker))
                .findFirst().orElseThrow(() -> new AssertionError("no server process with " + marker));
    }

    private static ProbeOutcome.Answered answered(ProbeReport report) {
        return assertInstanceOf(ProbeOutcome.Answered.class, report.outcome(), () -> "expected an answer: " + report);
    }

    private static ProbeOutcome.Failed failed(ProbeReport report) {
        return assertInstanceOf(ProbeOutcome.Failed.class, report.outcome(), () -> "expected a failure: " + report);
    }

    @Test
    void healthyServerAnswersPingAfterRefusingServerDiscover() {
        MonitoredServer server = everything(Duration.ofSeconds(10));

        ProbeReport report = probe.probe(server, CheckDepth.BASIC);

        ProbeOutcome.Answered a = answered(report);
        // server-everything speaks 2025-11-25: server/discover is refused with -32601, ping is answered
        assertEquals(ProbeMethod.PING, a.method());
        assertTrue(report.handshake().isPresent());
        assertEquals("2025-11-25", report.handshake().get().protocolVersion());
        assertEquals("mcp-servers/everything", report.handshake().get().serverInfo().name());
        assertTrue(a.tools().isEmpty(), "basic depth does not list tools");
        // the probe's round trip is measured apart from starting the process and initializing
        assertTrue(report.handshake().get().connectTime().compareTo(a.responseTime()) > 0,
                () -> "connect " + report.handshake().get().connectTime() + " vs probe " + a.responseTime());
    }

    @Test
    void sessionIsKeptBetweenProbes() {
        MonitoredServer server = everything(Duration.ofSeconds(10));
        answered(probe.probe(server, CheckDepth.BASIC));
        long pid = serverProcess().pid();

        ProbeReport second = probe.probe(server, CheckDepth.BASIC);

        assertEquals(ProbeMethod.PING, answered(second).method());
        assertEquals(pid, serverProcess().pid(), "the same process served the second probe");
    }

    @Test
    void comprehensiveCheckCountsAndFingerprintsTheTools() {
        MonitoredServer server = everything(Duration.ofSeconds(10));

        ProbeOutcome.Answered first = answered(probe.probe(server, CheckDepth.COMPREHENSIVE));
        ProbeOutcome.Answered again = answered(probe.probe(server, CheckDepth.COMPREHENSIVE));

        assertEquals(13, first.tools().orElseThrow().count());
        assertTrue(first.tools().get().toolHashes().containsKey("echo"));
        assertTrue(first.tools().get().toolHashes().containsKey("get-sum"));
        assertEquals(first.tools().get().hash(), again.tools().orElseThrow().hash(), "the hash is stable");
    }

    @Test
    void commandThatDoesNotExistIsAConnectionErrorWithTheOsReasonAtOnce() {
        MonitoredServer server = stdio("missing", "mcp-health-no-such-command-" + marker, List.of(), Map.of(),
                Duration.ofSeconds(10));

        ProbeReport report = probe.probe(server, CheckDepth.BASIC);

        ProbeOutcome.Failed f = failed(report);
        assertEquals(FailureType.CONNECTION_ERROR, f.type());
        assertTrue(f.message().contains("No such file or directory"), f.message());
        assertTrue(f.elapsed().compareTo(Duration.ofSeconds(1)) < 0, () -> "took " + f.elapsed());
        assertTrue(report.handshake().isEmpty());
    }

    @Test
    void aWorkingDirectoryThatDoesNotExistIsNamedAsSuchNotAsTheCommand() {
        MonitoredServer server = aServer().named("nowhere").withTimeout(Duration.ofSeconds(10)).build();
        Path missing = Path.of(System.getProperty("java.io.tmpdir"), "mcp-health-no-such-dir-" + marker);
        endpoints.put(server.id(), new Endpoint.Stdio("true", List.of(), Map.of(), Optional.of(missing)));

        ProbeOutcome.Failed f = failed(probe.probe(server, CheckDepth.BASIC));

        assertEquals(FailureType.CONNECTION_ERROR, f.type());
        assertTrue(f.message().contains("its working directory " + missing + " does not exist (cwd)"), f.message());
    }

    @Test
    void serverKilledMidSessionIsSeenAtOnceNotAfterTheTimeout() throws Exception {
        MonitoredServer server = everything(Duration.ofSeconds(10));
        answered(probe.probe(server, CheckDepth.BASIC));
        ProcessHandle child = serverProcess();

        child.destroyForcibly(); // SIGKILL
        child.onExit().get(10, TimeUnit.SECONDS);
        ProbeReport report = probe.probe(server, CheckDepth.BASIC);

        ProbeOutcome.Failed f = failed(report);
        assertEquals(FailureType.CONNECTION_ERROR, f.type());
        assertTrue(f.message().contains("killed by signal 9"), f.message());
        assertTrue(f.elapsed().compareTo(Duration.ofMillis(2500)) < 0, () -> "took " + f.elapsed() + " of 10 s allowed");

        // the next probe opens a new session with a new process
        answered(probe.probe(server, CheckDepth.BASIC));
    }

    @Test
    void serverStoppedWithSigstopTimesOutAfterTheConfiguredTimeout() throws Exception {
        Duration timeout = Duration.ofMillis(1500);
        MonitoredServer server = everything(timeout);
        answered(probe.probe(server, CheckDepth.BASIC));
        long pid = serverProcess().pid();

        signal("STOP", pid);
        try {
            ProbeOutcome.Failed f = failed(probe.probe(server, CheckDepth.BASIC));

            assertEquals(FailureType.TIMEOUT, f.type());
            assertTrue(f.message().contains("ping") && f.message().contains("1500 ms"), f.message());
            assertTrue(f.elapsed().compareTo(timeout) >= 0, () -> "took " + f.elapsed());
            assertTrue(f.elapsed().compareTo(timeout.plusSeconds(2)) < 0, () -> "took " + f.elapsed());
        } finally {
            signal("CONT", pid);
        }
    }

    @Test
    void secretsInTheEnvironmentNeverReachTheMessage() {
        String secret = "s3cr3t-" + marker;
        MonitoredServer server = stdio("leaky", "sh",
                List.of("-c", "echo \"starting with token=$API_TOKEN\" >&2; exit 3"), Map.of("API_TOKEN", secret),
                Duration.ofSeconds(10));

        ProbeOutcome.Failed f = failed(probe.probe(server, CheckDepth.BASIC));

        assertEquals(FailureType.CONNECTION_ERROR, f.type());
        assertTrue(f.message().contains("exited with code 3"), f.message());
        assertTrue(f.message().contains("token=***"), "the server's last words are kept, redacted: " + f.message());
        assertFalse(f.message().contains(secret), f.message());
    }

    @Test
    void whenAWrapperDiesTheServerItStartedGoesWithItAndDoesNotAnswerForIt() throws Exception {
        // the npx shape: the process we start is not the server; "; true" keeps sh from exec-ing node
        MonitoredServer server = stdio("wrapped", "sh", List.of("-c", "node '" + EverythingServer.entryPoint()
                + "' stdio " + marker + "; true"), Map.of(), Duration.ofSeconds(10));
        answered(probe.probe(server, CheckDepth.BASIC));
        ProcessHandle wrapper = ProcessHandle.current().children()
                .filter(h -> h.info().commandLine().orElse("").contains(marker)).findFirst().orElseThrow();
        ProcessHandle node = wrapper.children().findFirst().orElseThrow();

        wrapper.destroyForcibly();
        wrapper.onExit().get(10, TimeUnit.SECONDS);
        ProbeOutcome.Failed f = failed(probe.probe(server, CheckDepth.BASIC));

        assertEquals(FailureType.CONNECTION_ERROR, f.type(), f.message());
        node.onExit().get(10, TimeUnit.SECONDS);
        assertFalse(node.isAlive());
    }

    @Test
    void closingStopsTheWholeTree() throws Exception {
        MonitoredServer server = stdio("wrapped", "sh", List.of("-c", "node '" + EverythingServer.entryPoint()
                + "' stdio " + marker + "; true"), Map.of(), Duration.ofSeconds(10));
        answered(probe.probe(server, CheckDepth.BASIC));
        List<ProcessHandle> tree = ProcessHandle.current().descendants()
                .filter(h -> h.info().commandLine().orElse("").contains(marker)).toList();

        probe.close();

        assertEquals(2, tree.size(), "sh and node");
        for (ProcessHandle h : tree) {
            h.onExit().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aServerThatIgnoresServerDiscoverIsProbedWithPingWithinOneTimeout() {
        Duration timeout = Duration.ofMillis(2000);
        MonitoredServer server = stdio("old", "node", List.of(doubleScript("discover-ignoring-server-double.mjs")),
                Map.of(), timeout);

        ProbeReport first = probe.probe(server, CheckDepth.COMPREHENSIVE);
        ProbeReport second = probe.probe(server, CheckDepth.BASIC);

        ProbeOutcome.Answered a = answered(first);
        assertEquals(ProbeMethod.PING, a.method());
        assertEquals(0, a.tools().orElseThrow().count(), "no tools capability: nothing listed, nothing failed");
        ProbeOutcome.Answered b = answered(second);
        assertEquals(ProbeMethod.PING, b.method(), "the negotiated method is remembered");
        assertTrue(b.responseTime().compareTo(Duration.ofMillis(500)) < 0,
                () -> "no second wait for server/discover: " + b.responseTime());
        assertTrue(second.connectTime().isEmpty(), "the kept session's connect time is not this probe's");
    }

    @Test
    void aServerThatEndsItselfAtARequestBeforeInitializeIsStartedAgainWithoutItAndNoFailureIsSeen() {
        MonitoredServer server = stdio("older", "node", List.of(doubleScript("discover-ignoring-server-double.mjs"),
                "--die-before-initialize"), Map.of(), Duration.ofSeconds(5));

        ProbeReport first = probe.probe(server, CheckDepth.BASIC);
        ProbeReport second = probe.probe(server, CheckDepth.BASIC);

        assertEquals(ProbeMethod.PING, answered(first).method(), "server/discover cost it a start, not a failure");
        assertEquals("discover-ignoring-double", first.handshake().orElseThrow().serverInfo().name());
        assertEquals(ProbeMethod.PING, answered(second).method());
        assertTrue(second.connectTime().isEmpty(), "the session is kept");
    }

    @Test
    void aServerWritingAHugeMessageIsAServerErrorThatSaysSoAndCostsNoMoreThanTheLimit() {
        MonitoredServer server = stdio("huge", "node", List.of(doubleScript("hostile-server-double.mjs"),
                "huge-line", "40"), Map.of(), Duration.ofSeconds(10));

        ProbeOutcome.Failed f = failed(probe.probe(server, CheckDepth.BASIC));

        assertEquals(FailureType.SERVER_ERROR, f.type());
        assertTrue(f.message().contains("over the limit of " + ProcessStdioTransport.MAX_MESSAGE + " bytes"),
                f.message());
    }

    @Test
    void aServerFloodingStderrWithoutANewlineIsStillProbedAndItsLastWordsAreCut() {
        MonitoredServer server = stdio("flood", "node", List.of(doubleScript("hostile-server-double.mjs"),
                "stderr-flood", "200"), Map.of(), Duration.ofSeconds(20));

        answered(probe.probe(server, CheckDepth.BASIC));
    }

    @Test
    void anAnswerWithNeitherResultNorErrorEndsItsRequestAtOnceAsTheServersError() {
        MonitoredServer server = stdio("bad-answer", "node", List.of(doubleScript("hostile-server-double.mjs"),
                "bad-answer"), Map.of(), Duration.ofSeconds(10));

        ProbeOutcome.Failed f = failed(probe.probe(server, CheckDepth.BASIC));

        assertTrue(f.message().contains("is not a JSON-RPC response"), f.message());
        assertTrue(f.elapsed().compareTo(Duration.ofSeconds(5)) < 0, () -> "not its timeout: " + f.elapsed());
        assertEquals(FailureType.SERVER_ERROR, f.type(), f.message());
    }

    @Test
    void aToolWhoseDefinitionCannotBeReadIsLeftOutAndTheOthersAreListedWithoutTheServersSecrets() {
        MonitoredServer server = stdio("bad-tool", "node", List.of(doubleScript("hostile-server-double.mjs"),
                "bad-tool"), Map.of("DOUBLE_KEY", "sekret-key-4242"), Duration.ofSeconds(10));

        dev.mcphealth.domain.model.CallOutcome listed = probe.listTools(server, Duration.ofSeconds(10), true);

        assertTrue(listed instanceof dev.mcphealth.domain.model.CallOutcome.Listed, listed.toString());
        List<dev.mcphealth.domain.model.ToolSpec> tools = ((dev.mcphealth.domain.model.CallOutcome.Listed) listed)
                .tools();
        assertEquals(List.of("fine"), tools.stream().map(dev.mcphealth.domain.model.ToolSpec::name).toList(),
                "one bad tool costs only itself");
        assertFalse(tools.get(0).description().contains("sekret-key-4242"), tools.get(0).description());
        assertTrue(tools.get(0).description().startsWith("called with key "), tools.get(0).description());
    }

    private static String doubleScript(String name) {
        try {
            return Path.of(StdioProbeIT.class.getResource("/doubles/" + name).toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void signal(String name, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + name);
    }
}
