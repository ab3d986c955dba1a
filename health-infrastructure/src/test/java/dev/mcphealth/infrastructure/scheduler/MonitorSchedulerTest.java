package dev.mcphealth.infrastructure.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.FlushReport;
import dev.mcphealth.application.port.in.PlanMonitoringUseCase;
import dev.mcphealth.application.port.in.PruneHistoryUseCase;
import dev.mcphealth.application.port.in.RunScheduledProbeUseCase;
import dev.mcphealth.application.port.out.StorageUnavailableException;
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

    private static MonitorScheduler guarded(List<String> calls, MonitorScheduler.StoreCheck check) {
        return guarded(calls, check, () -> { });
    }

    private static MonitorScheduler guarded(List<String> calls, MonitorScheduler.StoreCheck check, Runnable tick) {
        PlanMonitoringUseCase plan = () -> List.of(new PlanMonitoringUseCase.Entry(S, Duration.ofHours(1)));
        return new MonitorScheduler(plan, command -> List.of(), () -> {
            calls.add("flush");
            return NOTHING;
        }, () -> {
            calls.add("last flush");
            return NOTHING;
        }, Optional.empty(), PruneHistoryUseCase.Command.DEFAULTS, report -> { }, Optional.empty(),
                Optional.of(new MonitorScheduler.StoreGuard(() -> {
                    calls.add("check");
                    return check.reopenIfReplaced();
                }, () -> calls.add("rewrite"))), tick);
    }

    @Test
    void aStoreMadeAnewGetsWhatTheMonitorHoldsOpenBeforeTheFlushWritesToIt() {
        List<String> calls = new CopyOnWriteArrayList<>();
        MonitorScheduler scheduler = guarded(calls, () -> Optional.of("database x was deleted: created it again"));
        scheduler.stop(SHORT);
        assertEquals(List.of("check", "rewrite", "last flush"), calls);
        assertEquals(Optional.empty(), scheduler.storeLost());
    }

    @Test
    void aStoreThatCannotBeMadeAgainIsSaidOnceAndNotFlushedTo() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        MonitorScheduler scheduler = guarded(calls, () -> {
            throw new StorageUnavailableException("database x was deleted and cannot be opened again: no", null);
        });
        List<String> heard = new CopyOnWriteArrayList<>();
        scheduler.whenStoreLost().thenAccept(heard::add);
        try {
            scheduler.start();
            assertEquals("database x was deleted and cannot be opened again: no",
                    scheduler.whenStoreLost().toCompletableFuture().get(30, TimeUnit.SECONDS));
        } finally {
            scheduler.stop(SHORT);
        }
        assertEquals(Optional.of("database x was deleted and cannot be opened again: no"), scheduler.storeLost());
        assertEquals(List.of("database x was deleted and cannot be opened again: no"), heard, "said once");
        assertTrue(!calls.contains("flush") && !calls.contains("rewrite"), "no flush into a lost store: " + calls);
        assertEquals("last flush", calls.get(calls.size() - 1), "the stop still reports what waits");
    }

    @Test
    void theTickAfterEachFlushRunsAlsoWhileTheStoreIsLostAndItsFaultsStopNothing() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch ticks = new java.util.concurrent.CountDownLatch(3);
        MonitorScheduler scheduler = guarded(calls, () -> {
            throw new StorageUnavailableException("database x was deleted and cannot be opened again: no", null);
        }, () -> {
            ticks.countDown();
            throw new IllegalStateException("a bug in the tick");
        });
        try {
            scheduler.start();
            assertTrue(ticks.await(30, TimeUnit.SECONDS), "ticked every flush interval, whatever it threw");
        } finally {
            scheduler.stop(SHORT);
        }
        assertTrue(!calls.contains("flush"), "no flush into a lost store: " + calls);
    }

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

    @Test
    void anIntervalShortenedBetweenProbesBringsTheNextProbeForward() throws Exception {
        // an idle hour's stretch ends, or the server is not healthy: its next probe, set an hour on, comes sooner
        AtomicReference<Duration> interval = new AtomicReference<>(Duration.ofHours(1));
        PlanMonitoringUseCase plan = () -> List.of(new PlanMonitoringUseCase.Entry(S, interval.get()));
        List<RunScheduledProbeUseCase.Command> probed = new CopyOnWriteArrayList<>();
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(2);
        RunScheduledProbeUseCase probes = command -> {
            probed.add(command);
            first.countDown();
            second.countDown();
            return List.of();
        };
        MonitorScheduler scheduler = new MonitorScheduler(plan, probes, () -> NOTHING, () -> NOTHING,
                Optional.empty(), PruneHistoryUseCase.Command.DEFAULTS, report -> { });
        try {
            scheduler.start();
            assertTrue(first.await(30, TimeUnit.SECONDS));
            TimeUnit.MILLISECONDS.sleep(300); // the first probe is over: its next is set an hour on (real time)
            interval.set(Duration.ofSeconds(2));
            assertTrue(second.await(30, TimeUnit.SECONDS), "brought forward, not an hour on");
        } finally {
            scheduler.stop(Duration.ofSeconds(5));
        }
        Duration apart = Duration.between(probed.get(0).scheduledAt(), probed.get(1).scheduledAt());
        assertTrue(apart.compareTo(Duration.ofSeconds(5)) < 0, "one new interval after the first, give or take the"
                + " flush's second: " + apart);
        assertEquals(2, probed.size(), "once, not twice: " + probed);
    }

    @Test
    void theWatchdogStartsAgainALoopWhoseProbeHungAndTheHungChainEndsWhenItReturns() throws Exception {
        PlanMonitoringUseCase plan = () -> List.of(new PlanMonitoringUseCase.Entry(S, SHORT));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch afterRestart = new CountDownLatch(3);
        List<RunScheduledProbeUseCase.Command> probed = new CopyOnWriteArrayList<>();
        List<ServerId> restarted = new CopyOnWriteArrayList<>();
        RunScheduledProbeUseCase probes = command -> {
            probed.add(command);
            if (probed.size() == 1) {
                try {
                    release.await(60, TimeUnit.SECONDS); // hangs past every timeout
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else {
                afterRestart.countDown();
            }
            return List.of();
        };
        MonitorScheduler.Watchdog watchdog = new MonitorScheduler.Watchdog(Duration.ofMillis(20),
                Duration.ofMillis(100), 1, server -> Duration.ofMillis(100), (server, stalled) -> restarted.add(server));
        MonitorScheduler scheduler = new MonitorScheduler(plan, probes, () -> NOTHING, () -> NOTHING,
                Optional.empty(), PruneHistoryUseCase.Command.DEFAULTS, report -> { }, Optional.of(watchdog));
        try {
            scheduler.start();
            assertTrue(afterRestart.await(30, TimeUnit.SECONDS), "probing goes on after the hung probe");
            assertEquals(List.of(S), restarted, "one restart, reported");
            assertTrue(!probed.get(0).current().getAsBoolean(), "the hung probe's answer is no longer wanted");
            assertTrue(probed.get(probed.size() - 1).current().getAsBoolean(), "the new chain's is");
            int released = probed.size();
            release.countDown(); // the hung probe returns: its chain must end there
            CountDownLatch never = new CountDownLatch(1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (probed.size() < released + 10 && System.nanoTime() < deadline) {
                never.await(10, TimeUnit.MILLISECONDS); // real time: the scheduler runs on it
            }
            assertTrue(probed.size() >= released + 10, "the new chain keeps probing");
            // the old chain's due times are whole intervals after the first probe's; the new chain's are not
            java.time.Instant first = probed.get(0).scheduledAt();
            long oldChain = probed.subList(1, probed.size()).stream()
                    .filter(c -> Duration.between(first, c.scheduledAt()).toNanos() % SHORT.toNanos() == 0).count();
            assertEquals(0, oldChain, "no probe of the hung chain after it returned: " + probed);
            assertEquals(1, restarted.size(), "no further restart once the loop moves");
        } finally {
            scheduler.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void aLoopWhoseProbesAllHangIsRestartedOnceNotOnceAStallLeavingAWorkerStuckEachTime() throws Exception {
        PlanMonitoringUseCase plan = () -> List.of(new PlanMonitoringUseCase.Entry(S, SHORT));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch twoProbes = new CountDownLatch(2);
        List<ServerId> restarted = new CopyOnWriteArrayList<>();
        RunScheduledProbeUseCase probes = command -> {
            twoProbes.countDown();
            try {
                release.await(60, TimeUnit.SECONDS); // every probe waits on what the first one holds
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of();
        };
        MonitorScheduler.Watchdog watchdog = new MonitorScheduler.Watchdog(Duration.ofMillis(20),
                Duration.ofMillis(50), 1, server -> Duration.ofMillis(50), (server, stalled) -> restarted.add(server));
        MonitorScheduler scheduler = new MonitorScheduler(plan, probes, () -> NOTHING, () -> NOTHING,
                Optional.empty(), PruneHistoryUseCase.Command.DEFAULTS, report -> { }, Optional.of(watchdog));
        try {
            scheduler.start();
            assertTrue(twoProbes.await(30, TimeUnit.SECONDS), "the watchdog started a second chain");
            // ten more stall periods pass with both probes still hung: no further restart
            assertTrue(!new CountDownLatch(1).await(1, TimeUnit.SECONDS));
            assertEquals(List.of(S), restarted);
            assertEquals(2, scheduler.inFlight(), "one stuck worker per hang, not one per stall period");
        } finally {
            release.countDown();
            scheduler.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void manyServersOnOneIntervalAreDueEvenlyOverItOnceOpenedAtMostTwoHundredASecond() {
        for (int n : new int[] {1, 150, 201, 1_000, 2_000, 3_333}) {
            for (Duration interval : List.of(Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofMillis(300))) {
                long every = interval.toNanos();
                long[] first = new long[n];
                long[] phase = new long[n];
                for (int i = 0; i < n; i++) {
                    first[i] = MonitorScheduler.firstDueNanos(i, n, interval);
                    phase[i] = first[i] % every;
                }
                java.util.Arrays.sort(first);
                java.util.Arrays.sort(phase);
                String at = n + " servers every " + interval;
                // later probes: one every interval/n, none due together
                for (int i = 1; i < n; i++) {
                    long gap = phase[i] - phase[i - 1];
                    assertTrue(Math.abs(gap - every / n) <= 1, at + ": due " + gap + " ns apart, not " + every / n);
                }
                // first probes (session opens): at most FIRST_OPENS_PER_SECOND in any second
                for (int i = 0; i + MonitorScheduler.FIRST_OPENS_PER_SECOND < n; i++) {
                    long span = first[i + MonitorScheduler.FIRST_OPENS_PER_SECOND] - first[i];
                    assertTrue(span >= 1_000_000_000L, at + ": 201 opens in " + span + " ns");
                }
                // and no longer to open them all than it takes at that pace
                long rounds = (n + MonitorScheduler.FIRST_OPENS_PER_SECOND - 1) / MonitorScheduler.FIRST_OPENS_PER_SECOND;
                assertTrue(first[n - 1] < rounds * 1_200_000_000L, at + ": the last opens after " + first[n - 1]);
            }
        }
    }

    @Test
    void aSlowIntervalStillStartsWithinASecondOrAsManyAsTheOpensTake() {
        for (int i = 0; i < 100; i++) {
            assertTrue(MonitorScheduler.firstDueNanos(i, 100, Duration.ofMinutes(5)) < 1_000_000_000L);
        }
        for (int i = 0; i < 1_000; i++) {
            assertTrue(MonitorScheduler.firstDueNanos(i, 1_000, Duration.ofMinutes(5)) < 5_000_000_000L);
        }
    }
}
