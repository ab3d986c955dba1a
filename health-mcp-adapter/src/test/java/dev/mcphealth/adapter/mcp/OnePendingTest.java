package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OnePendingTest {
    /** An executor that keeps what it is given until the test runs it. */
    private final List<Runnable> queued = new ArrayList<>();
    private final AtomicInteger runs = new AtomicInteger();

    @Test
    void requestsWhileARunWaitsAreAnsweredByIt() {
        OnePending p = new OnePending(queued::add, runs::incrementAndGet);
        for (int i = 0; i < 1000; i++) {
            p.request();
        }
        assertEquals(1, queued.size());
        queued.remove(0).run();
        assertEquals(1, runs.get());
    }

    @Test
    void aRequestWhileItRunsQueuesTheNext() {
        OnePending[] p = new OnePending[1];
        p[0] = new OnePending(queued::add, () -> {
            if (runs.incrementAndGet() == 1) {
                p[0].request(); // a change said while the refresh runs: it may have listed before it
                p[0].request();
            }
        });
        p[0].request();
        queued.remove(0).run();
        assertEquals(1, queued.size());
        queued.remove(0).run();
        assertEquals(2, runs.get());
        assertEquals(0, queued.size());
    }

    @Test
    void aStoppedExecutorRunsNothingAndDoesNotWedgeTheNextRequest() {
        AtomicInteger tries = new AtomicInteger();
        OnePending p = new OnePending(r -> {
            if (tries.incrementAndGet() == 1) {
                throw new RejectedExecutionException("stopped");
            }
            queued.add(r);
        }, runs::incrementAndGet);
        p.request();
        p.request();
        assertEquals(2, tries.get());
        assertEquals(1, queued.size());
    }
}
