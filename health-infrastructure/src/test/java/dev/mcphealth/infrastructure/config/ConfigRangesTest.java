package dev.mcphealth.infrastructure.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mcphealth.domain.routing.BreakerSettings;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every numeric setting's error names the setting's own path and its own range, never a generic one. */
class ConfigRangesTest {
    private static final Path FILE = Path.of("test/mcp.json");

    private static HealthConfig parse(String json) {
        return new ConfigLoader(Map.<String, String>of()::get).parse(json, FILE);
    }

    private static String error(String json) {
        return assertThrows(ConfigException.class, () -> parse(json)).getMessage();
    }

    /** The configuration with {@code "key": value} placed where the setting lives, and the JSON path of the key. */
    private static String[] placed(String where, String key, String value) {
        String servers = "{\"mcpServers\": {\"x\": {\"command\": \"a\"}}, \"health\": ";
        switch (where) {
            case "server":
                return new String[] {servers + "{\"servers\": {\"x\": {\"" + key + "\": " + value + "}}}}",
                    "$.health.servers.x." + key};
            case "defaults":
                return new String[] {servers + "{\"defaults\": {\"" + key + "\": " + value + "}}}",
                    "$.health.defaults." + key};
            case "thresholds":
                return new String[] {servers + "{\"servers\": {\"x\": {\"thresholds\": {\"" + key + "\": " + value
                    + "}}}}}", "$.health.servers.x.thresholds." + key};
            case "breaker":
                return new String[] {servers + "{\"breaker\": {\"" + key + "\": " + value + "}}}",
                    "$.health.breaker." + key};
            case "orchestrator":
                return new String[] {servers + "{\"orchestrator\": {\"server\": \"x\", \"" + key + "\": " + value
                    + "}}}", "$.health.orchestrator." + key};
            default:
                throw new IllegalArgumentException(where);
        }
    }

    @ParameterizedTest(name = "{0} {1}: {2}..{3}")
    @CsvSource({
        "server, intervalSeconds, 1, 86400",
        "defaults, intervalSeconds, 1, 86400",
        "server, timeoutMs, 1, 600000",
        "defaults, timeoutMs, 1, 600000",
        "server, connectTimeoutMs, 1, 600000",
        "server, maxRetryAttempts, 0, 100",
        "server, retryDelaySeconds, 0, 3600",
        "thresholds, responseTimeWarningMs, 1, 600000",
        "thresholds, responseTimeCriticalMs, 1, 600000",
        "thresholds, offlineAfterFailures, 1, 100",
        "thresholds, healthyAfterSuccesses, 1, 100",
        "breaker, minimumCalls, 1, 1000",
        "breaker, consecutiveFailures, 1, 1000",
        "breaker, trialCalls, 1, 1000",
        "breaker, windowSeconds, 1, 3600",
        "breaker, openSeconds, 1, 3600",
        "breaker, slowCallMs, 1, 3600000",
        "orchestrator, callTimeoutMs, 1, 600000",
    })
    void aWholeNumberOutsideItsRangeNamesTheKeyAndTheRange(String where, String key, long min, long max) {
        for (String bad : new String[] {Long.toString(min - 1), Long.toString(max + 1), "-7",
            "99999999999999999999"}) {
            String[] c = placed(where, key, bad);
            assertEquals("test/mcp.json: " + c[1] + ": must be " + min + ".." + max + ", got " + bad, error(c[0]));
        }
        String[] notWhole = placed(where, key, "1.5");
        assertEquals("test/mcp.json: " + notWhole[1] + ": expected a whole number (" + min + ".." + max
                + "), got number 1.5", error(notWhole[0]));
    }

    @ParameterizedTest(name = "{0} {1}: {2}")
    @CsvSource({
        "thresholds, errorRateWarning, above 0 and below 1, 1",
        "thresholds, errorRateCritical, above 0 and below 1, 1",
        "breaker, failureRate, above 0 and at most 1, 1.01",
        "breaker, slowCallRate, above 0 and at most 1, 1.01",
    })
    void aFractionOutsideItsRangeNamesTheKeyAndTheRange(String where, String key, String range, String tooBig) {
        for (String bad : new String[] {"0", "-0.5", tooBig, "1e400"}) {
            String[] c = placed(where, key, bad);
            String message = error(c[0]);
            assertEquals("test/mcp.json: " + c[1] + ": must be " + range + ", got ",
                    message.substring(0, message.lastIndexOf(' ') + 1), message);
        }
        String[] text = placed(where, key, "\"half\"");
        assertEquals("test/mcp.json: " + text[1] + ": expected a number " + range + ", got the string \"half\"",
                error(text[0]));
    }

    @Test
    void theBoundsThemselvesAreAccepted() {
        HealthConfig low = parse("{\"mcpServers\": {\"x\": {\"command\": \"a\"}}, \"health\": {\"servers\": {\"x\":"
                + " {\"intervalSeconds\": 1, \"timeoutMs\": 1, \"maxRetryAttempts\": 0, \"retryDelaySeconds\": 0}},"
                + " \"breaker\": {\"minimumCalls\": 1, \"windowSeconds\": 1, \"slowCallMs\": 1, \"failureRate\": 1}}}");
        HealthConfig high = parse("{\"mcpServers\": {\"x\": {\"command\": \"a\"}}, \"health\": {\"servers\": {\"x\":"
                + " {\"intervalSeconds\": 86400, \"timeoutMs\": 600000, \"connectTimeoutMs\": 600000,"
                + " \"maxRetryAttempts\": 100, \"retryDelaySeconds\": 3600,"
                + " \"thresholds\": {\"responseTimeWarningMs\": 599999, \"responseTimeCriticalMs\": 600000,"
                + " \"offlineAfterFailures\": 100, \"healthyAfterSuccesses\": 100}}},"
                + " \"breaker\": {\"minimumCalls\": 1000, \"windowSeconds\": 3600, \"slowCallMs\": 3600000,"
                + " \"openSeconds\": 3600}, \"orchestrator\": {\"server\": \"x\", \"callTimeoutMs\": 600000}}}");

        MonitoredServer l = low.servers().get(0);
        assertEquals(Duration.ofSeconds(1), l.failover().healthCheckInterval());
        assertEquals(0, l.failover().maxRetryAttempts());
        assertEquals(new BreakerSettings(1, 1, Duration.ofSeconds(1), 5, Duration.ofMillis(1), 1.0,
                Duration.ofSeconds(30), 1), low.breaker());
        MonitoredServer h = high.servers().get(0);
        assertEquals(Duration.ofDays(1), h.failover().healthCheckInterval());
        assertEquals(MonitoredServer.MAX_TIMEOUT, h.timeout());
        assertEquals(100, h.thresholds().offlineAfterFailures());
        assertEquals(Duration.ofHours(1), high.breaker().window());
        assertEquals(ServerId.of("x"), high.orchestrator().orElseThrow().server());
        assertEquals(Duration.ofMinutes(10), high.orchestrator().orElseThrow().callTimeout());
    }
}
