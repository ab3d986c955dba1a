package dev.mcphealth.infrastructure.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.DeliverOrchestratorUpdatesUseCase;
import dev.mcphealth.application.port.in.DeliverOrchestratorUpdatesUseCase.Delivery;
import dev.mcphealth.application.port.in.DeliverOrchestratorUpdatesUseCase.Held;
import dev.mcphealth.application.port.in.ReconcileOrchestratorTasksUseCase;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The outbox's real-time loop with a delivery the test scripts. It runs on real time, so it waits for what it expects
 * with latches and a deadline; the waits it must not cut short are an hour long, so a test that passes never sleeps.
 */
class OutboxSchedulerTest {
    private static final Duration SHORT = Duration.ofMillis(10);
    private static final Duration HOUR = Duration.ofHours(1);
    /** No row waits for a task id. */
    private static final dev.mcphealth.application.port.in.RelinkDeferredTasksUseCase NO_LINKS = () -> 0;
    private static final Delivery WAITING = new Delivery(List.of(),
            Optional.of(new Held(1, "r1", "orchestrator_plan_task", "breaker open")), 1);

    /** Counts deliveries, counting down each latch in turn, and answers {@code answer}. */
    private static final class Counting implements DeliverOrchestratorUpdatesUseCase {
        final AtomicInteger calls = new AtomicInteger();
        final CountDownLatch first = new CountDownLatch(1);
        final CountDownLatch second = new CountDownLatch(2);
        final CountDownLatch third = new CountDownLatch(3);
        private final java.util.function.IntFunction<Delivery> answer;

        Counting(java.util.function.IntFunction<Delivery> answer) {
            this.answer = answer;
        }

        @Override
        public Delivery deliverPending() {
            int n = calls.incrementAndGet();
            try {
                return answer.apply(n);
            } finally {
                first.countDown();
                second.countDown();
                third.countDown();
            }
        }
    }

    private static boolean within(CountDownLatch latch) throws InterruptedException {
        return latch.await(30, TimeUnit.SECONDS);
    }

    @Test
    void itDeliversAsSoonAsItStarts() throws Exception {
        Counting delivery = new Counting(n -> Delivery.NOTHING);
        try (OutboxScheduler scheduler = new OutboxScheduler(delivery, NO_LINKS, HOUR, HOUR)) {
            scheduler.start();
            assertTrue(within(delivery.first), "calls left from before a restart go out at once");
        }
    }

    @Test
    void itDeliversOnlyInItsTurnAndGivesTheTurnBackAfterEachPass() throws Exception {
        Counting delivery = new Counting(n -> Delivery.NOTHING);
        AtomicInteger asked = new AtomicInteger();
        AtomicInteger given = new AtomicInteger();
        CountDownLatch askedTwice = new CountDownLatch(2);
        java.util.concurrent.atomic.AtomicBoolean mine = new java.util.concurrent.atomic.AtomicBoolean(false);
        OutboxScheduler.Turn turn = () -> {
            asked.incrementAndGet();
            askedTwice.countDown();
            return mine.get() ? Optional.of(given::incrementAndGet) : Optional.empty();
        };
        try (OutboxScheduler scheduler = new OutboxScheduler(delivery, NO_LINKS, Optional.empty(), SHORT, HOUR,
                turn)) {
            scheduler.start();
            assertTrue(within(askedTwice), "asked again at the retry interval while another process has the turn");
            assertEquals(0, delivery.calls.get(), "nothing delivered out of its turn");
            mine.set(true);
            assertTrue(within(delivery.first), "delivered once its turn came");
        }
        assertEquals(delivery.calls.get(), given.get(), "the turn given back after every pass");
    }

    @Test
    void whileCallsWaitItTriesAgainEveryFewSeconds() throws Exception {
        Counting delivery = new Counting(n -> WAITING);
        try (OutboxScheduler scheduler = new OutboxScheduler(delivery, NO_LINKS, SHORT, HOUR)) {
            scheduler.start();
            assertTrue(within(delivery.third), "tried again at the retry interval, not the idle one");
        }
    }

    @Test
    void withNothingWaitingItWaitsUntilWoken() throws Exception {
        Counting delivery = new Counting(n -> Delivery.NOTHING);
        try (OutboxScheduler scheduler = new OutboxScheduler(delivery, NO_LINKS, SHORT, HOUR)) {
            scheduler.start();
            assertTrue(within(delivery.first));
            assertEquals(1, delivery.calls.get(), "idle: an hour to the next look");

            scheduler.wake();

            assertTrue(within(delivery.second), "woken, it delivers at once");
        }
    }

    @Test
    void aWakeDuringADeliveryIsNotLost() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch twice = new CountDownLatch(2);
        OutboxScheduler[] holder = new OutboxScheduler[1];
        DeliverOrchestratorUpdatesUseCase delivery = () -> {
            if (calls.incrementAndGet() == 1) {
                holder[0].wake(); // a call enqueued while the first delivery runs
            }
            twice.countDown();
            return Delivery.NOTHING;
        };
        try (OutboxScheduler scheduler = new OutboxScheduler(delivery, NO_LINKS, HOUR, HOUR)) {
            holder[0] = scheduler;
            scheduler.start();
            assertTrue(within(twice), "the wake that came during a delivery brings the next one at once");
        }
    }

    @Test
    void aDeliveryThatFailsIsTriedAgainAndTheLoopGoesOn() throws Exception {
        Counting delivery = new Counting(n -> {
            if (n == 1) {
                throw new StorageUnavailableException("cannot read the orchestrator outbox: database is locked", null);
            }
            return Delivery.NOTHING;
        });
        try (OutboxScheduler scheduler = new OutboxScheduler(delivery, NO_LINKS, SHORT, HOUR)) {
            scheduler.start();
            assertTrue(within(delivery.second), "tried again at the retry interval");
            assertTrue(scheduler.running());
        }
    }

    @Test
    void stoppedItDeliversNoMore() throws Exception {
        Counting delivery = new Counting(n -> WAITING);
        OutboxScheduler scheduler = new OutboxScheduler(delivery, NO_LINKS, HOUR, HOUR);
        scheduler.start();
        assertTrue(within(delivery.first));

        scheduler.stop(Duration.ofSeconds(5));
        int after = delivery.calls.get();
        scheduler.wake();
        scheduler.start();

        assertFalse(scheduler.running(), "the loop has ended and does not start again");
        assertEquals(after, delivery.calls.get());
    }

    @Test
    void startedTwiceItRunsOneLoop() throws Exception {
        Counting delivery = new Counting(n -> Delivery.NOTHING);
        try (OutboxScheduler scheduler = new OutboxScheduler(delivery, NO_LINKS, HOUR, HOUR)) {
            scheduler.start();
            scheduler.start();
            assertTrue(within(delivery.first));
            long loops = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("mcp-health-outbox") && t.isAlive()).count();
            assertEquals(1, loops);
        }
    }

    @Test
    void afterEachDeliveryRowsAreLinkedToDeferredTasksAndALinkingThatFailsStopsNothing() throws Exception {
        Counting delivery = new Counting(n -> Delivery.NOTHING);
        AtomicInteger linkings = new AtomicInteger();
        CountDownLatch linkedTwice = new CountDownLatch(2);
        dev.mcphealth.application.port.in.RelinkDeferredTasksUseCase relink = () -> {
            linkedTwice.countDown();
            if (linkings.incrementAndGet() == 1) {
                throw new StorageUnavailableException("cannot link deferred orchestrator tasks: database is locked",
                        null);
            }
            return 3;
        };
        try (OutboxScheduler scheduler = new OutboxScheduler(delivery, relink, HOUR, HOUR)) {
            scheduler.start();
            assertTrue(within(delivery.first));
            scheduler.wake();
            assertTrue(within(linkedTwice), "linked after the first delivery (failed) and after the second");
            assertTrue(scheduler.running());
            assertTrue(delivery.calls.get() >= 2);
        }
    }
    // ---- reconciliation ------------------------------------------------------------------------------------

    /** Counts passes; each answers whether a later pass has work ({@code again}). */
    private static final class Passes implements ReconcileOrchestratorTasksUseCase {
        final AtomicInteger calls = new AtomicInteger();
        final CountDownLatch first = new CountDownLatch(1);
        final CountDownLatch second = new CountDownLatch(2);
        final CountDownLatch third = new CountDownLatch(3);
        volatile boolean again;

        @Override
        public Reconciliation reconcile() {
            calls.incrementAndGet();
            first.countDown();
            second.countDown();
            third.countDown();
            return new Reconciliation(List.of(), 0, again, java.time.Instant.EPOCH, Optional.empty());
        }
    }

    @Test
    void itReconcilesAtStartAndWhenTheOrchestratorIsBackButNotOnEveryWake() throws Exception {
        Counting delivery = new Counting(n -> Delivery.NOTHING);
        Passes passes = new Passes();
        try (OutboxScheduler scheduler = new OutboxScheduler(delivery, NO_LINKS, Optional.of(passes), HOUR, HOUR)) {
            scheduler.start();
            assertTrue(within(passes.first), "at start: a crash before may have left tasks open");

            scheduler.wake();
            assertTrue(within(delivery.second));
            scheduler.wake();
            assertTrue(within(delivery.third));
            assertEquals(1, passes.calls.get(), "a call enqueued is no reason to reconcile");

            scheduler.orchestratorBack();
            assertTrue(within(passes.second), "the orchestrator is back: at once");
            scheduler.reconcileSoon();
            assertTrue(within(passes.third), "a call's answer was lost");
        }
    }

    @Test
    void whileCallsWaitItDoesNotReconcile() throws Exception {
        AtomicInteger n = new AtomicInteger();
        CountDownLatch delivered = new CountDownLatch(4);
        Passes passes = new Passes();
        java.util.concurrent.atomic.AtomicBoolean early = new java.util.concurrent.atomic.AtomicBoolean();
        DeliverOrchestratorUpdatesUseCase delivery = () -> {
            delivered.countDown();
            int i = n.incrementAndGet();
            early.compareAndSet(false, passes.calls.get() > 0);
            if (i < 4) {
                return WAITING;
            }
            return new Delivery(List.of(new DeliverOrchestratorUpdatesUseCase.Settled(1, "r1",
                    "orchestrator_complete_task", DeliverOrchestratorUpdatesUseCase.Outcome.UNCONFIRMED,
                    "MCP Health stopped while it was being sent")), Optional.empty(), 0);
        };
        try (OutboxScheduler scheduler = new OutboxScheduler(delivery, NO_LINKS, Optional.of(passes), SHORT, HOUR)) {
            scheduler.start();
            assertTrue(within(delivered));
            assertTrue(within(passes.first), "once nothing waits");
            assertFalse(early.get(), "not while calls waited");
        }
    }

    @Test
    void aPassThatLeftSomethingForLaterIsDueAgainAtTheLoopsPace() throws Exception {
        Counting delivery = new Counting(n -> Delivery.NOTHING);
        Passes passes = new Passes();
        passes.again = true;
        try (OutboxScheduler scheduler = new OutboxScheduler(delivery, NO_LINKS, Optional.of(passes), HOUR, SHORT)) {
            scheduler.start();
            assertTrue(within(passes.third), "looked at again at the idle pace");
        }
    }
    @Test
    void aPassThatFailsIsTriedAgainSoon() throws Exception {
        Counting delivery = new Counting(n -> Delivery.NOTHING);
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch twice = new CountDownLatch(2);
        ReconcileOrchestratorTasksUseCase failingOnce = () -> {
            twice.countDown();
            if (calls.incrementAndGet() == 1) {
                throw new StorageUnavailableException("cannot write the orchestrator outbox: database is locked", null);
            }
            return new ReconcileOrchestratorTasksUseCase.Reconciliation(List.of(), 0, false, java.time.Instant.EPOCH,
                    Optional.empty());
        };
        try (OutboxScheduler scheduler = new OutboxScheduler(delivery, NO_LINKS, Optional.of(failingOnce), SHORT,
                HOUR)) {
            scheduler.start();
            assertTrue(within(twice), "due again after the retry interval, not the idle one");
            assertTrue(scheduler.running());
        }
    }
}
