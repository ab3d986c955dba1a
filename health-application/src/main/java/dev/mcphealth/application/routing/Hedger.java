package dev.mcphealth.application.routing;

import dev.mcphealth.application.port.out.TimerPort;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Hedged requests (Dean and Barroso, "The Tail at Scale"): a request that has not come back by a delay (its tool's
 * p95) is sent again to another instance, and the first good answer wins. The request runs on a lane of its own so
 * that the caller can take whichever answer comes first; the other one's answer, when it comes, is dropped (it still
 * counts in its instance's load and windows). When the lanes are all busy the request runs on the caller's thread,
 * unhedged.
 */
public final class Hedger {
    /** Never hedges: every request runs on the caller's thread. */
    public static final Hedger NONE = new Hedger(Runnable::run, delay -> new CompletableFuture<>(), false);

    private final Executor lanes;
    private final TimerPort timer;
    private final boolean enabled;

    /**
     * @param lanes where a hedgeable request and its hedge run (a bounded pool: one that refuses leaves the request
     *              unhedged on the caller's thread)
     * @param timer when the hedging delay has passed
     */
    public Hedger(Executor lanes, TimerPort timer) {
        this(lanes, timer, true);
    }

    private Hedger(Executor lanes, TimerPort timer, boolean enabled) {
        this.lanes = Objects.requireNonNull(lanes, "lanes");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.enabled = enabled;
    }

    /** Whether this hedger ever sends a second request. */
    public boolean enabled() {
        return enabled;
    }

    /**
     * Runs {@code first}; if it has not finished after {@code delay}, asks {@code second} for a hedge (empty: none
     * may be sent, for want of another instance) and runs it too (it may still send nothing: its budget). Returns the first result that
     * {@code won} accepts; when neither wins, {@code first}'s (it has the whole failover behind it), else the
     * hedge's.
     */
    public <R> R race(Supplier<R> first, Duration delay, Supplier<Optional<Supplier<R>>> second, Predicate<R> won) {
        if (!enabled) {
            return first.get();
        }
        CompletableFuture<R> a;
        try {
            a = CompletableFuture.supplyAsync(first, lanes);
        } catch (RejectedExecutionException busy) {
            return first.get();
        }
        CompletableFuture<Void> passed = timer.after(delay);
        try {
            CompletableFuture.anyOf(a, passed).join();
        } catch (CompletionException | java.util.concurrent.CancellationException firstFailed) {
            return unwrap(a); // the first request threw before the delay: as itself
        } finally {
            passed.cancel(false); // answered first: the timer has nothing left to do
        }
        if (a.isDone()) {
            return unwrap(a);
        }
        Optional<Supplier<R>> hedge = second.get();
        if (a.isDone()) {
            return unwrap(a); // answered while the hedge was being chosen
        }
        if (hedge.isEmpty()) {
            return unwrap(a);
        }
        CompletableFuture<R> b;
        try {
            b = CompletableFuture.supplyAsync(hedge.get(), lanes);
        } catch (RejectedExecutionException busy) {
            return unwrap(a);
        }
        CompletableFuture<R> winner = new CompletableFuture<>();
        AtomicInteger finished = new AtomicInteger();
        BiConsumer<R, Throwable> settle = (r, e) -> {
            if (e == null && won.test(r)) {
                winner.complete(r);
            }
            if (finished.incrementAndGet() == 2 && !winner.isDone()) {
                // neither won: the first request's own outcome (or the hedge's, if the first one threw)
                a.whenComplete((ra, ea) -> {
                    if (ea == null) {
                        winner.complete(ra);
                    } else {
                        b.whenComplete((rb, eb) -> {
                            if (eb == null) {
                                winner.complete(rb);
                            } else {
                                winner.completeExceptionally(ea);
                            }
                        });
                    }
                });
            }
        };
        a.whenComplete(settle);
        b.whenComplete(settle);
        return unwrap(winner);
    }

    private static <R> R unwrap(CompletableFuture<R> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
