package dev.mcphealth.adapter.mcp;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A task asked for again and again, run on an executor with at most one run waiting: a request while one waits is
 * already answered by it (it has not started, so it sees what the request is about); a request while one runs queues
 * the next. Without it, an upstream that says its lists changed on every call queues a refresh per call, without
 * bound, faster than they run. An executor that runs each task some time after it is given (the gateway's: a second)
 * also bounds how often it runs.
 */
final class OnePending {
    private final Executor executor;
    private final Runnable task;
    private final AtomicBoolean waiting = new AtomicBoolean();

    OnePending(Executor executor, Runnable task) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.task = Objects.requireNonNull(task, "task");
    }

    /** Runs the task soon, unless a run that has not started yet is waiting. A stopped executor runs nothing. */
    void request() {
        if (!waiting.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(() -> {
                waiting.set(false);
                task.run();
            });
        } catch (RejectedExecutionException stopped) {
            waiting.set(false);
        }
    }
}
