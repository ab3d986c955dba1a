package dev.mcphealth.infrastructure.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The probe workers: they grow to their bound while probes hang, then probes wait in line; never one per server. */
class WorkerPoolTest {
    @Test
    void probesBeyondTheBoundWaitInLineAndRunOnceAWorkerIsFree() throws Exception {
        ThreadPoolExecutor pool = MonitorScheduler.workerPool(6);
        try {
            CountDownLatch hang = new CountDownLatch(1);
            CountDownLatch started = new CountDownLatch(6);
            AtomicInteger ran = new AtomicInteger();
            for (int i = 0; i < 20; i++) {
                pool.execute(() -> {
                    started.countDown();
                    try {
                        hang.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    ran.incrementAndGet();
                });
            }
            assertTrue(started.await(10, TimeUnit.SECONDS), "six hanging probes, each on a worker of its own");
            assertEquals(6, pool.getPoolSize(), "bounded: 20 probes, 6 workers");
            assertEquals(14, pool.getQueue().size(), "the rest in line");
            hang.countDown();
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
            assertEquals(20, ran.get(), "every probe ran");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aProbeGoesToAnIdleWorkerRatherThanANewOne() throws Exception {
        ThreadPoolExecutor pool = MonitorScheduler.workerPool(50);
        try {
            for (int i = 0; i < 200; i++) {
                CountDownLatch done = new CountDownLatch(1);
                pool.execute(done::countDown);
                assertTrue(done.await(10, TimeUnit.SECONDS));
            }
            assertTrue(pool.getLargestPoolSize() <= 8, "one probe at a time needs few workers, had "
                    + pool.getLargestPoolSize());
        } finally {
            pool.shutdownNow();
        }
    }
}
