package dev.mcphealth.infrastructure.events;

import dev.mcphealth.domain.model.MonitorEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A fake sink: answers each attempt from a script (then delivers), can hold every attempt until released, and lets a
 * test wait for attempts and deliveries without sleeping.
 */
final class ScriptedSink implements EventSink {
    static final Duration PATIENCE = Duration.ofSeconds(20);

    private final String name;
    private final Queue<Supplier<Delivery>> script = new ConcurrentLinkedQueue<>();
    private final List<MonitorEvent> attempts = Collections.synchronizedList(new ArrayList<>());
    private final List<MonitorEvent> delivered = Collections.synchronizedList(new ArrayList<>());
    private final Semaphore attempted = new Semaphore(0);
    private final Semaphore deliveredPermits = new Semaphore(0);
    private volatile Supplier<Delivery> otherwise = Delivery::delivered;
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private volatile boolean closed;

    ScriptedSink(String name) {
        this.name = name;
    }

    /** The next attempts' results, in order; after them, {@link #otherwise}. */
    ScriptedSink answering(Delivery... results) {
        for (Delivery d : results) {
            script.add(() -> d);
        }
        return this;
    }

    ScriptedSink throwing(RuntimeException e) {
        script.add(() -> {
            throw e;
        });
        return this;
    }

    ScriptedSink otherwise(Delivery result) {
        otherwise = () -> result;
        return this;
    }

    /** Every attempt from now on waits (interruptibly) until {@link #release()}. */
    ScriptedSink holding() {
        gate = new CountDownLatch(1);
        return this;
    }

    void release() {
        gate.countDown();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Delivery deliver(MonitorEvent event) {
        attempts.add(event);
        attempted.release();
        try {
            if (!gate.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                return Delivery.retryable("held too long");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Delivery.retryable("interrupted");
        }
        Supplier<Delivery> next = script.poll();
        Delivery result = (next == null ? otherwise : next).get();
        if (result instanceof Delivery.Delivered) {
            delivered.add(event);
            deliveredPermits.release();
        }
        return result;
    }

    boolean awaitAttempts(int n) throws InterruptedException {
        return attempted.tryAcquire(n, PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean awaitDelivered(int n) throws InterruptedException {
        return deliveredPermits.tryAcquire(n, PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    }

    List<MonitorEvent> attempts() {
        synchronized (attempts) {
            return List.copyOf(attempts);
        }
    }

    List<MonitorEvent> delivered() {
        synchronized (delivered) {
            return List.copyOf(delivered);
        }
    }

    boolean closed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
    }
}
