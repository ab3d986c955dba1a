package dev.mcphealth.infrastructure.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.out.ToolSemanticsPort;
import dev.mcphealth.domain.routing.BreakerSettings;
import dev.mcphealth.domain.model.ServerId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** health.breaker (one set of breaker settings) and idempotentTools (per server, or in the defaults). */
class ResilienceConfigTest {
    private static final String SERVERS = "{\"mcpServers\": {\"x\": {\"command\": \"a\"}, \"y\": {\"command\": \"b\"}},"
            + " \"health\": ";
    private static final ServerId X = ServerId.of("x");
    private static final ServerId Y = ServerId.of("y");

    static HealthConfig parse(String json) {
        return new ConfigLoader(Map.<String, String>of()::get).parse(json, Path.of("test/mcp.json"));
    }

    /** The message is "file: path: problem", with the path exactly as given. */
    static void assertError(String json, String path, String problem) {
        String message = assertThrows(ConfigException.class, () -> parse(json)).getMessage();
        assertTrue(message.startsWith("test/mcp.json: " + path + ": "), "path " + path + " in: " + message);
        assertTrue(message.contains(problem), "problem \"" + problem + "\" in: " + message);
    }

    @Test
    void withoutABreakerObjectTheDefaultsApply() {
        assertEquals(BreakerSettings.DEFAULTS, parse(SERVERS + "{}}").breaker());
        assertEquals(BreakerSettings.DEFAULTS, parse("{\"mcpServers\": {}}").breaker());
        assertEquals(BreakerSettings.DEFAULTS, parse(SERVERS + "{\"breaker\": null}}").breaker());
        assertEquals(BreakerSettings.DEFAULTS, parse(SERVERS + "{\"breaker\": {}}}").breaker());
    }

    @Test
    void everyBreakerSettingIsRead() {
        BreakerSettings b = parse(SERVERS + """
                {"breaker": {"failureRate": 0.6, "minimumCalls": 20, "windowSeconds": 120, "consecutiveFailures": 3,
                             "slowCallMs": 2500, "slowCallRate": 0.8, "openSeconds": 10, "trialCalls": 2}}}
                """).breaker();
        assertEquals(new BreakerSettings(0.6, 20, Duration.ofSeconds(120), 3, Duration.ofMillis(2500), 0.8,
                Duration.ofSeconds(10), 2), b);
    }

    @Test
    void absentBreakerSettingsKeepTheirDefaults() {
        BreakerSettings b = parse(SERVERS + "{\"breaker\": {\"openSeconds\": 60, \"failureRate\": 1}}}").breaker();
        BreakerSettings d = BreakerSettings.DEFAULTS;
        assertEquals(new BreakerSettings(1.0, d.minimumCalls(), d.window(), d.consecutiveFailures(), d.slowCall(),
                d.slowCallRate(), Duration.ofSeconds(60), d.trialCalls()), b);
    }

    @Test
    void breakerErrorsNameThePath() {
        assertError(SERVERS + "{\"breaker\": {\"openFor\": 3}}}", "$.health.breaker.openFor",
                "unknown setting; known: consecutiveFailures, failureRate, minimumCalls, openSeconds, slowCallMs,"
                        + " slowCallRate, trialCalls, windowSeconds");
        assertError(SERVERS + "{\"breaker\": [1]}}", "$.health.breaker", "expected an object, got an array");
        assertError(SERVERS + "{\"breaker\": {\"minimumCalls\": 2.5}}}", "$.health.breaker.minimumCalls",
                "expected a whole number (1..1000)");
        assertError(SERVERS + "{\"breaker\": {\"failureRate\": \"half\"}}}", "$.health.breaker.failureRate",
                "expected a number above 0 and at most 1");
        assertError(SERVERS + "{\"breaker\": {\"openSeconds\": -1}}}", "$.health.breaker.openSeconds",
                "must be 1..3600, got -1");
    }

    @Test
    void breakerRangeErrorsNameTheKeyAndItsRange() {
        assertError(SERVERS + "{\"breaker\": {\"failureRate\": 1.5}}}", "$.health.breaker.failureRate",
                "must be above 0 and at most 1, got 1.5");
        assertError(SERVERS + "{\"breaker\": {\"slowCallRate\": 0}}}", "$.health.breaker.slowCallRate",
                "must be above 0 and at most 1, got 0");
        assertError(SERVERS + "{\"breaker\": {\"minimumCalls\": 0}}}", "$.health.breaker.minimumCalls",
                "must be 1..1000, got 0");
        assertError(SERVERS + "{\"breaker\": {\"trialCalls\": 1001}}}", "$.health.breaker.trialCalls",
                "must be 1..1000, got 1001");
        assertError(SERVERS + "{\"breaker\": {\"openSeconds\": 3601}}}", "$.health.breaker.openSeconds",
                "must be 1..3600, got 3601");
        assertError(SERVERS + "{\"breaker\": {\"slowCallMs\": 0}}}", "$.health.breaker.slowCallMs",
                "must be 1..3600000, got 0");
    }

    @Test
    void breakerIsNotAPerServerSetting() {
        assertError(SERVERS + "{\"servers\": {\"x\": {\"breaker\": {}}}}}", "$.health.servers.x.breaker",
                "unknown setting");
    }

    @Test
    void noToolIsIdempotentUnlessConfigured() {
        ToolSemanticsPort tools = parse(SERVERS + "{}}");
        assertFalse(tools.idempotent(X, "read_file"));
        assertFalse(parse("{\"mcpServers\": {\"x\": {\"command\": \"a\"}}}").idempotent(X, "read_file"));
    }

    @Test
    void defaultsApplyToEveryServerAndAServersListReplacesThem() {
        HealthConfig c = parse(SERVERS + """
                {"defaults": {"idempotentTools": ["read_file", "search"]},
                 "servers": {"y": {"idempotentTools": ["get_weather"]}}}}
                """);
        assertTrue(c.idempotent(X, "read_file"));
        assertTrue(c.idempotent(X, "search"));
        assertFalse(c.idempotent(X, "write_file"));
        assertFalse(c.idempotent(X, "get_weather"));
        assertTrue(c.idempotent(Y, "get_weather"));
        assertFalse(c.idempotent(Y, "read_file"), "a server's own list replaces the defaults' list");
        assertTrue(c.idempotent(ServerId.of("unknown"), "search"), "a server not in the file gets the defaults");
    }

    @Test
    void anEmptyServerListMakesNothingIdempotentThere() {
        HealthConfig c = parse(SERVERS + """
                {"defaults": {"idempotentTools": ["read_file"]}, "servers": {"x": {"idempotentTools": []}}}}
                """);
        assertFalse(c.idempotent(X, "read_file"));
        assertTrue(c.idempotent(Y, "read_file"));
    }

    @Test
    void toolNamesAreExact() {
        HealthConfig c = parse(SERVERS + "{\"servers\": {\"x\": {\"idempotentTools\": [\"Read_File\"]}}}}");
        assertTrue(c.idempotent(X, "Read_File"));
        assertFalse(c.idempotent(X, "read_file"));
    }

    @Test
    void idempotentToolsErrorsNameThePath() {
        assertError(SERVERS + "{\"defaults\": {\"idempotentTools\": \"read_file\"}}}",
                "$.health.defaults.idempotentTools", "expected an array of tool names, got the string \"read_file\"");
        assertError(SERVERS + "{\"servers\": {\"x\": {\"idempotentTools\": [\"a\", 3]}}}}",
                "$.health.servers.x.idempotentTools[1]", "expected a string, got number 3");
        assertError(SERVERS + "{\"servers\": {\"x\": {\"idempotentTools\": [null]}}}}",
                "$.health.servers.x.idempotentTools[0]", "must not be null");
        assertError(SERVERS + "{\"servers\": {\"x\": {\"idempotentTools\": [\" \"]}}}}",
                "$.health.servers.x.idempotentTools[0]", "must not be empty");
    }
}
