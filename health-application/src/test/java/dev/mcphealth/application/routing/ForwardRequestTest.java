package dev.mcphealth.application.routing;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.ForwardRequestUseCase;
import dev.mcphealth.application.port.in.NoHealthyInstanceException;
import dev.mcphealth.application.testkit.FailoverRig;
import dev.mcphealth.domain.model.Cancellation;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.UpstreamRequest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A pool's prompts and resources through the resilient path (gateway mode), on a test clock over a fake fleet: a
 * request goes to a usable instance and on to another when one fails; a refusal is the server's answer, not its
 * failure; a listing no instance can answer is the remembered one.
 */
class ForwardRequestTest {
    private static final ServerType DOCS = ServerType.of("docs");

    private static MonitoredServer server(String name) {
        return aServer().named(name).ofType("docs").every(Duration.ofSeconds(1)).recovering(3, Duration.ofSeconds(10))
                .build();
    }

    private static FailoverRig rig() {
        return new FailoverRig(FailoverRig.STICKY, 3, server("a"), server("b")).started();
    }

    @Test
    void aPromptIsGotFromTheServingInstanceAndFromTheOtherOnceItDies() {
        FailoverRig rig = rig();
        ForwardRequestUseCase.Result first = rig.client.upstream().forward(DOCS, UpstreamRequest.GET_PROMPT,
                Map.of("name", "greet"));
        ForwardRequestUseCase.Answered a = assertInstanceOf(ForwardRequestUseCase.Answered.class, first);
        assertEquals("a", a.by().value());
        assertTrue(a.json().contains("hello from a"), a.json());
        assertFalse(a.refused());

        rig.fleet.kill("a");
        ForwardRequestUseCase.Answered b = assertInstanceOf(ForwardRequestUseCase.Answered.class,
                rig.client.upstream().forward(DOCS, UpstreamRequest.GET_PROMPT, Map.of("name", "greet")));
        assertEquals("b", b.by().value(), "a read goes on to another instance when one fails");
    }

    @Test
    void aRequestItsClientCancelledIsSentNowhereAndSaysSo() {
        FailoverRig rig = rig();
        Cancellation cancel = Cancellation.create();
        cancel.cancel("the user closed the prompt picker");

        ForwardRequestUseCase.Cancelled c = assertInstanceOf(ForwardRequestUseCase.Cancelled.class,
                rig.client.upstream().forward(DOCS, UpstreamRequest.GET_PROMPT, Map.of("name", "greet"), cancel));

        assertEquals("the user closed the prompt picker", c.reason());
        assertEquals(0, rig.fleet.requests().stream().filter(q -> q.what().equals("get_prompt")).count(),
                "no instance was asked");
        assertInstanceOf(ForwardRequestUseCase.Answered.class, rig.client.upstream().forward(DOCS,
                UpstreamRequest.GET_PROMPT, Map.of("name", "greet"), Cancellation.create()), "the next is served");
    }

    @Test
    void aRefusalIsTheServersAnswerAndTripsNoBreaker() {
        FailoverRig rig = rig();
        for (int i = 0; i < 10; i++) {
            ForwardRequestUseCase.Answered r = assertInstanceOf(ForwardRequestUseCase.Answered.class,
                    rig.client.upstream().forward(DOCS, UpstreamRequest.READ_RESOURCE, Map.of("uri", "fake://nowhere")));
            assertTrue(r.refused());
            assertTrue(r.json().contains("-32002"), r.json());
            assertEquals("a", r.by().value(), "a refusal moves no calls");
        }
        assertTrue(rig.breakerLog.isEmpty(), "no breaker changed: " + rig.breakerLog);
        assertEquals(0, rig.fleet.requests().stream().filter(q -> q.what().equals("read_resource")
                && q.server().value().equals("b")).count(), "b was never asked");
    }

    @Test
    void aListingNoInstanceCanAnswerIsTheRememberedOneMarkedStale() {
        FailoverRig rig = rig();
        ForwardRequestUseCase.Listing fresh = rig.client.upstream().list(DOCS, UpstreamRequest.LIST_RESOURCES);
        assertFalse(fresh.stale());
        assertTrue(fresh.json().contains("fake://a/readme"), fresh.json());

        rig.fleet.kill("a");
        rig.fleet.kill("b");
        ForwardRequestUseCase.Listing stale = rig.client.upstream().list(DOCS, UpstreamRequest.LIST_RESOURCES);
        assertTrue(stale.stale());
        assertEquals(fresh.json(), stale.json());

        NoHealthyInstanceException never = assertThrows(NoHealthyInstanceException.class,
                () -> rig.client.upstream().list(DOCS, UpstreamRequest.LIST_PROMPTS), "prompts were never listed");
        assertTrue(never.getMessage().contains("retry after"), never.getMessage());
        ForwardRequestUseCase.NotAnswered down = assertInstanceOf(ForwardRequestUseCase.NotAnswered.class,
                rig.client.upstream().forward(DOCS, UpstreamRequest.GET_PROMPT, Map.of("name", "greet")));
        assertTrue(down.message().startsWith("docs: "), down.message());
    }

    @Test
    void aListingIsNotForwardedNorAGetListed() {
        FailoverRig rig = rig();
        assertThrows(IllegalArgumentException.class,
                () -> rig.client.upstream().forward(DOCS, UpstreamRequest.LIST_PROMPTS, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> rig.client.upstream().list(DOCS, UpstreamRequest.GET_PROMPT));
    }
}
