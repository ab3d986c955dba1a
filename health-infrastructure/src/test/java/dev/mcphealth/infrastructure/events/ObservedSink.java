package dev.mcphealth.infrastructure.events;

import dev.mcphealth.domain.model.MonitorEvent;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Wraps a real sink so a test can wait for its deliveries instead of sleeping. */
final class ObservedSink implements EventSink {
    private final EventSink delegate;
    private final Semaphore delivered = new Semaphore(0);

    ObservedSink(EventSink delegate) {
        this.delegate = delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Delivery deliver(MonitorEvent event) {
        Delivery d = delegate.deliver(event);
        if (d instanceof Delivery.Delivered) {
            delivered.release();
        }
        return d;
    }

    boolean awaitDelivered(int n) throws InterruptedException {
        return delivered.tryAcquire(n, ScriptedSink.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
