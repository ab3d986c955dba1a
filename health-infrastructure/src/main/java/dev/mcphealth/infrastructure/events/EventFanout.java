package dev.mcphealth.infrastructure.events;

import dev.mcphealth.domain.model.Faults;
import dev.mcphealth.application.port.out.MonitorEventPort;
import dev.mcphealth.domain.model.MonitorEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers every published event to every sink, each on its own: a bounded queue per sink drained by the sink's own
 * daemon thread, so {@link #publish} only enqueues (it returns at once and never throws) and a slow or failing sink
 * delays neither the probe path nor the other sinks.
 *
 * <p>Per sink, events are delivered one at a time in publishing order. An attempt that may succeed later ({@link
 * Delivery.Retryable}, or an exception thrown by the sink) is tried again after an exponential backoff — 1 s, 2 s,
 * 4 s ... capped at 60 s by default, or longer if the receiver asked (429's Retry-After, within the cap) — scheduled on
 * the sink's {@link java.util.concurrent.ScheduledExecutorService}, until {@link Settings#maxAttempts()} attempts; the
 * events behind it wait their turn. A {@link Delivery.Rejected} attempt is not retried. A full queue drops the new
 * event. Everything is counted per sink ({@link #counts()}); a failure is logged once per event (retries at debug), a
 * full queue once per episode.
 */
public final class EventFanout implements MonitorEventPort, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventFanout.class);
    public static final Duration DEFAULT_CLOSE_DEADLINE = Duration.ofSeconds(5);
    /** After the deadline, how long a sink's thread gets to stop (it is interrupted) before its counts are read. */
    static final Duration STOP_GRACE = Duration.ofMillis(500);

    /**
     * How the fanout queues and retries.
     *
     * @param queueCapacity  events waiting per sink before new ones are dropped
     * @param maxAttempts    attempts per event and sink, the first included (1 = never retry)
     * @param firstRetryDelay the wait after the first failed attempt; it doubles after each further one
     * @param maxRetryDelay  the longest wait, also for a receiver's Retry-After
     */
    public record Settings(int queueCapacity, int maxAttempts, Duration firstRetryDelay, Duration maxRetryDelay) {
        /** 10,000 events per sink, 8 attempts, 1 s doubling to at most 60 s (about two minutes in all). */
        public static final Settings DEFAULTS = new Settings(10_000, 8, Duration.ofSeconds(1), Duration.ofSeconds(60));

        public Settings {
            if (queueCapacity < 1) {
                throw new IllegalArgumentException("the event queue must hold at least 1 event, got " + queueCapacity);
            }
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("an event needs at least 1 attempt, got " + maxAttempts);
            }
            Objects.requireNonNull(firstRetryDelay, "firstRetryDelay");
            Objects.requireNonNull(maxRetryDelay, "maxRetryDelay");
            if (firstRetryDelay.isNegative() || firstRetryDelay.isZero() || maxRetryDelay.compareTo(firstRetryDelay) < 0) {
                throw new IllegalArgumentException("retry delays must be positive with the first at most the longest, got "
                        + firstRetryDelay + " and " + maxRetryDelay);
            }
        }

        public Settings withQueueCapacity(int capacity) {
            return new Settings(capacity, maxAttempts, firstRetryDelay, maxRetryDelay);
        }

        public Settings withMaxAttempts(int attempts) {
            return new Settings(queueCapacity, attempts, firstRetryDelay, maxRetryDelay);
        }

        public Settings withRetryDelays(Duration first, Duration max) {
            return new Settings(queueCapacity, maxAttempts, first, max);
        }

        /** The wait after {@code failedAttempts} failed attempts (1-based): first × 2^(n-1), at most the longest. */
        public Duration retryDelay(int failedAttempts) {
            int doublings = Math.min(Math.max(failedAttempts, 1) - 1, 62);
            Duration d = firstRetryDelay;
            for (int i = 0; i < doublings && d.compareTo(maxRetryDelay) < 0; i++) {
                d = d.multipliedBy(2);
            }
            return d.compareTo(maxRetryDelay) > 0 ? maxRetryDelay : d;
        }

        /** {@link #retryDelay}, or the receiver's wish when it is longer, but never more than the longest. */
        public Duration delayAfter(int failedAttempts, Optional<Duration> retryAfter) {
            Duration d = retryDelay(failedAttempts);
            if (retryAfter.isPresent() && retryAfter.get().compareTo(d) > 0) {
                d = retryAfter.get().compareTo(maxRetryDelay) > 0 ? maxRetryDelay : retryAfter.get();
            }
            return d;
        }
    }

    /**
     * What one sink has done so far.
     *
     * @param delivered     events it took
     * @param retried       attempts made again after a retryable failure
     * @param failed        events given up on (attempts used up) or refused for good
     * @param dropped       events never queued: the queue was full, or the fanout was closed
     * @param queued        events waiting, the one being tried included
     * @param lastDelivered when it last took an event
     * @param lastFailed    when an event was last given up on or refused
     */
    public record SinkCounts(String sink, long delivered, long retried, long failed, long dropped, int queued,
                             Optional<Instant> lastDelivered, Optional<Instant> lastFailed) {
        public SinkCounts {
            Objects.requireNonNull(sink, "sink");
            Objects.requireNonNull(lastDelivered, "lastDelivered");
            Objects.requireNonNull(lastFailed, "lastFailed");
        }
    }

    /** What {@link #close(Duration)} achieved: {@code drained} when every queue emptied within the deadline. */
    public record CloseReport(boolean drained, List<SinkCounts> sinks) {
        public CloseReport {
            sinks = List.copyOf(sinks);
        }

        /** Events left undelivered (still queued or being tried) when the sinks were stopped. */
        public int left() {
            return sinks.stream().mapToInt(SinkCounts::queued).sum();
        }
    }

    private final List<Lane> lanes = new ArrayList<>();
    private final CountDownLatch drained;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean warnedClosed = new AtomicBoolean();
    private CloseReport closeReport;

    /** With {@link Settings#DEFAULTS}. */
    public EventFanout(List<? extends EventSink> sinks, Clock clock) {
        this(sinks, Settings.DEFAULTS, clock);
    }

    /** Starts one queue and one daemon thread per sink. {@code clock} stamps the counts' last delivery and failure. */
    public EventFanout(List<? extends EventSink> sinks, Settings settings, Clock clock) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        this.drained = new CountDownLatch(sinks.size());
        int n = 0;
        for (EventSink sink : sinks) {
            lanes.add(new Lane(Objects.requireNonNull(sink, "sink"), settings, clock, drained, ++n));
        }
    }

    /** Queues {@code event} for every sink and returns. Never blocks on a sink, never throws. */
    @Override
    public void publish(MonitorEvent event) {
        try {
            if (event == null) {
                LOG.warn("ignored a null event");
                return;
            }
            if (closed.get() && warnedClosed.compareAndSet(false, true)) {
                LOG.warn("events published after the event sinks were closed are dropped");
            }
            for (Lane lane : lanes) {
                lane.offer(event);
            }
        } catch (RuntimeException e) {
            LOG.error("could not queue an event", e);
        }
    }

    /** Each sink's counts, in the order the sinks were given. */
    public List<SinkCounts> counts() {
        List<SinkCounts> counts = new ArrayList<>(lanes.size());
        for (Lane lane : lanes) {
            counts.add(lane.counts());
        }
        return counts;
    }

    /** {@link #close(Duration)} with {@link #DEFAULT_CLOSE_DEADLINE}. */
    @Override
    public void close() {
        close(DEFAULT_CLOSE_DEADLINE);
    }

    /**
     * Stops taking events, keeps delivering (retries included) until every queue is empty or {@code deadline} has
     * passed, then stops the sinks' threads (a delivery in flight is interrupted), closes the sinks and reports what
     * was left. A second call returns the first call's report.
     */
    public synchronized CloseReport close(Duration deadline) {
        if (closeReport != null) {
            return closeReport;
        }
        closed.set(true);
        for (Lane lane : lanes) {
            lane.beginClosing();
        }
        boolean allDrained;
        try {
            allDrained = drained.await(Math.max(0, deadline.toNanos()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            allDrained = false;
        }
        for (Lane lane : lanes) {
            lane.stop();
        }
        for (Lane lane : lanes) {
            lane.closeSink();
        }
        closeReport = new CloseReport(allDrained, counts());
        if (closeReport.left() > 0) {
            for (SinkCounts c : closeReport.sinks()) {
                if (c.queued() > 0) {
                    LOG.warn("{}: {} events left undelivered at shutdown", c.sink(), c.queued());
                }
            }
        }
        return closeReport;
    }

    /** One sink, its queue and its thread. */
    private static final class Lane {
        private final EventSink sink;
        private final Settings settings;
        private final Clock clock;
        private final CountDownLatch allDrained;
        private final BlockingQueue<MonitorEvent> queue;
        private final ScheduledThreadPoolExecutor executor;
        /** True while a drain is running or a retry is waiting: at most one at a time, so order holds. */
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private final AtomicBoolean countedDown = new AtomicBoolean();
        private final AtomicBoolean overflowing = new AtomicBoolean();
        private final AtomicLong droppedThisEpisode = new AtomicLong();
        private final AtomicLong delivered = new AtomicLong();
        private final AtomicLong retried = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private final AtomicLong dropped = new AtomicLong();
        private volatile Instant lastDelivered;
        private volatile Instant lastFailed;
        private volatile boolean closing;
        /** The event being tried; written by the sink's thread only. */
        private volatile MonitorEvent current;
        private int attempts;

        Lane(EventSink sink, Settings settings, Clock clock, CountDownLatch allDrained, int number) {
            this.sink = sink;
            this.settings = settings;
            this.clock = clock;
            this.allDrained = allDrained;
            this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
            this.executor = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "mcp-health-events-" + number);
                t.setDaemon(true);
                return t;
            });
            executor.setRemoveOnCancelPolicy(true);
        }

        void offer(MonitorEvent event) {
            if (closing) {
                dropped.incrementAndGet();
                return;
            }
            if (queue.offer(event)) {
                if (overflowing.compareAndSet(true, false)) {
                    LOG.warn("{}: the event queue has room again; {} events were dropped", sink.name(),
                            droppedThisEpisode.getAndSet(0));
                }
                kick();
            } else {
                dropped.incrementAndGet();
                droppedThisEpisode.incrementAndGet();
                if (overflowing.compareAndSet(false, true)) {
                    LOG.warn("{}: {} events are waiting, the queue is full; new events are dropped until it drains",
                            sink.name(), settings.queueCapacity());
                }
            }
        }

        private void kick() {
            if (scheduled.compareAndSet(false, true)) {
                try {
                    executor.execute(this::drain);
                } catch (RejectedExecutionException e) {
                    scheduled.set(false);
                }
            }
        }

        /** Runs on the sink's thread: delivers until the queue is empty or an event must wait for its retry. */
        private void drain() {
            try {
                while (!Thread.currentThread().isInterrupted() && !executor.isShutdown()) {
                    if (current == null) {
                        MonitorEvent next = queue.poll();
                        if (next == null) {
                            scheduled.set(false);
                            // an event queued between the poll and the set would otherwise wait for the next one
                            if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
                                continue;
                            }
                            if (closing && queue.isEmpty() && countedDown.compareAndSet(false, true)) {
                                allDrained.countDown();
                            }
                            return;
                        }
                        current = next;
                        attempts = 0;
                    }
                    if (!tryCurrent()) {
                        return;
                    }
                }
            } catch (RejectedExecutionException e) {
                // stopped while scheduling a retry: the event is left undelivered
            }
        }

        /** One attempt at the current event; false when it waits for a retry. */
        private boolean tryCurrent() {
            MonitorEvent event = current;
            attempts++;
            Delivery result = attempt(event);
            if (result instanceof Delivery.Delivered) {
                delivered.incrementAndGet();
                lastDelivered = clock.instant();
                current = null;
                return true;
            }
            if (result instanceof Delivery.Rejected) {
                fail();
                LOG.warn("{}: the {} event of server {} was refused ({}); not retried", sink.name(), event.kind(),
                        event.server(), ((Delivery.Rejected) result).reason());
                return true;
            }
            Delivery.Retryable r = (Delivery.Retryable) result;
            if (attempts >= settings.maxAttempts()) {
                fail();
                LOG.warn("{}: gave up on the {} event of server {} after {} attempts: {}", sink.name(), event.kind(),
                        event.server(), attempts, r.reason());
                return true;
            }
            if (Thread.currentThread().isInterrupted() || executor.isShutdown()) {
                return false;
            }
            Duration delay = settings.delayAfter(attempts, r.retryAfter());
            retried.incrementAndGet();
            LOG.debug("{}: attempt {} at the {} event of server {} failed ({}); retrying in {} ms", sink.name(),
                    attempts, event.kind(), event.server(), r.reason(), delay.toMillis());
            executor.schedule(this::drain, delay.toNanos(), TimeUnit.NANOSECONDS);
            return false;
        }

        private void fail() {
            failed.incrementAndGet();
            lastFailed = clock.instant();
            current = null;
        }

        private Delivery attempt(MonitorEvent event) {
            try {
                Delivery d = sink.deliver(event);
                return d != null ? d : Delivery.retryable("the sink gave no result");
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable t) {
                String why = t.getMessage();
                return Delivery.retryable("the sink failed" + (why == null
                        || dev.mcphealth.domain.model.Printable.revealsCode(why) >= 0 ? "" : ": " + why));
            }
        }

        void beginClosing() {
            closing = true;
            kick();
        }

        void stop() {
            executor.shutdownNow();
        }

        void closeSink() {
            boolean stopped;
            try {
                stopped = executor.awaitTermination(STOP_GRACE.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped = false;
            }
            if (!stopped) {
                LOG.warn("{}: still busy after it was stopped; not closed", sink.name());
                return;
            }
            try {
                sink.close();
            } catch (RuntimeException e) {
                LOG.warn("{}: could not be closed: {}", sink.name(), Faults.describe(e));
            }
        }

        SinkCounts counts() {
            return new SinkCounts(sink.name(), delivered.get(), retried.get(), failed.get(), dropped.get(),
                    queue.size() + (current == null ? 0 : 1), Optional.ofNullable(lastDelivered),
                    Optional.ofNullable(lastFailed));
        }
    }
}
