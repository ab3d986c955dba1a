package dev.mcphealth.application.check;

import dev.mcphealth.application.recovery.RecoveryService;
import dev.mcphealth.application.testkit.FailoverRig;
import dev.mcphealth.application.testkit.FixedCatalog;
import dev.mcphealth.application.testkit.Recoveries;
import dev.mcphealth.application.testkit.TestServers;

import static dev.mcphealth.application.testkit.FailoverRig.START;
import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.StressTestUseCase;
import dev.mcphealth.application.port.in.StressTestUseCase.Command;
import dev.mcphealth.application.port.in.StressTestUseCase.Report;
import dev.mcphealth.application.port.in.StressTestUseCase.ServerStress;
import dev.mcphealth.application.port.in.UnknownServerTypeException;
import dev.mcphealth.application.port.out.ProbePort;
import dev.mcphealth.application.testkit.TestClock;
import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ProbeMethod;
import dev.mcphealth.domain.model.ProbeOutcome;
import dev.mcphealth.domain.model.ProbeReport;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class StressTestServiceTest {
    private static final MonitoredServer A = aServer().named("a").ofType("search").build();
    private static final MonitoredServer B = aServer().named("b").ofType("search").build();
    private static final MonitoredServer C = aServer().named("c").ofType("files").build();

    private final TestClock clock = new TestClock(START);

    /**
     * Answers each server's n-th probe (0-based, baseline first) as its script says, unscripted servers in 10 ms; an
     * answered probe moves the test clock on by its latency. Counts probes, those that could open a session
     * ({@code connecting}) and those that could not ({@code kept}).
     */
    private class Probes implements ProbePort {
        final Map<ServerId, IntFunction<ProbeOutcome>> scripts = new ConcurrentHashMap<>();
        final Map<ServerId, AtomicInteger> counts = new ConcurrentHashMap<>();
        final List<ServerId> order = new CopyOnWriteArrayList<>();
        final List<CheckDepth> depths = new CopyOnWriteArrayList<>();
        final AtomicInteger kept = new AtomicInteger();
        final AtomicInteger connecting = new AtomicInteger();

        Probes script(MonitoredServer s, IntFunction<ProbeOutcome> script) {
            scripts.put(s.id(), script);
            return this;
        }

        int of(MonitoredServer s) {
            return counts.getOrDefault(s.id(), new AtomicInteger()).get();
        }

        @Override
        public ProbeReport probe(MonitoredServer server, CheckDepth depth) {
            connecting.incrementAndGet();
            return answer(server, depth);
        }

        @Override
        public ProbeReport probeKept(MonitoredServer server, CheckDepth depth) {
            kept.incrementAndGet();
            return answer(server, depth);
        }

        private ProbeReport answer(MonitoredServer server, CheckDepth depth) {
            int n = counts.computeIfAbsent(server.id(), k -> new AtomicInteger()).getAndIncrement();
            order.add(server.id());
            depths.add(depth);
            ProbeOutcome outcome = scripts.getOrDefault(server.id(), i -> answered(10)).apply(n);
            if (outcome instanceof ProbeOutcome.Answered a) {
                clock.advance(a.responseTime());
            }
            return new ProbeReport(server.id(), clock.instant(), Optional.empty(), outcome);
        }
    }

    private static ProbeOutcome answered(long millis) {
        return new ProbeOutcome.Answered(Duration.ofMillis(millis), ProbeMethod.PING, Optional.empty());
    }

    private static ProbeOutcome failed(FailureType type) {
        return new ProbeOutcome.Failed(type, type.code() + " from the script", Duration.ofMillis(1));
    }

    private StressTestService service(ProbePort probes, MonitoredServer... servers) {
        return service(probes, new Recoveries(clock, servers).recovery, servers);
    }

    private StressTestService service(ProbePort probes, RecoveryService recovery, MonitoredServer... servers) {
        return new StressTestService(new FixedCatalog(servers), probes, recovery, clock, Runnable::run);
    }

    private static Optional<Duration> ms(long millis) {
        return Optional.of(Duration.ofMillis(millis));
    }

    @Test
    void theBaselineIsTheMedianOfFiveSequentialProbesAndTheBurstGetsPercentilesAndWallTime() {
        long[] baseline = {30, 10, 50, 20, 40};
        Probes probes = new Probes().script(A, i -> i < 5 ? answered(baseline[i]) : answered(i - 4));

        Report r = service(probes, A).run(new Command(Set.of(), 10, 1));

        ServerStress s = r.servers().get(0);
        assertEquals(START, r.startedAt());
        assertEquals(15, probes.of(A), "5 baseline probes, then 10");
        assertEquals(ms(30), s.baselineP50());
        assertEquals(10, s.answered());
        assertEquals(Map.of(), s.failures());
        assertEquals(ms(5), s.p50(), "nearest rank of 1..10 ms");
        assertEquals(ms(10), s.p95());
        assertEquals(ms(10), s.p99());
        assertEquals(ms(10), s.max());
        assertEquals(Duration.ofMillis(55), s.wall(), "the clock moved 1 + 2 + ... + 10 ms during the burst");
        assertEquals(10 / 0.055, s.throughput(), 1e-6);
        assertEquals(5.0 / 30, s.slowdown().orElseThrow(), 1e-9);
        assertEquals(10, s.probes());
        assertEquals(1, s.concurrency());
        assertTrue(probes.depths.stream().allMatch(CheckDepth.BASIC::equals));
    }

    @Test
    void failuresAreCountedByTypeAndLeftOutOfThePercentiles() {
        List<ProbeOutcome> burst = List.of(answered(7), failed(FailureType.SERVER_ERROR), answered(3),
                failed(FailureType.RATE_LIMIT), failed(FailureType.SERVER_ERROR), answered(5));
        Probes probes = new Probes().script(A, i -> i < 5 ? answered(4) : burst.get(i - 5));

        ServerStress s = service(probes, A).run(new Command(Set.of(), 6, 1)).servers().get(0);

        assertEquals(6, s.sent());
        assertEquals(3, s.answered());
        assertEquals(Optional.empty(), s.aborted(), "errors the server answered with do not stop the burst");
        assertEquals(Map.of(FailureType.SERVER_ERROR, 2, FailureType.RATE_LIMIT, 1), s.failures());
        assertEquals(ms(5), s.p50());
        assertEquals(ms(7), s.p99());
        assertEquals(ms(7), s.max());
    }

    @Test
    void aFailedBaselineSkipsTheBurstAndSaysWhy() {
        Probes probes = new Probes().script(A, i -> i < 2 ? answered(20) : failed(FailureType.TIMEOUT));

        ServerStress s = service(probes, A).run(new Command(Set.of(), 4, 2)).servers().get(0);

        assertEquals(3, probes.of(A), "the baseline stops at its first failure");
        assertEquals(Optional.of("baseline probe 3 of 5 failed: timeout: timeout from the script"), s.skipped());
        assertEquals(Optional.empty(), s.aborted());
        assertEquals(0, s.sent());
        assertEquals(0, s.answered());
        assertEquals(Map.of(), s.failures());
        assertEquals(ms(20), s.baselineP50(), "of the baseline probes that answered");
        assertEquals(Optional.empty(), s.p50());
        assertEquals(Optional.empty(), s.max());
        assertEquals(Optional.empty(), s.slowdown());
        assertEquals(0.0, s.throughput());
    }

    @Test
    void theBurstIsAbortedAtTheFirstTimeout() {
        Probes probes = new Probes().script(A, i -> i == 8 ? failed(FailureType.TIMEOUT) : answered(10));

        ServerStress s = service(probes, A).run(new Command(Set.of(), 50, 1)).servers().get(0);

        assertEquals(9, probes.of(A), "5 baseline probes, then 4 of the burst");
        assertEquals(Optional.of("aborted after 4 probes: timeout"), s.aborted());
        assertEquals(4, s.sent());
        assertEquals(3, s.answered());
        assertEquals(Map.of(FailureType.TIMEOUT, 1), s.failures());
        assertEquals(50, s.probes(), "what was asked");
    }

    @Test
    void aLostSessionAbortsTheBurstWithTheProbesInFlightCountedAndTheNextServerStillRuns() throws InterruptedException {
        // the probes after the failed one stay in flight until the worker that got the failure has ended (it has
        // aborted the burst by then): without it, a loaded machine may let the other workers run every probe first
        java.util.concurrent.CountDownLatch failedWorkerDone = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<Thread> failing = new java.util.concurrent.atomic.AtomicReference<>();
        Probes probes = new Probes().script(A, i -> {
            if (i == 6) {
                failing.set(Thread.currentThread());
                return failed(FailureType.CONNECTION_ERROR);
            }
            if (i > 6) {
                try {
                    assertTrue(failedWorkerDone.await(10, TimeUnit.SECONDS), "the failed probe's worker never ended");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return answered(10);
        });
        ExecutorService pool = Executors.newFixedThreadPool(4);
        java.util.concurrent.Executor workers = task -> pool.execute(() -> {
            try {
                task.run();
            } finally {
                if (Thread.currentThread() == failing.get()) {
                    failedWorkerDone.countDown();
                }
            }
        });
        try {
            StressTestService service = new StressTestService(new FixedCatalog(A, B), probes,
                    new Recoveries(clock, A, B).recovery, clock, workers);
            Report r = service.run(new Command(Set.of(), 40, 4));

            ServerStress a = r.servers().get(0);
            assertTrue(a.aborted().orElseThrow().matches("aborted after \\d+ probes: connection_error"), a.aborted()
                    .toString());
            assertTrue(a.sent() >= 2 && a.sent() < 40, "stopped early, with what was in flight: " + a.sent());
            assertEquals(a.sent(), probes.of(A) - 5);
            assertEquals(Map.of(FailureType.CONNECTION_ERROR, 1), a.failures());
            ServerStress b = r.servers().get(1);
            assertEquals(40, b.sent());
            assertEquals(Optional.empty(), b.aborted());
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void noProbeOpensASession() {
        Recoveries r = new Recoveries(clock, A, B);
        Probes probes = new Probes().script(B, i -> failed(FailureType.CONNECTION_ERROR));

        service(probes, r.recovery, A, B).run(new Command(Set.of(), 10, 2));

        assertEquals(0, probes.connecting.get(), "nothing connects or starts a server, whatever recovery says");
        assertEquals(16, probes.kept.get(), "a's 15, and b's first, which found no session");
    }

    @Test
    void noProbeStartsAfterTheDeadlineAndServersNotReachedAreSkipped() {
        assertEquals(Duration.ofSeconds(30), StressTestUseCase.DEADLINE);
        Probes probes = new Probes().script(A, i -> answered(1_000)); // each probe takes 1 s of the test clock

        Report r = service(probes, A, B).run(new Command(Set.of(), 50, 1));

        assertEquals(START.plusSeconds(30), r.deadline());
        assertTrue(r.deadlinePassed());
        ServerStress a = r.servers().get(0);
        assertEquals(25, a.sent(), "5 s of baseline, then 25 s of burst");
        assertEquals(Optional.of("stopped after 25 probes: the run's 30 s deadline passed"), a.aborted());
        assertEquals(Duration.ofSeconds(25), a.wall());
        ServerStress b = r.servers().get(1);
        assertEquals(Optional.of("the run's 30 s deadline passed before its turn"), b.skipped());
        assertEquals(0, probes.of(B));
    }

    @Test
    void aRunWithinTheDeadlineSaysSo() {
        Report r = service(new Probes(), A).run(new Command(Set.of(), 10, 2));
        assertEquals(START.plusSeconds(30), r.deadline());
        assertFalse(r.deadlinePassed());
    }

    @Test
    void theDefaultIsFiveBaselineProbesThenFiftyFiveAtATime() {
        Probes probes = new Probes();

        ServerStress s = service(probes, A).run(Command.of(Set.of())).servers().get(0);

        assertEquals(55, probes.of(A));
        assertEquals(50, s.probes());
        assertEquals(5, s.concurrency());
        assertEquals(50, s.sent());
    }

    @Test
    void aProbeThatThrowsEndsThatServersProbingAndTheOthersRun() {
        IntFunction<ProbeOutcome> fine = i -> answered(10);
        Probes probes = new Probes() {
            @Override
            public ProbeReport probeKept(MonitoredServer server, CheckDepth depth) {
                if (server.equals(A) && of(A) == 7) {
                    counts.get(A.id()).incrementAndGet();
                    throw new IllegalStateException("this probe is closed");
                }
                if (server.equals(B) && of(B) == 1) {
                    counts.get(B.id()).incrementAndGet();
                    throw new IllegalStateException("this probe is closed");
                }
                return super.probeKept(server, depth);
            }
        }.script(A, fine);

        Report r = service(probes, A, B, C).run(new Command(Set.of(), 10, 1));

        ServerStress a = r.servers().get(0);
        assertEquals(Optional.of("aborted after 3 probes: the probe failed inside MCP Health: "
                + "this probe is closed"), a.aborted());
        assertEquals(Map.of(FailureType.SERVER_ERROR, 1), a.failures());
        assertEquals(2, a.answered());
        ServerStress b = r.servers().get(1);
        assertEquals(Optional.of("baseline probe 2 of 5 failed: server_error: the probe failed inside MCP Health: "
                + "this probe is closed"), b.skipped());
        ServerStress c = r.servers().get(2);
        assertEquals(10, c.answered(), "the others still run");
    }

    @Test
    void atMostConcurrencyProbesAreInFlightAndThatManyAre() throws InterruptedException {
        int concurrency = 4;
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger burstProbes = new AtomicInteger();
        CountDownLatch firstWave = new CountDownLatch(concurrency);
        AtomicInteger calls = new AtomicInteger();
        ProbePort probes = (server, depth) -> {
            boolean inBurst = calls.getAndIncrement() >= StressTestService.BASELINE_PROBES;
            int now = inFlight.incrementAndGet();
            most.accumulateAndGet(now, Math::max);
            try {
                if (inBurst && burstProbes.getAndIncrement() < concurrency) {
                    firstWave.countDown();
                    assertTrue(firstWave.await(10, TimeUnit.SECONDS), "the first probes were not in flight together");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                inFlight.decrementAndGet();
            }
            return new ProbeReport(server.id(), START, Optional.empty(), answered(2));
        };
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            StressTestService service = new StressTestService(new FixedCatalog(A), probes,
                    new Recoveries(clock, A).recovery, clock, pool);
            ServerStress s = service.run(new Command(Set.of(), 40, concurrency)).servers().get(0);

            assertEquals(concurrency, most.get(), "never more than the concurrency asked, on a pool of 16");
            assertEquals(40, s.answered());
            assertEquals(45, calls.get());
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void fewerProbesThanWorkersAreEachSentOnce() {
        Probes probes = new Probes();
        ServerStress s = service(probes, A).run(new Command(Set.of(), 2, 8)).servers().get(0);
        assertEquals(2, s.answered());
        assertEquals(7, probes.of(A));
    }

    @Test
    void instancesOfTheSelectedTypesRunOneAfterAnotherInNameOrder() throws InterruptedException {
        Probes probes = new Probes();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            StressTestService service = new StressTestService(new FixedCatalog(C, B, A), probes,
                    new Recoveries(clock, C, B, A).recovery, clock, pool);
            Report r = service.run(new Command(Set.of(ServerType.of("search")), 12, 4));

            assertEquals(List.of(A.id(), B.id()), r.servers().stream().map(ServerStress::server).toList());
            List<ServerId> order = probes.order;
            assertEquals(34, order.size());
            assertTrue(order.subList(0, 17).stream().allMatch(A.id()::equals), "all of a before any of b: " + order);
            assertTrue(order.subList(17, 34).stream().allMatch(B.id()::equals));
            assertEquals(0, probes.of(C));
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void anUnknownTypeIsRefusedBeforeAnyProbe() {
        Probes probes = new Probes();
        UnknownServerTypeException e = assertThrows(UnknownServerTypeException.class,
                () -> service(probes, A, C).run(new Command(Set.of(ServerType.of("mail")), 10, 2)));
        assertEquals("no server has type mail; the configured types are files, search", e.getMessage());
        assertEquals(List.of(), probes.order);
    }

    @Test
    void aServerRecoveryIsBringingBackIsSkipped() {
        Recoveries r = new Recoveries(clock, A, B);
        r.recovery.failureSeen(A.id(), FailureType.CONNECTION_ERROR, "the process exited");
        Probes probes = new Probes();

        Report report = service(probes, r.recovery, A, B).run(new Command(Set.of(), 3, 1));

        assertEquals(Optional.of("recovery is bringing it back (0 attempt(s) so far, next at 2026-11-23T10:00:00Z)"),
                report.servers().get(0).skipped());
        assertEquals(0, probes.of(A));
        assertEquals(8, probes.of(B));
        assertEquals(0, probes.connecting.get());
    }
}
