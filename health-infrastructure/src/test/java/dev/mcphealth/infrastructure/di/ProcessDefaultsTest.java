package dev.mcphealth.infrastructure.di;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ProcessDefaultsTest {
    private static Set<Thread> threads() {
        Thread[] all = new Thread[Thread.activeCount() + 64];
        int n = Thread.enumerate(all);
        Set<Thread> s = new HashSet<>();
        for (int i = 0; i < n; i++) {
            s.add(all[i]);
        }
        return s;
    }

    @Test
    void theSelectorThreadOfAnHttpClientEndsWhenStoppedAndNoOtherThreadIsTouched() throws Exception {
        Set<Thread> before = threads();
        HttpClient client = HttpClient.newHttpClient();
        Set<Thread> after = threads();
        after.removeAll(before);
        Thread selector = after.stream().filter(t -> t.getName().endsWith("-SelectorManager")).findFirst()
                .orElseThrow(() -> new AssertionError("no selector thread among " + after));
        CountDownLatch release = new CountDownLatch(1);
        Thread other = new Thread(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "HttpClient-worker-of-someone-else");
        other.start();

        assertEquals(1, ProcessDefaults.stopHttpSelectors(selector, other));
        selector.join(10_000);
        assertFalse(selector.isAlive(), "an interrupted selector thread ends (the JVM's exit no longer waits on it)");
        assertTrue(other.isAlive() && !other.isInterrupted());
        release.countDown();
        other.join(10_000);
        // the client stays reachable throughout: its selector did not end because the client was collected
        java.lang.ref.Reference.reachabilityFence(client);
    }
}
