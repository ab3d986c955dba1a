package dev.mcphealth.infrastructure.scheduler;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The probe workers, in two lanes of bounded size, so that the threads are bounded for any number of servers and the
 * servers that hold a worker long cannot take the workers of those that answer at once:
 * <ul>
 *   <li>the <b>steady</b> lane, for servers whose last probe ended within {@link #SLOW_PROBE};</li>
 *   <li>the <b>slow</b> lane, for a server's first probe (it opens the session: a process to start, a handshake), a
 *       server whose last probe took longer (a connect or request timeout, a server far away or busy) and a server
 *       whose loop the watchdog started again (its probe hung past every timeout).</li>
 * </ul>
 * A probe goes to an idle worker of its lane, else to a new worker while the lane has fewer than its bound, else it
 * waits in the lane's line for the first worker free (the wait is its lag, seen in the monitor's own row). When its
 * lane is full a probe borrows from the other: a steady probe takes a slow worker while there is room (a steady server
 * that starts to hang holds its steady worker until its timeouts end it, slow from then on, and hundreds doing so at
 * once do not stall the others); a slow probe takes a steady worker only while fewer than half of them are taken, so
 * half of the steady lane is always the steady servers'. So at most {@link #STEADY} + {@link #SLOW} probe workers,
 * whatever the number of servers; idle ones leave after {@link #IDLE}. What it cannot do: a probe holds its thread
 * while it waits (the transports block), so the lanes take at most {@code (STEADY + SLOW) / probe time} probes a
 * second (512 workers: 1,000 a second of servers that take half a second each); and probes that hang past every
 * timeout (the watchdog's case) hold theirs until they return: the watchdog says so ({@link Slot#hung()}) and each
 * lane makes room for up to {@link #HUNG} of them with a worker more each, so at most 1,024 probe workers in all.
 */
final class ProbeLanes {
    static final int STEADY = 256;
    static final int SLOW = 256;
    /** A probe that took longer than this puts its server in the slow lane until one of its probes is quicker. */
    static final Duration SLOW_PROBE = Duration.ofMillis(500);
    static final Duration IDLE = Duration.ofSeconds(10);
    /** Hung probes (past every timeout) a lane makes room for, each with a worker more, at most. */
    static final int HUNG = 256;

    private final Lane steady;
    private final Lane slow;
    /** Probes handed to the steady lane and not yet ended (started or in its line). */
    private final AtomicInteger steadyTaken = new AtomicInteger();
    private final AtomicInteger slowTaken = new AtomicInteger();
    private final int steadyBound;
    private final int slowBound;
    private final int hungBound;

    ProbeLanes(ThreadFactory steadyThreads, ThreadFactory slowThreads) {
        this(STEADY, SLOW, HUNG, steadyThreads, slowThreads);
    }

    ProbeLanes(int steadyBound, int slowBound, int hungBound, ThreadFactory steadyThreads, ThreadFactory slowThreads) {
        this.steadyBound = steadyBound;
        this.slowBound = slowBound;
        this.hungBound = hungBound;
        this.steady = new Lane(steadyBound, steadyThreads);
        this.slow = new Lane(slowBound, slowThreads);
    }

    /**
     * One lane: a task goes to the worker idle the shortest time (a {@link SynchronousQueue}: after a burst the others
     * stay idle and leave), else to a new worker up to the bound, else into the line, which each worker empties when
     * its task ends, before it waits for another.
     */
    private static final class Lane {
        final ThreadPoolExecutor pool;
        final ConcurrentLinkedQueue<Runnable> line = new ConcurrentLinkedQueue<>();
        private final Runnable drain = this::drain;

        Lane(int bound, ThreadFactory threads) {
            // a worker that leaves (idle too long) looks at the line last: it may have been counted as the pool
            // looked, full, and put a probe in line
            ThreadFactory leaving = r -> threads.newThread(() -> {
                try {
                    r.run();
                } finally {
                    sweep();
                }
            });
            pool = new ThreadPoolExecutor(0, bound, IDLE.toMillis(), TimeUnit.MILLISECONDS, new SynchronousQueue<>(),
                    leaving, (job, p) -> {
                        if (p.isShutdown()) {
                            throw new RejectedExecutionException("stopping");
                        }
                        if (job instanceof Job j) { // a drain refused: the busy workers drain the line as they end
                            line.add(j.task);
                            kick(); // a worker may have gone idle since the pool looked
                        }
                    });
        }

        void execute(Runnable task) {
            pool.execute(new Job(task));
        }

        /** Hands the line to an idle worker, if something waits in it and a worker waits for work. */
        void kick() {
            if (!line.isEmpty()) {
                pool.getQueue().offer(drain);
            }
        }

        /**
         * The line to an idle worker, else to a new one when the lane has room (its bound raised, a worker gone), else
         * left to the busy workers, who drain it as they end.
         */
        void sweep() {
            if (!line.isEmpty() && !pool.getQueue().offer(drain)) {
                try {
                    pool.execute(drain);
                } catch (RejectedExecutionException stopping) {
                    // nothing waits to be run any more
                }
            }
        }

        /**
         * Runs what waits in line, each probe as a task of its own would run (not interrupted by the one before it, a
         * failure of one not stopping the others), and when stopping too: a probe not yet started sees the stop and
         * does not start.
         */
        void drain() {
            for (Runnable next = line.poll(); next != null; next = line.poll()) {
                if (!pool.isShutdown()) {
                    Thread.interrupted();
                }
                try {
                    next.run();
                } catch (RuntimeException unexpected) {
                    // the probe's own handler logs its failures; this one has ended its slot all the same
                }
            }
        }

        /** A task, then the line. */
        private final class Job implements Runnable {
            final Runnable task;

            Job(Runnable task) {
                this.task = task;
            }

            @Override
            public void run() {
                try {
                    task.run();
                } finally {
                    drain();
                }
            }
        }
    }

    /**
     * Runs {@code probe} in the slow lane if {@code slowServer}, else in the steady lane, each borrowing from the other
     * when full as the class says. The slot it returns lets the watchdog say the probe hung ({@link Slot#hung()}).
     *
     * @throws RejectedExecutionException when stopping
     */
    Slot execute(Runnable probe, boolean slowServer) {
        boolean inSlow = slowServer
                ? slowTaken.get() < slowBound || steadyTaken.get() >= steadyBound / 2
                : steadyTaken.get() >= steadyBound && slowTaken.get() < slowBound;
        Lane lane = inSlow ? slow : steady;
        Slot slot = new Slot(lane, inSlow ? slowTaken : steadyTaken);
        slot.taken.incrementAndGet();
        try {
            lane.execute(() -> {
                try {
                    probe.run();
                } finally {
                    slot.ended();
                }
            });
        } catch (RuntimeException | Error e) {
            slot.ended();
            throw e;
        }
        // a worker that went idle just as a probe was put in line waits for work while the probe waits for a worker
        steady.kick();
        slow.kick();
        return slot;
    }

    /**
     * A probe's place in its lane. A probe that hung past every timeout (the watchdog's word) leaves its place to
     * another: it is no longer counted, and its lane may start one worker more until it returns (at most
     * {@link #HUNG} such a lane), so hung probes do not fill the lanes and stall every server.
     */
    final class Slot {
        private final Lane lane;
        private final AtomicInteger taken;
        private final java.util.concurrent.atomic.AtomicBoolean released =
                new java.util.concurrent.atomic.AtomicBoolean();
        private volatile boolean widened;

        private Slot(Lane lane, AtomicInteger taken) {
            this.lane = lane;
            this.taken = taken;
        }

        /**
         * The probe hung: while it hangs, not counted and a worker more for its lane (when the lane has not made room
         * for {@link #HUNG} already: then it stays counted, and probes go to the other lane). Once only.
         */
        void hung() {
            synchronized (ProbeLanes.this) {
                int base = lane == steady ? steadyBound : slowBound;
                if (released.get() || lane.pool.getMaximumPoolSize() >= base + hungBound
                        || !released.compareAndSet(false, true)) {
                    return;
                }
                lane.pool.setMaximumPoolSize(lane.pool.getMaximumPoolSize() + 1);
                widened = true;
                taken.decrementAndGet();
            }
            lane.sweep();
        }

        private void ended() {
            if (released.compareAndSet(false, true)) {
                taken.decrementAndGet(); // the usual way: not said to hang
                return;
            }
            synchronized (ProbeLanes.this) { // after hung() has done all it does
                if (widened) {
                    widened = false;
                    lane.pool.setMaximumPoolSize(lane.pool.getMaximumPoolSize() - 1);
                }
            }
        }
    }

    /**
     * Hands what waits in the lines to idle workers, or to new ones where a lane has room: for a probe put in line
     * just as a worker went idle (the watchdog calls it every few seconds).
     */
    void sweep() {
        steady.sweep();
        slow.sweep();
    }

    /** Runs, on the calling thread, what is left in the lines (after the stop: each sees it and does not start). */
    void runLeft() {
        steady.drain();
        slow.drain();
    }

    /** The most workers the lane may have now (its bound, and one more for each probe hanging in it). */
    int maximum(boolean slowLane) {
        return (slowLane ? slow : steady).pool.getMaximumPoolSize();
    }

    /** Probe workers alive now, both lanes. */
    int threads() {
        return steady.pool.getPoolSize() + slow.pool.getPoolSize();
    }

    void shutdown() {
        steady.pool.shutdown();
        slow.pool.shutdown();
    }

    void shutdownNow() {
        steady.pool.shutdownNow();
        slow.pool.shutdownNow();
    }

    /** Waits up to {@code millis} for both lanes to end. */
    void awaitTermination(long millis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        steady.pool.awaitTermination(millis, TimeUnit.MILLISECONDS);
        slow.pool.awaitTermination(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
}
