package dev.mcphealth.domain.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Set once when whoever asked for a request no longer wants its answer (a client's {@code notifications/cancelled},
 * the losing copy of a hedged call): what is under way for it may stop, and nothing more is sent for it. Thread-safe;
 * listeners run once, on the thread that cancels (or at once, on the registering thread, if it already is).
 */
public final class Cancellation {
    /** A request nobody can cancel. */
    public static final Cancellation NEVER = new Cancellation(false);

    private final boolean cancellable;
    private volatile String reason;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    private Cancellation(boolean cancellable) {
        this.cancellable = cancellable;
    }

    /** A request that may be cancelled. */
    public static Cancellation create() {
        return new Cancellation(true);
    }

    /** Cancels it with {@code why} (the first reason stays), telling every listener once. */
    public void cancel(String why) {
        Text.requireText(why, "why");
        if (!cancellable) {
            throw new UnsupportedOperationException("this request cannot be cancelled");
        }
        synchronized (this) {
            if (reason != null) {
                return;
            }
            reason = why;
        }
        for (Runnable l : listeners) {
            if (listeners.remove(l)) { // not removed meanwhile, nor run by a racing onCancel
                run(l);
            }
        }
    }

    public boolean cancelled() {
        return reason != null;
    }

    /** Why it was cancelled, once it is. */
    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    /**
     * Runs {@code listener} once when it is cancelled (at once if it is); running the returned handle stops that
     * (the request ended first).
     */
    public Runnable onCancel(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        if (!cancellable) {
            return () -> { };
        }
        listeners.add(listener);
        if (reason != null && listeners.remove(listener)) {
            run(listener);
        }
        return () -> listeners.remove(listener);
    }

    /** A signal cancelled with this one or on its own (one lane of a hedged call). */
    public Cancellation child() {
        Cancellation child = create();
        Runnable off = onCancel(() -> child.cancel(reason));
        child.onCancel(off);
        return child;
    }

    private static void run(Runnable listener) {
        try {
            listener.run();
        } catch (RuntimeException e) {
            // one listener's failure is not the others'
        }
    }
}
