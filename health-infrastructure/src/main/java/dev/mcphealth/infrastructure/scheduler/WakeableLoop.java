package dev.mcphealth.infrastructure.scheduler;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One daemon thread that runs a pass again and again, after each waiting as long as the pass asked unless it is woken
 * ({@link #wake}: new work) or stopped. A wake during a pass is not lost: the wait after it is skipped. The outbox's
 * and recovery's loops are this.
 */
final class WakeableLoop {
    /** One pass of the loop: the work, then how long to wait at most before the next (it handles its own failures). */
    @FunctionalInterface
    interface Pass {
        Duration run();
    }

    private final String name;
    private final Pass pass;
    private final Object signal = new Object();
    private Thread thread;
    private volatile boolean stopping;
    private boolean woken;

    WakeableLoop(String name, Pass pass) {
        this.name = Objects.requireNonNull(name, "name");
        this.pass = Objects.requireNonNull(pass, "pass");
    }

    /** Starts the thread, once, unless stopped; returns at once. */
    synchronized void start() {
        if (thread != null || stopping) {
            return;
        }
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs the next pass at once (after the one running now, if one is). */
    void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    /** No pass begins after this; returns the thread, to wait for the pass running now, if it was started. */
    Optional<Thread> stop() {
        Thread t;
        synchronized (this) {
            stopping = true;
            t = thread;
        }
        wake();
        return Optional.ofNullable(t);
    }

    boolean stopping() {
        return stopping;
    }

    /** Whether the thread runs. */
    synchronized boolean running() {
        return thread != null && thread.isAlive();
    }

    private void run() {
        while (!stopping) {
            Duration wait = pass.run();
            try {
                synchronized (signal) {
                    if (!woken && !stopping) {
                        signal.wait(Math.max(1, wait.toMillis()));
                    }
                    woken = false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
