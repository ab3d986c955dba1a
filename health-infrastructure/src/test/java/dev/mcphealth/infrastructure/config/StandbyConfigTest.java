package dev.mcphealth.infrastructure.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcphealth.domain.model.ServerId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** health.servers.NAME.standby: which instances of a pool stand by, and the pools that cannot have one. */
class StandbyConfigTest {
    private static final String SERVERS = "{\"mcpServers\": {\"m1\": {\"command\": \"a\"}, \"m2\": {\"command\":"
            + " \"a\"}, \"m3\": {\"command\": \"a\"}, \"o\": {\"command\": \"o\"}}, \"health\": ";

    private static HealthConfig parse(String json) {
        return ResilienceConfigTest.parse(json);
    }

    private static void assertError(String json, String path, String problem) {
        ResilienceConfigTest.assertError(json, path, problem);
    }

    @Test
    void theStandbyInstancesAreListedInConfigurationOrderAndNoneByDefault() {
        assertEquals(List.of(), parse(SERVERS + "{}}").standby());
        HealthConfig c = parse(SERVERS + """
                {"servers": {"m3": {"serverType": "memory", "standby": true},
                             "m1": {"serverType": "memory"},
                             "m2": {"serverType": "memory", "standby": true}}}}
                """);
        assertEquals(List.of(ServerId.of("m2"), ServerId.of("m3")), c.standby());
        assertEquals(List.of(), parse(SERVERS + "{\"servers\": {\"m2\": {\"serverType\": \"m1\", \"standby\": false}}}}")
                .standby());
    }

    @Test
    void aDisabledStandbyInstanceIsNotOne() {
        HealthConfig c = parse(SERVERS + """
                {"servers": {"m1": {"serverType": "memory"},
                             "m2": {"serverType": "memory", "standby": true, "enabled": false}}}}
                """);
        assertEquals(List.of(), c.standby());
    }

    @Test
    void aPoolWithoutAnInstanceInServiceIsRefused() {
        assertError(SERVERS + "{\"servers\": {\"m1\": {\"standby\": true}}}}", "$.health.servers.m1.standby",
                "every enabled instance of the pool \"m1\" is on standby");
        assertError(SERVERS + """
                {"servers": {"m1": {"serverType": "memory", "standby": true},
                             "m2": {"serverType": "memory", "enabled": false}}}}
                """, "$.health.servers.m1.standby", "at least one must be in service");
    }

    @Test
    void standbyIsPerServerNotADefault() {
        assertError(SERVERS + "{\"defaults\": {\"standby\": true}}}", "$.health.defaults.standby", "is per server");
    }

    @Test
    void aManualModePoolAndTheOrchestratorCannotStandBy() {
        assertError(SERVERS + """
                {"servers": {"m1": {"serverType": "memory", "fallback": {"strategy": "manual_mode"}},
                             "m2": {"serverType": "memory", "standby": true}}}}
                """, "$.health.servers.m2.standby", "manual_mode");
        assertError(SERVERS + """
                {"orchestrator": "o", "servers": {"o": {"serverType": "memory", "standby": true},
                                                  "m1": {"serverType": "memory"}}}}
                """, "$.health.servers.o.standby", "the orchestrator cannot be a standby instance");
    }

    @Test
    void standbyMustBeABoolean() {
        assertError(SERVERS + "{\"servers\": {\"m1\": {\"standby\": \"yes\"}}}}", "$.health.servers.m1.standby",
                "");
    }

    @Test
    void prewarmTimingIsReadWithinItsRanges() {
        assertEquals(dev.mcphealth.domain.learning.Prewarm.Timing.DEFAULT, parse(SERVERS + "{}}").prewarm());
        assertEquals(new dev.mcphealth.domain.learning.Prewarm.Timing(java.time.Duration.ofSeconds(300),
                java.time.Duration.ofSeconds(5)), parse(SERVERS + "{\"prewarm\": {\"leadSeconds\": 300,"
                + " \"staySeconds\": 5}}}").prewarm());
        assertError(SERVERS + "{\"prewarm\": {\"leadSeconds\": 3601}}}", "$.health.prewarm.leadSeconds", "0..3600");
        assertError(SERVERS + "{\"prewarm\": {\"staySeconds\": -1}}}", "$.health.prewarm.staySeconds", "");
        assertError(SERVERS + "{\"prewarm\": {\"lead\": 1}}}", "$.health.prewarm.lead",
                "unknown setting; known: leadSeconds, staySeconds");
    }
}
