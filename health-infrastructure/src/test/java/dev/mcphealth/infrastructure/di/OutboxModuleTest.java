package dev.mcphealth.infrastructure.di;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.out.InMemoryOutbox;
import dev.mcphealth.application.port.out.OrchestratorPort;
import dev.mcphealth.domain.model.OrchestratorReply;
import dev.mcphealth.application.port.out.OrchestratorTool;
import dev.mcphealth.application.port.out.OutboxPort;
import dev.mcphealth.application.service.OrchestratorOutboxService;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.infrastructure.scheduler.OutboxScheduler;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The provider methods, called directly (unit tests do not build components). */
class OutboxModuleTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void withoutAnOrchestratorThereIsNeitherDeliveryNorLoop() {
        Optional<OrchestratorOutboxService> service =
                OutboxModule.orchestratorOutbox(java.util.Optional.empty(), new InMemoryOutbox(), CLOCK);

        assertEquals(Optional.empty(), service);
        assertEquals(Optional.empty(), OutboxModule.deliverOrchestratorUpdates(service));
        assertEquals(Optional.empty(), OutboxModule.outboxScheduler(service));
    }

    @Test
    void anEnqueuedCallWakesTheLoopAtOnce() throws Exception {
        CountDownLatch received = new CountDownLatch(1);
        OrchestratorPort orchestrator = new OrchestratorPort() {
            @Override
            public ServerId server() {
                return ServerId.of("orchestrator");
            }

            @Override
            public dev.mcphealth.domain.model.BreakerState breaker() {
                return dev.mcphealth.domain.model.BreakerState.CLOSED;
            }

            @Override
            public OrchestratorReply call(OrchestratorTool tool, Map<String, Object> arguments) {
                received.countDown();
                return new OrchestratorReply.Answered(Map.of("status", "success"));
            }
        };
        Optional<OrchestratorOutboxService> service =
                OutboxModule.orchestratorOutbox(Optional.of(orchestrator), new InMemoryOutbox(), CLOCK);
        OutboxScheduler scheduler = OutboxModule.outboxScheduler(service).orElseThrow();
        try {
            scheduler.start();
            service.orElseThrow().enqueue(OutboxPort.Call.of("r1", OrchestratorTool.GET_STATUS, Map.of()));

            assertTrue(received.await(OutboxScheduler.IDLE_CHECK.toSeconds() / 3, TimeUnit.SECONDS),
                    "delivered long before the idle loop would look again");
        } finally {
            scheduler.stop(java.time.Duration.ofSeconds(5));
        }
    }
}
