package dev.mcphealth.infrastructure.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** health.orchestrator: the name of an enabled server, or an object with it and how it is called. */
class OrchestratorConfigTest {
    private static final String SERVERS = "{\"mcpServers\": {"
            + "\"files\": {\"command\": \"a\"},"
            + " \"task-orchestrator\": {\"command\": \"python\", \"args\": [\"-m\", \"mcp_task_orchestrator\"]},"
            + " \"old\": {\"command\": \"c\", \"disabled\": true}},"
            + " \"health\": ";
    private static final ServerId ORCH = ServerId.of("task-orchestrator");

    private static HealthConfig parse(String json) {
        return new ConfigLoader(Map.of("ORCH_HOME", "/srv/orch")::get).parse(json, Path.of("test/mcp.json"));
    }

    /** The message is "file: path: problem", with the path exactly as given. */
    private static void assertError(String json, String path, String problem) {
        String message = assertThrows(ConfigException.class, () -> parse(json)).getMessage();
        assertTrue(message.startsWith("test/mcp.json: " + path + ": "), "path " + path + " in: " + message);
        assertTrue(message.contains(problem), "problem \"" + problem + "\" in: " + message);
    }

    @Test
    void withoutItThereIsNoOrchestrator() {
        assertEquals(Optional.empty(), parse(SERVERS + "{}}").orchestrator());
        assertEquals(Optional.empty(), parse(SERVERS + "{\"orchestrator\": null}}").orchestrator());
        assertEquals(Optional.empty(), parse("{\"mcpServers\": {\"x\": {\"command\": \"a\"}}}").orchestrator());
    }

    @Test
    void aServersNameIsTheShortForm() {
        HealthConfig config = parse(SERVERS + "{\"orchestrator\": \"task-orchestrator\"}}");

        assertEquals(Optional.of(new OrchestratorSettings(ORCH, Duration.ofSeconds(30), Optional.empty())),
                config.orchestrator());
        assertEquals(OrchestratorSettings.of(ORCH), config.orchestrator().orElseThrow());
    }

    @Test
    void theOrchestratorStaysAMonitoredServer() {
        HealthConfig config = parse(SERVERS + "{\"orchestrator\": \"task-orchestrator\"}}");

        assertEquals(List.of("files", "task-orchestrator"), config.servers().stream().map(MonitoredServer::id)
                .map(ServerId::value).toList());
        assertTrue(config.endpoint(ORCH).isPresent());
    }

    @Test
    void theObjectFormSetsTheCallTimeoutAndAWorkingDirectoryRelativeToTheFile() {
        OrchestratorSettings o = parse(SERVERS + """
                {"orchestrator": {"server": "task-orchestrator", "callTimeoutMs": 5000, "workingDirectory": "work"}}}
                """).orchestrator().orElseThrow();

        assertEquals(ORCH, o.server());
        assertEquals(Duration.ofMillis(5000), o.callTimeout());
        assertEquals(Optional.of(Path.of("test/work").toAbsolutePath().normalize()), o.workingDirectory());
    }

    @Test
    void theObjectFormNeedsOnlyTheServerAndExpandsVariables() {
        assertEquals(OrchestratorSettings.of(ORCH), parse(SERVERS
                + "{\"orchestrator\": {\"server\": \"task-orchestrator\"}}}").orchestrator().orElseThrow());
        assertEquals(Optional.of(Path.of("/srv/orch/projects")), parse(SERVERS
                + "{\"orchestrator\": {\"server\": \"task-orchestrator\", \"workingDirectory\": \"${ORCH_HOME}/projects\"}}}")
                .orchestrator().orElseThrow().workingDirectory());
    }

    @Test
    void itMustNameAConfiguredServerAndTheErrorListsTheEnabledOnes() {
        assertError(SERVERS + "{\"orchestrator\": \"orchestrator\"}}", "$.health.orchestrator",
                "no server named \"orchestrator\" in $.mcpServers (enabled: files, task-orchestrator)");
        assertError(SERVERS + "{\"orchestrator\": {\"server\": \"orchestrator\"}}}", "$.health.orchestrator.server",
                "no server named \"orchestrator\" in $.mcpServers (enabled: files, task-orchestrator)");
        assertError("{\"servers\": {\"x\": {\"command\": \"a\"}}, \"health\": {\"orchestrator\": \"y\"}}",
                "$.health.orchestrator", "no server named \"y\" in $.servers (enabled: x)");
    }

    @Test
    void itMustNameAnEnabledServer() {
        assertError(SERVERS + "{\"orchestrator\": \"old\"}}", "$.health.orchestrator",
                "the server \"old\" is disabled; the orchestrator must be an enabled server (enabled: files,"
                        + " task-orchestrator)");
        assertError(SERVERS + "{\"orchestrator\": \"files\", \"servers\": {\"files\": {\"enabled\": false}}}}",
                "$.health.orchestrator", "the server \"files\" is disabled");
        assertError("{\"mcpServers\": {\"x\": {\"command\": \"a\", \"disabled\": true}},"
                + " \"health\": {\"orchestrator\": \"x\"}}", "$.health.orchestrator", "(there is none)");
    }

    @Test
    void malformedValuesNameThePath() {
        assertError(SERVERS + "{\"orchestrator\": 3}}", "$.health.orchestrator",
                "expected the name of a server, or an object with \"server\", got number 3");
        assertError(SERVERS + "{\"orchestrator\": [\"task-orchestrator\"]}}", "$.health.orchestrator",
                "got an array");
        assertError(SERVERS + "{\"orchestrator\": \"\"}}", "$.health.orchestrator",
                "must name a server, got an empty string");
        assertError(SERVERS + "{\"orchestrator\": {}}}", "$.health.orchestrator.server",
                "is required: the name of the server that is the orchestrator");
        assertError(SERVERS + "{\"orchestrator\": {\"server\": 1}}}", "$.health.orchestrator.server",
                "expected a string, got number 1");
        assertError(SERVERS + "{\"orchestrator\": {\"server\": \"task-orchestrator\", \"timeoutMs\": 1}}}",
                "$.health.orchestrator.timeoutMs", "unknown setting; known: callTimeoutMs, server, workingDirectory");
        assertError(SERVERS + "{\"orchestrator\": {\"server\": \"task-orchestrator\", \"callTimeoutMs\": \"30s\"}}}",
                "$.health.orchestrator.callTimeoutMs", "expected a whole number");
        assertError(SERVERS + "{\"orchestrator\": {\"server\": \"task-orchestrator\", \"callTimeoutMs\": 0}}}",
                "$.health.orchestrator.callTimeoutMs", "must be 1..600000, got 0");
        assertError(SERVERS + "{\"orchestrator\": {\"server\": \"task-orchestrator\", \"callTimeoutMs\": 600001}}}",
                "$.health.orchestrator.callTimeoutMs", "must be 1..600000, got 600001");
        assertError(SERVERS + "{\"orchestrator\": {\"server\": \"task-orchestrator\", \"workingDirectory\": \"\"}}}",
                "$.health.orchestrator.workingDirectory", "must not be empty");
        assertError(SERVERS + "{\"orchestrator\": {\"server\": \"task-orchestrator\", \"workingDirectory\": 1}}}",
                "$.health.orchestrator.workingDirectory", "expected a string");
    }

    @Test
    void anUnknownHealthKeyListsOrchestratorAmongTheKnownOnes() {
        assertError(SERVERS + "{\"orchestrater\": \"task-orchestrator\"}}", "$.health.orchestrater",
                "known: alerts, breaker, callTimeout, concurrencyLimit, defaults, hedging, learning, orchestrator, prewarm, retryBudget, servers");
    }

    @Test
    void settingsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new OrchestratorSettings(ORCH, Duration.ZERO,
                Optional.empty()));
        assertThrows(NullPointerException.class, () -> new OrchestratorSettings(null, Duration.ofSeconds(1),
                Optional.empty()));
    }
}
