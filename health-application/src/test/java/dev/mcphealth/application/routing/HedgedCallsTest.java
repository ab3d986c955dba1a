package dev.mcphealth.application.routing;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.CallToolUseCase;
import dev.mcphealth.application.port.out.TimerPort;
import dev.mcphealth.application.port.out.ToolCallPort;
import dev.mcphealth.application.testkit.FailoverRig;
import dev.mcphealth.domain.model.CallOutcome;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.ToolHints;
import dev.mcphealth.domain.model.ToolSpec;
import dev.mcphealth.domain.routing.Balancing;
import dev.mcphealth.domain.routing.RetryBudget;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Hedged calls on a fake fleet: a call whose first request hangs is answered by a second request to the other
 * instance once the hedging delay has passed, only for a tool safe to send twice, in a pool that spreads its calls,
 * and within the pool's budget. The delay passing is the test's to say (a timer double that fires once the first
 * request is held), so no test waits on the clock.
 */
class HedgedCallsTest {
    private final ExecutorService lanes = Executors.newCachedThreadPool();
    /** The next request to come in is held here until the test releases it. */
    private final AtomicReference<CountDownLatch> holdNext = new AtomicReference<>();
    private final CountDownLatch held = new CountDownLatch(1);
    private final AtomicReference<ServerId> heldOn = new AtomicReference<>();
    /** Whether the held request, once let go, comes back failed (timed out) instead of answered. */
    private volatile boolean failTheHeldOne;

    @AfterEach
    void stop() {
        lanes.shutdownNow();
    }

    /** The cancellation the held request was sent with. */
    private final AtomicReference<dev.mcphealth.domain.model.Cancellation> heldCancel = new AtomicReference<>();

    private ToolCallPort holding(ToolCallPort fleet) {
        return new ToolCallPort() {
            @Override
            public CallOutcome callTool(MonitoredServer server, String tool, Map<String, Object> arguments,
                                        Duration timeout, boolean mayConnect, dev.mcphealth.domain.model.Caller caller) {
                if (holdNext.get() != null) {
                    heldCancel.compareAndSet(null, caller.cancel());
                }
                return callTool(server, tool, arguments, timeout, mayConnect);
            }

            @Override
            public CallOutcome callTool(MonitoredServer server, String tool, Map<String, Object> arguments,
                                        Duration timeout, boolean mayConnect) {
                CountDownLatch hold = holdNext.getAndSet(null);
                if (hold != null) {
                    heldOn.set(server.id());
                    held.countDown();
                    try {
                        hold.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    if (failTheHeldOne) {
                        return new CallOutcome.Failed(dev.mcphealth.domain.model.FailureType.TIMEOUT,
                                "timed out (held by the test)", true, Duration.ofSeconds(30));
                    }
                }
                return fleet.callTool(server, tool, arguments, timeout, mayConnect);
            }

            @Override
            public CallOutcome listTools(MonitoredServer server, Duration timeout, boolean mayConnect) {
                return fleet.listTools(server, timeout, mayConnect);
            }

            @Override
            public CallOutcome request(MonitoredServer server, dev.mcphealth.domain.model.UpstreamRequest what,
                                       Map<String, Object> params, Duration timeout, boolean mayConnect) {
                return fleet.request(server, what, params, timeout, mayConnect);
            }
        };
    }

    /** The hedging delay passes as soon as the first request is held (and never when none is). */
    private final TimerPort afterTheFirstIsHeld = delay -> CompletableFuture.runAsync(() -> {
        try {
            held.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }, lanes);

    /**
     * Holds the next request and lets it go as soon as it is held: a call that is not hedged ends only so, answered
     * by the instance that held it (a hedge would be answered by the other one).
     */
    private void letTheNextRequestGoOnceHeld() {
        CountDownLatch release = new CountDownLatch(1);
        holdNext.set(release);
        lanes.submit(() -> {
            held.await();
            release.countDown();
            return null;
        });
    }

    private FailoverRig rig(ResilienceSettings settings, boolean readOnly, String... names) {
        MonitoredServer[] servers = new MonitoredServer[names.length];
        for (int i = 0; i < names.length; i++) {
            servers[i] = aServer().named(names[i]).ofType("search").every(Duration.ofSeconds(1)).build();
        }
        FailoverRig rig = new FailoverRig(settings, 3, new Hedger(lanes, afterTheFirstIsHeld), this::holding,
                servers).started();
        ToolSpec search = new ToolSpec("search", "finds things", "{\"type\":\"object\"}", Optional.empty(),
                new ToolHints(Optional.empty(), Optional.of(readOnly), Optional.empty(), Optional.empty(),
                        Optional.empty()));
        for (String n : names) {
            rig.fleet.tools(n, search);
        }
        rig.client.list(ServerType.of("search"));
        for (int i = 0; i < ResilienceSettings.HEDGE_MIN_CALLS; i++) {
            assertInstanceOf(CallToolUseCase.Served.class, rig.call("search")); // the tool's latency is known
        }
        return rig;
    }

    @Test
    void aReadOnlyCallWhoseFirstRequestHangsIsAnsweredByTheOtherInstance() {
        FailoverRig rig = rig(ResilienceSettings.DEFAULTS, true, "h1", "h2");
        CountDownLatch release = new CountDownLatch(1);
        holdNext.set(release);

        CallToolUseCase.Served s = assertInstanceOf(CallToolUseCase.Served.class, rig.call("search"));

        assertEquals(1, release.getCount(), "answered while the first request was still held");
        assertNotEquals(heldOn.get(), s.servedBy(), "the hedge's instance answered");
        assertTrue(heldCancel.get().cancelled(), "the losing copy is told to stop (its upstream told to cancel)");
        assertEquals("the other copy of the hedged call answered first", heldCancel.get().reason().orElseThrow());
        release.countDown();
    }

    @Test
    void aCallItsCallerCancelsEndsCancelledAndBlamesNoOne() {
        FailoverRig rig = rig(ResilienceSettings.DEFAULTS, true, "h1", "h2");
        dev.mcphealth.domain.model.Cancellation cancel = dev.mcphealth.domain.model.Cancellation.create();
        cancel.cancel("the user pressed stop");

        CallToolUseCase.Result r = rig.client.call(new CallToolUseCase.Command(ServerType.of("search"), "search",
                Map.of(), Optional.empty(), cancel));

        CallToolUseCase.Cancelled c = assertInstanceOf(CallToolUseCase.Cancelled.class, r);
        assertEquals("the user pressed stop", c.reason());
        assertEquals(0, c.attempts(), "cancelled before anything was sent: nothing is");
        assertTrue(rig.breakerLog.isEmpty(), rig.breakerLog.toString());
    }

    @Test
    void theLaneThatLostSendsNothingMoreWhenItsRequestFailsLate() throws Exception {
        FailoverRig rig = rig(ResilienceSettings.DEFAULTS, true, "h1", "h2", "h3");
        failTheHeldOne = true;
        CountDownLatch release = new CountDownLatch(1);
        holdNext.set(release);

        CallToolUseCase.Served s = assertInstanceOf(CallToolUseCase.Served.class, rig.call("search"));
        long sent = calls(rig);
        release.countDown(); // the first request now fails: replayable, but its call is already answered
        lanes.shutdown();
        assertTrue(lanes.awaitTermination(10, TimeUnit.SECONDS), "the losing lane ended");

        assertNotEquals(heldOn.get(), s.servedBy());
        assertEquals(sent, calls(rig), "no failover from the lane that lost: nothing more was sent");
        assertEquals(s.servedBy(), rig.client.serving(ServerType.of("search")).orElseThrow(),
                "and it moved no one's calls");
    }

    private static long calls(FailoverRig rig) {
        return rig.fleet.requests().stream().filter(r -> r.what().startsWith("tools/call")).count();
    }

    @Test
    void aToolNotSafeToSendTwiceIsNeverHedged() {
        FailoverRig rig = rig(ResilienceSettings.DEFAULTS, false, "h1", "h2");
        letTheNextRequestGoOnceHeld();

        CallToolUseCase.Served s = assertInstanceOf(CallToolUseCase.Served.class, rig.call("search"));

        assertEquals(heldOn.get(), s.servedBy(), "only the first request was sent");
        assertEquals(1, s.attempts());
    }

    @Test
    void aStickyPoolIsNeverHedged() {
        FailoverRig rig = rig(ResilienceSettings.DEFAULTS.withBalancing(Map.of(), Balancing.STICKY), true,
                "h1", "h2");
        letTheNextRequestGoOnceHeld();

        CallToolUseCase.Served s = assertInstanceOf(CallToolUseCase.Served.class, rig.call("search"));

        assertEquals(heldOn.get(), s.servedBy(), "a stateful pool's calls stay where the state is");
    }

    @Test
    void noHedgeIsSentWhenThePoolsBudgetIsSpent() {
        FailoverRig rig = rig(ResilienceSettings.DEFAULTS.withRetryBudget(new RetryBudget.Settings(0.0001, 0,
                Duration.ofSeconds(10))), true, "h1", "h2");
        letTheNextRequestGoOnceHeld();

        CallToolUseCase.Served s = assertInstanceOf(CallToolUseCase.Served.class, rig.call("search"));

        assertEquals(heldOn.get(), s.servedBy(), "no budget, no hedge: the first request's answer");
    }

    @Test
    void aPoolOfOneHasNothingToHedgeTo() {
        FailoverRig rig = rig(ResilienceSettings.DEFAULTS, true, "h1");
        letTheNextRequestGoOnceHeld();

        assertInstanceOf(CallToolUseCase.Served.class, rig.call("search"));
        assertFalse(rig.fleet.requests().stream().filter(r -> r.what().startsWith("tools/call")).count()
                > ResilienceSettings.HEDGE_MIN_CALLS + 1L, "one request per call");
        assertTrue(heldOn.get() != null);
    }
}
