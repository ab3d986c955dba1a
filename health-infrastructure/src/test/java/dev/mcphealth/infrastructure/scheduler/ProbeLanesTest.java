package dev.mcphealth.infrastructure.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The two lanes with small bounds (4 steady, 2 slow), probes that hold their worker until released. */
class ProbeLanesTest {
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger ended = new AtomicInteger();
    private final ProbeLanes lanes = new ProbeLanes(4, 2, 8, named("steady"), named("slow"));

    private static ThreadFactory named(String lane) {
        return r -> {
            Thread t = new Thread(r, "test-" + lane);
            t.setDaemon(true);
            return t;
        };
    }

    @AfterEach
    void stop() {
        release.countDown();
        lanes.shutdownNow();
    }

    private Runnable holding(CountDownLatch started) {
        Runnable waits = waiting(started, release);
        return () -> {
            running.incrementAndGet();
            waits.run();
            running.decrementAndGet();
            ended.incrementAndGet();
        };
    }

    /** A probe that says it started, then holds its worker until {@code until} (a hung one, for the watchdog). */
    private static Runnable waiting(CountDownLatch started, CountDownLatch until) {
        return () -> {
            started.countDown();
            try {
                until.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    /** Waits (real time: the lanes' threads run on it) until {@code n} probes run, then a moment more. */
    private void settle(CountDownLatch started) throws InterruptedException {
        assertTrue(started.await(10, TimeUnit.SECONDS), "the probes that have a worker start");
        new CountDownLatch(1).await(200, TimeUnit.MILLISECONDS); // any probe that should not start would now
    }

    @Test
    void steadyProbesPastTheirLaneBorrowTheSlowLaneThenWaitInLineAndTheThreadsStayBounded() throws Exception {
        CountDownLatch six = new CountDownLatch(6);
        for (int i = 0; i < 7; i++) {
            lanes.execute(holding(six), false);
        }
        settle(six);
        assertEquals(6, running.get(), "4 steady workers and the 2 slow ones; the seventh waits in line");
        assertEquals(6, lanes.threads());
        release.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ended.get() < 7 && System.nanoTime() < deadline) {
            new CountDownLatch(1).await(10, TimeUnit.MILLISECONDS);
        }
        assertEquals(7, ended.get(), "the one in line ran when a worker was free");
    }

    @Test
    void slowProbesTakeAtMostHalfTheSteadyLaneSoSteadyServersStillGoAtOnce() throws Exception {
        CountDownLatch four = new CountDownLatch(4);
        for (int i = 0; i < 6; i++) {
            lanes.execute(holding(four), true);
        }
        settle(four);
        assertEquals(4, running.get(), "2 slow workers and half the steady lane; the others wait in line");
        CountDownLatch steady = new CountDownLatch(2);
        lanes.execute(holding(steady), false);
        lanes.execute(holding(steady), false);
        settle(steady);
        assertEquals(6, running.get(), "steady servers still have workers");
        assertEquals(6, lanes.threads(), "at most the two bounds");
    }

    @Test
    void anIdleWorkerIsUsedBeforeANewOneIsStarted() throws Exception {
        for (int i = 0; i < 20; i++) {
            CountDownLatch done = new CountDownLatch(1);
            lanes.execute(done::countDown, false);
            assertTrue(done.await(10, TimeUnit.SECONDS));
            new CountDownLatch(1).await(20, TimeUnit.MILLISECONDS); // the worker is back waiting for work
        }
        assertTrue(lanes.threads() <= 3, "one probe at a time needs one worker (a late one aside), got "
                + lanes.threads());
        assertFalse(lanes.threads() == 0);
    }

    @Test
    void aProbeTheWatchdogFoundHungLeavesItsPlaceSoTheOneInLineRunsAndThePlaceComesBackWhenItReturns()
            throws Exception {
        ProbeLanes small = new ProbeLanes(1, 1, 1, named("steady"), named("slow"));
        try {
            CountDownLatch hangs = new CountDownLatch(1);
            CountDownLatch two = new CountDownLatch(2);
            ProbeLanes.Slot hung = small.execute(waiting(two, hangs), false);
            small.execute(holding(two), false); // the steady lane is full: a slow worker
            settle(two);
            CountDownLatch third = new CountDownLatch(1);
            small.execute(third::countDown, false); // both full: in line
            assertFalse(third.await(200, TimeUnit.MILLISECONDS), "both lanes full: it waits");
            hung.hung();
            assertTrue(third.await(10, TimeUnit.SECONDS), "the hung probe's place is free: the one in line runs");
            assertEquals(3, small.threads(), "a worker more while it hangs");
            assertEquals(2, small.maximum(false), "the steady lane's bound, one more while it hangs");
            hangs.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (small.maximum(false) != 1 && System.nanoTime() < deadline) {
                new CountDownLatch(1).await(10, TimeUnit.MILLISECONDS);
            }
            assertEquals(1, small.maximum(false), "its bound again once the hung probe returned");
            CountDownLatch fourth = new CountDownLatch(1);
            small.execute(fourth::countDown, false);
            assertTrue(fourth.await(10, TimeUnit.SECONDS));
        } finally {
            small.shutdownNow();
        }
    }

    @Test
    void aHungProbeALaneHasNoMoreRoomForStaysCountedSoProbesGoToTheOtherLane() throws Exception {
        ProbeLanes small = new ProbeLanes(1, 1, 0, named("steady"), named("slow"));
        try {
            CountDownLatch hangs = new CountDownLatch(1);
            CountDownLatch first = new CountDownLatch(1);
            ProbeLanes.Slot hung = small.execute(waiting(first, hangs), false);
            settle(first);
            hung.hung(); // no room for a hung probe: nothing changes
            assertEquals(1, small.maximum(false));
            CountDownLatch next = new CountDownLatch(1);
            small.execute(next::countDown, false);
            assertTrue(next.await(10, TimeUnit.SECONDS), "the steady lane still counts as full: the slow lane runs it");
            hangs.countDown();
        } finally {
            small.shutdownNow();
        }
    }
}
