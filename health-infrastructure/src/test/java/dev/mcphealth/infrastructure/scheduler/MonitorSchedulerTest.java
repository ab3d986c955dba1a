package dev.mcphealth.infrastructure.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.FlushReport;
import dev.mcphealth.application.port.in.PlanMonitoringUseCase;
import dev.mcphealth.application.port.in.PruneHistoryUseCase;
import dev.mcphealth.application.port.in.RunScheduledProbeUseCase;
import dev.mcphealth.domain.model.ServerId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The real-time loop with a plan the test changes. It runs on real time, so it waits for what it expects with a
 * deadline instead of sleeping: a probe an hour away would miss the deadline by far.
 */
class MonitorSchedulerTest {
    private static final ServerId S = ServerId.of("files");
    private static final FlushReport NOTHING = new FlushReport(0, 0, 0, Optional.empty());
    private static final Duration SHORT = Duration.ofMillis(20);

    @Test
    void anIntervalChangedInThePlanAppliesFromTheNextProbeScheduled() throws Exception {
        AtomicReference<Duration> interval = new AtomicReference<>(Duration.ofHours(1));
        PlanMonitoringUseCase plan = () -> List.of(new PlanMonitoringUseCase.Entry(S, interval.get()));
        List<RunScheduledProbeUseCase.Command> probed = new CopyOnWriteArrayList<>();
        CountDownLatch twice = new CountDownLatch(2);
        RunScheduledProbeUseCase probes = command -> {
            probed.add(command);
            interval.set(SHORT); // while the first probe runs, as applying tuning advice may
            twice.countDown();
            return List.of();
        };
        MonitorScheduler scheduler = new MonitorScheduler(plan, probes, () -> NOTHING, () -> NOTHING,
                Optional.empty(), PruneHistoryUseCase.Command.DEFAULTS, report -> { });
        try {
            scheduler.start();
            assertTrue(twice.await(30, TimeUnit.SECONDS), "the second probe comes at the new interval, not an hour on");
        } finally {
            scheduler.stop(Duration.ofSeconds(5));
        }

        RunScheduledProbeUseCase.Command first = probed.get(0);
        RunScheduledProbeUseCase.Command second = probed.get(1);
        assertEquals(S, second.server());
        assertEquals(0, first.missedBefore());
        assertEquals(SHORT.multipliedBy(second.missedBefore() + 1),
                Duration.between(first.scheduledAt(), second.scheduledAt()),
                "due one new interval after the first, or whole intervals later if the machine was busy");
    }
}
