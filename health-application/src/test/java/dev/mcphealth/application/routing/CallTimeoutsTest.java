package dev.mcphealth.application.routing;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcphealth.application.port.in.CallToolUseCase;
import dev.mcphealth.application.port.out.ConcurrencyLimitPort;
import dev.mcphealth.application.port.out.ToolCallPort;
import dev.mcphealth.application.testkit.FailoverRig;
import dev.mcphealth.domain.model.AskClient;
import dev.mcphealth.domain.model.CallOutcome;
import dev.mcphealth.domain.model.Caller;
import dev.mcphealth.domain.model.ClientAsk;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.UpstreamRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Each tool's calls wait as long as its latency says: the ceiling while too few are known, then eight times its p99
 * (at least 5 s); the ceiling for a call whose progress is followed, and always when adaptive timeouts are off.
 */
class CallTimeoutsTest {
    /** The timeout each call was sent with. */
    private final List<Duration> timeouts = new CopyOnWriteArrayList<>();

    private ToolCallPort noting(ToolCallPort fleet) {
        return new ToolCallPort() {
            @Override
            public CallOutcome callTool(MonitoredServer server, String tool, Map<String, Object> arguments,
                                        Duration timeout, boolean mayConnect) {
                timeouts.add(timeout);
                return fleet.callTool(server, tool, arguments, timeout, mayConnect);
            }

            @Override
            public CallOutcome callTool(MonitoredServer server, String tool, Map<String, Object> arguments,
                                        Duration timeout, boolean mayConnect, Caller caller) {
                return callTool(server, tool, arguments, timeout, mayConnect);
            }

            @Override
            public CallOutcome listTools(MonitoredServer server, Duration timeout, boolean mayConnect) {
                return fleet.listTools(server, timeout, mayConnect);
            }

            @Override
            public CallOutcome request(MonitoredServer server, UpstreamRequest what, Map<String, Object> params,
                                       Duration timeout, boolean mayConnect) {
                return fleet.request(server, what, params, timeout, mayConnect);
            }
        };
    }

    private FailoverRig rig(ResilienceSettings settings) {
        MonitoredServer a = aServer().named("a").ofType("search").every(Duration.ofSeconds(1)).build();
        return new FailoverRig(settings, 3, Hedger.NONE, this::noting, ConcurrencyLimitPort.NONE, a).started();
    }

    @Test
    void aToolWaitsTheCeilingUntilItsLatencyIsKnownThenEightTimesItsP99AtLeastFiveSeconds() {
        FailoverRig rig = rig(ResilienceSettings.DEFAULTS);
        for (int i = 0; i < 21; i++) {
            rig.call("search"); // the fleet answers in 10 ms
        }
        assertEquals(Duration.ofSeconds(30), timeouts.get(0), "nothing known yet: the ceiling");
        assertEquals(Duration.ofSeconds(30), timeouts.get(19), "19 known");
        assertEquals(Duration.ofSeconds(5), timeouts.get(20), "20 known at about 10 ms: 8 x p99 is under the floor");

        rig.client.call(new CallToolUseCase.Command(ServerType.of("search"), "search", Map.of(),
                Optional.of(p -> { })));
        assertEquals(Duration.ofSeconds(30), timeouts.get(21), "a followed call is a long one: the ceiling");

        rig.client.call(new CallToolUseCase.Command(ServerType.of("search"), "search", Map.of(),
                Caller.NONE.asking(Optional.of(clientThatCan(ClientAsk.ROOTS)))));
        assertEquals(Duration.ofSeconds(5), timeouts.get(22), "a client that can list its roots only: no person waits");
        rig.client.call(new CallToolUseCase.Command(ServerType.of("search"), "search", Map.of(),
                Caller.NONE.asking(Optional.of(clientThatCan(ClientAsk.ROOTS, ClientAsk.ELICITATION)))));
        assertEquals(Duration.ofSeconds(30), timeouts.get(23), "its user may be asked something: the ceiling");
    }

    /** Test double of a gateway's client: it declared {@code kinds}, and is never asked here. */
    private static AskClient clientThatCan(ClientAsk... kinds) {
        return new AskClient() {
            @Override
            public String clientId() {
                return "session";
            }

            @Override
            public boolean can(ClientAsk kind) {
                return List.of(kinds).contains(kind);
            }

            @Override
            public String ask(ClientAsk kind, String paramsJson) {
                throw new AssertionError("not asked here");
            }
        };
    }

    @Test
    void withAdaptiveTimeoutsOffEveryCallWaitsTheConfiguredCeiling() {
        FailoverRig rig = rig(ResilienceSettings.DEFAULTS.withCallTimeout(Duration.ofSeconds(90), false));
        for (int i = 0; i < 25; i++) {
            rig.call("search");
        }
        assertEquals(List.of(Duration.ofSeconds(90)), timeouts.stream().distinct().toList());
    }
}
