package dev.mcphealth.infrastructure.di;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.out.InMemoryOutbox;
import dev.mcphealth.application.port.out.MonitorEventPort;
import dev.mcphealth.application.port.out.OrchestratorPort;
import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import dev.mcphealth.application.port.out.OrchestratorRequest;
import dev.mcphealth.application.port.out.OrchestratorTool;
import dev.mcphealth.application.port.out.OutboxPort;
import dev.mcphealth.application.orchestrator.OrchestratorOutboxService;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.RecoveryAction;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.infrastructure.config.ConfigLoader;
import dev.mcphealth.infrastructure.config.HealthConfig;
import dev.mcphealth.infrastructure.events.OrchestratorReturnWatch;
import dev.mcphealth.infrastructure.scheduler.OutboxScheduler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The provider methods, called directly (unit tests do not build components). */
class OutboxModuleTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
    private static final ServerId ORCHESTRATOR = ServerId.of("task-orchestrator");
    private static final HealthConfig WITH_ORCHESTRATOR = new ConfigLoader(Map.<String, String>of()::get).parse("""
            {"mcpServers": {"files": {"command": "a"}, "task-orchestrator": {"command": "python"}},
             "health": {"orchestrator": "task-orchestrator"}}""", Path.of("mcp.json"));
    private static final HealthConfig WITHOUT_ORCHESTRATOR = new ConfigLoader(Map.<String, String>of()::get).parse(
            "{\"mcpServers\": {\"files\": {\"command\": \"a\"}}}", Path.of("mcp.json"));

    /** An orchestrator that answers every call, counting down {@code received}. */
    private static OrchestratorPort answering(CountDownLatch received) {
        return new OrchestratorPort() {
            @Override
            public ServerId server() {
                return ORCHESTRATOR;
            }

            @Override
            public dev.mcphealth.domain.model.BreakerState breaker() {
                return dev.mcphealth.domain.model.BreakerState.CLOSED;
            }

            @Override
            public OrchestratorReply call(OrchestratorRequest request) {
                received.countDown();
                return dev.mcphealth.infrastructure.orchestrator.AnswerReader.answered(request.tool(),
                        Map.of("status", "success"));
            }
        };
    }

    @Test
    void withoutAnOrchestratorThereIsNeitherDeliveryNorLoop() {
        Optional<OrchestratorOutboxService> service =
                OutboxModule.orchestratorOutbox(java.util.Optional.empty(), new InMemoryOutbox(), CLOCK);

        assertEquals(Optional.empty(), service);
        assertEquals(Optional.empty(), OutboxModule.deliverOrchestratorUpdates(service));
        assertEquals(Optional.empty(), OutboxModule.outboxScheduler(service,
                OutboxModule.orchestratorReturns(e -> { }, WITHOUT_ORCHESTRATOR), () -> 0, Optional.empty(), OutboxScheduler.Turn.ALWAYS));
    }

    @Test
    void anEnqueuedCallWakesTheLoopAtOnce() throws Exception {
        CountDownLatch received = new CountDownLatch(1);
        Optional<OrchestratorOutboxService> service =
                OutboxModule.orchestratorOutbox(Optional.of(answering(received)), new InMemoryOutbox(), CLOCK);
        OutboxScheduler scheduler = OutboxModule.outboxScheduler(service,
                OutboxModule.orchestratorReturns(e -> { }, WITH_ORCHESTRATOR), () -> 0, Optional.empty(), OutboxScheduler.Turn.ALWAYS)
                .orElseThrow();
        try {
            scheduler.start();
            service.orElseThrow().enqueue(OutboxPort.Call.of("r1", new OrchestratorRequest.GetStatus(false)));

            assertTrue(received.await(OutboxScheduler.IDLE_CHECK.toSeconds() / 3, TimeUnit.SECONDS),
                    "delivered long before the idle loop would look again");
        } finally {
            scheduler.stop(java.time.Duration.ofSeconds(5));
        }
    }

    static Stream<MonitorEvent> theOrchestratorIsBack() {
        Instant at = CLOCK.instant();
        return Stream.of(
                new MonitorEvent.StatusChanged(ORCHESTRATOR, Optional.of(HealthStatus.OFFLINE), HealthStatus.HEALTHY,
                        at, Optional.empty()),
                new MonitorEvent.RecoverySucceeded(ORCHESTRATOR, RecoveryAction.RESTART, 2, Duration.ofSeconds(40),
                        at));
    }

    /**
     * A call another process left in the outbox after the loop last looked (so nothing enqueued here wakes the loop,
     * and the loop, finding nothing, would look again only after {@link OutboxScheduler#IDLE_CHECK}): the
     * orchestrator's return, published where the services publish events, gets it delivered long before that.
     */
    @ParameterizedTest
    @MethodSource("theOrchestratorIsBack")
    void theOrchestratorComingBackWakesTheLoopAtOnce(MonitorEvent back) throws Exception {
        CountDownLatch received = new CountDownLatch(1);
        InMemoryOutbox store = new InMemoryOutbox();
        CountDownLatch looked = new CountDownLatch(1);
        Optional<OrchestratorOutboxService> service = OutboxModule.orchestratorOutbox(
                Optional.of(answering(received)), afterEachCount(store, looked), CLOCK);
        List<MonitorEvent> listened = new CopyOnWriteArrayList<>();
        OrchestratorReturnWatch returns = OutboxModule.orchestratorReturns(listened::add, WITH_ORCHESTRATOR);
        MonitorEventPort events = OutboxModule.events(returns);
        OutboxScheduler scheduler = OutboxModule.outboxScheduler(service, returns, () -> 0, Optional.empty(), OutboxScheduler.Turn.ALWAYS)
                .orElseThrow();
        try {
            scheduler.start();
            assertTrue(looked.await(30, TimeUnit.SECONDS), "the loop's first delivery found nothing");
            store.add(OutboxPort.Call.of("r1", new OrchestratorRequest.GetStatus(false)), CLOCK.instant());

            events.publish(back);

            assertTrue(received.await(OutboxScheduler.IDLE_CHECK.toSeconds() / 3, TimeUnit.SECONDS),
                    "delivered long before the idle loop would look again");
            assertEquals(List.of(back), listened, "the event goes on to the composition root's port");
        } finally {
            scheduler.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void withoutAnOrchestratorEventsAreOnlyPassedOn() {
        List<MonitorEvent> listened = new CopyOnWriteArrayList<>();
        OrchestratorReturnWatch returns = OutboxModule.orchestratorReturns(listened::add, WITHOUT_ORCHESTRATOR);
        returns.onReturn(() -> {
            throw new AssertionError("no orchestrator, no return");
        });
        List<MonitorEvent> back = theOrchestratorIsBack().toList();

        back.forEach(OutboxModule.events(returns)::publish);

        assertEquals(back, listened);
    }

    /** {@code store}, counting {@code latch} down each time a caller has read how many entries wait. */
    private static OutboxPort afterEachCount(InMemoryOutbox store, CountDownLatch latch) {
        return (OutboxPort) Proxy.newProxyInstance(OutboxPort.class.getClassLoader(), new Class<?>[] {OutboxPort.class},
                (proxy, method, args) -> {
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if (method.getName().equals("countUnsettled")) {
                            latch.countDown();
                        }
                    }
                });
    }
}
