package dev.mcphealth.infrastructure.scheduler;

import dev.mcphealth.domain.model.Faults;
import dev.mcphealth.application.port.in.RecoverServersUseCase;
import dev.mcphealth.domain.model.ServerId;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real-time loop around automatic recovery: one thread waits until the next attempt is due (or until recovery says
 * new work came in: a session died, a probe failed) and hands due attempts to workers, at most
 * {@link #MAX_CONCURRENT} at once, so that many servers failing together are restarted a few at a time (their jitter
 * spreads them further).
 */
public final class RecoveryScheduler implements AutoCloseable {
    /** Restarts running at once; more wait for a free worker. */
    public static final int MAX_CONCURRENT = 4;
    /** The longest the loop sleeps without looking: a backstop, since recovery wakes it. */
    static final Duration IDLE_CHECK = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(RecoveryScheduler.class);

    private final RecoverServersUseCase recovery;
    private final Clock clock;
    private final ExecutorService workers = Executors.newFixedThreadPool(MAX_CONCURRENT, r -> {
        Thread t = new Thread(r, "mcp-health-recovery");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger running = new AtomicInteger();
    private final WakeableLoop loop = new WakeableLoop("mcp-health-recovery-timer", this::pass);

    public RecoveryScheduler(RecoverServersUseCase recovery, Clock clock) {
        this.recovery = Objects.requireNonNull(recovery);
        this.clock = Objects.requireNonNull(clock);
        recovery.onWork(this::wake);
    }

    public void start() {
        loop.start();
    }

    private void wake() {
        loop.wake();
    }

    /** Hands the attempts due to the workers (as many as are free); waits until the next is due, at most IDLE_CHECK. */
    private Duration pass() {
        try {
            int free = MAX_CONCURRENT - running.get();
            if (free > 0) {
                List<ServerId> due = recovery.due(free);
                for (ServerId s : due) {
                    running.incrementAndGet();
                    workers.execute(() -> attempt(s));
                }
            }
            return Duration.ofMillis(recovery.nextDue()
                    .map(at -> Duration.between(clock.instant(), at).toMillis())
                    .map(ms -> Math.max(1, Math.min(ms, IDLE_CHECK.toMillis())))
                    .orElse(IDLE_CHECK.toMillis()));
        } catch (RuntimeException e) {
            LOG.error("recovery loop: {}", Faults.describe(e));
            return Duration.ZERO; // looked at again at once, as before
        }
    }

    private void attempt(ServerId server) {
        try {
            recovery.attempt(server);
        } catch (RuntimeException e) {
            LOG.error("recovery of {} failed unexpectedly: {}", server, Faults.describe(e));
        } finally {
            running.decrementAndGet();
            wake();
        }
    }

    /** Stops the loop; attempts running now are given {@code grace} to finish. */
    public void stop(Duration grace) {
        loop.stop();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }

}
