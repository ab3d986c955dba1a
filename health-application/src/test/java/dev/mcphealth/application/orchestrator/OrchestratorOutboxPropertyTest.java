package dev.mcphealth.application.orchestrator;

import dev.mcphealth.application.testkit.Answers;
import dev.mcphealth.application.testkit.ScriptedOrchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.DeliverOrchestratorUpdatesUseCase.Delivery;
import dev.mcphealth.application.port.out.InMemoryOutbox;
import dev.mcphealth.application.testkit.TestClock;
import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import dev.mcphealth.application.port.out.OrchestratorRequest;
import dev.mcphealth.application.port.out.OutboxPort;
import dev.mcphealth.application.port.out.OutboxPort.State;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Whatever the orchestrator answers, however often it is away, the store fails or the process restarts: every entry
 * reaches the orchestrator at most once, entries reach it in the order they were created, and once it is back every
 * entry is settled, none lost.
 */
class OrchestratorOutboxPropertyTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    @Property(tries = 300)
    void everyEntryReachesTheOrchestratorAtMostOnceInOrderAndNoneIsLost(@ForAll long seed,
                                                                        @ForAll @IntRange(min = 1, max = 80) int steps) {
        Random random = new Random(seed);
        TestClock clock = new TestClock(T0);
        InMemoryOutbox outbox = new InMemoryOutbox();
        ScriptedOrchestrator orchestrator = new ScriptedOrchestrator().answering(c -> reply(random, c));
        OrchestratorOutboxService service = new OrchestratorOutboxService(orchestrator, outbox, clock);
        List<Long> plans = new ArrayList<>();

        for (int step = 0; step < steps; step++) {
            clock.advance(Duration.ofSeconds(1));
            int what = random.nextInt(10);
            if (what < 4) {
                String run = "r" + random.nextInt(4);
                List<Long> ofRun = new ArrayList<>();
                for (long p : plans) {
                    if (outbox.entry(p).orElseThrow().run().equals(run)) {
                        ofRun.add(p);
                    }
                }
                String n = Long.toString(step);
                if (ofRun.isEmpty() || random.nextBoolean()) {
                    plans.add(service.enqueue(OutboxPort.Call.of(run, new OrchestratorRequest.PlanTask(n, "",
                            Optional.empty(), "simple", "devops"))));
                } else {
                    service.enqueue(OutboxPort.Call.withTaskFrom(run, new OrchestratorRequest.UpdateTask(
                            Optional.empty(), "completed", Optional.of(n)), ofRun.get(random.nextInt(ofRun.size()))));
                }
            } else if (what < 5) {
                orchestrator.away("breaker open");
            } else if (what < 7) {
                orchestrator.back();
            } else if (what < 8) {
                outbox.failNext(random.nextBoolean() ? InMemoryOutbox.Operation.SETTLE
                        : InMemoryOutbox.Operation.RELEASE);
            } else if (what < 9) {
                service = new OrchestratorOutboxService(orchestrator, outbox, clock); // a restart: memory lost
            } else {
                deliver(service);
            }
        }
        orchestrator.back().answering(c -> Answers.planned("task_00000001"));
        Delivery last = deliver(service);
        for (int i = 0; last == null && i < steps; i++) {
            last = deliver(service); // the store failed again: failures asked for and not yet met
        }

        assertEquals(0, last.left());
        Map<Long, Integer> received = new HashMap<>();
        long previous = -1;
        for (ScriptedOrchestrator.Call c : orchestrator.received()) {
            long n = n(c.request());
            received.merge(n, 1, Integer::sum);
            assertTrue(n > previous, "in order of creation: " + n + " after " + previous);
            previous = n;
        }
        received.forEach((n, times) -> assertEquals(1, times, "entry with n=" + n + " reached it " + times + " times"));
        for (OutboxPort.Entry e : outbox.unsettled(0, Integer.MAX_VALUE)) {
            throw new AssertionError("left unsettled: " + e);
        }
        long sentOrMaybe = 0;
        for (long id = 1; outbox.entry(id).isPresent(); id++) {
            OutboxPort.Entry e = outbox.entry(id).get();
            long n = n(e.call().request());
            boolean got = received.containsKey(n);
            if (e.state() == State.SKIPPED) {
                assertTrue(!got, "a skipped entry is never sent: " + e);
            } else if (e.state() != State.UNCONFIRMED) {
                assertTrue(got, "an entry settled with the orchestrator's reply reached it: " + e);
            }
            if (got) {
                sentOrMaybe++;
            }
        }
        assertEquals(received.size(), sentOrMaybe);
    }

    private static Delivery deliver(OrchestratorOutboxService service) {
        try {
            return service.deliverPending();
        } catch (StorageUnavailableException e) {
            return null;
        }
    }

    private static OrchestratorReply reply(Random random, ScriptedOrchestrator.Call c) {
        switch (random.nextInt(6)) {
            case 0:
                return new OrchestratorReply.NotDelivered("connection refused");
            case 1:
                return new OrchestratorReply.Refused("refused");
            case 2:
                return new OrchestratorReply.Unconfirmed("timeout");
            case 3:
                return new OrchestratorReply.DoneDespiteError("{'status': 'error'}");
            default:
                return Answers.planned("task_" + n(c.request()));
        }
    }

    /** The step that made a request: a plan's title, an update's description. */
    private static long n(OrchestratorRequest request) {
        return Long.parseLong(request instanceof OrchestratorRequest.PlanTask p ? p.title()
                : ((OrchestratorRequest.UpdateTask) request).description().orElseThrow());
    }
}
