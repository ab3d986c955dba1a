package dev.mcphealth.application.port.out;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Waits that the call path needs without blocking a thread on the clock: when to send a hedged call. */
@FunctionalInterface
public interface TimerPort {
    /** A future completed once {@code delay} has passed. */
    CompletableFuture<Void> after(Duration delay);
}
