package dev.mcphealth.application.check;

import dev.mcphealth.application.recovery.RecoveryService;
import dev.mcphealth.application.testkit.FailoverRig;
import dev.mcphealth.application.testkit.FixedCatalog;
import dev.mcphealth.application.testkit.Recoveries;
import dev.mcphealth.application.testkit.TestServers;
import dev.mcphealth.domain.model.ProbeDetails;

import static dev.mcphealth.application.testkit.FailoverRig.START;
import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.AssessHealthUseCase.Assessment;
import dev.mcphealth.application.port.in.AssessHealthUseCase.Entry;
import dev.mcphealth.application.port.in.AssessHealthUseCase.Query;
import dev.mcphealth.application.port.in.AssessHealthUseCase.RecoveryAttempt;
import dev.mcphealth.application.port.in.AssessHealthUseCase.RecoveryUnderWay;
import dev.mcphealth.application.port.in.RunAsTaskUseCase;
import dev.mcphealth.application.port.in.UnknownServerTypeException;
import dev.mcphealth.application.port.out.ProbePort;
import dev.mcphealth.application.port.out.SessionPort;
import dev.mcphealth.application.testkit.FakeBreakers;
import dev.mcphealth.application.testkit.InMemoryMetricStore;
import dev.mcphealth.application.testkit.TestClock;
import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.HealthMetric;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MetricType;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ProbeMethod;
import dev.mcphealth.domain.model.ProbeOutcome;
import dev.mcphealth.domain.model.ProbeReport;
import dev.mcphealth.domain.model.RecoveryAction;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.StatusSnapshot;
import dev.mcphealth.domain.model.Thresholds;
import dev.mcphealth.domain.model.TransportKind;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Health checks on demand beside a running monitor (the failover rig), on a test clock. */
class AssessHealthServiceTest {
    private static final MonitoredServer S1 = aServer().named("s1").ofType("search").every(Duration.ofSeconds(1))
            .recovering(3, Duration.ofSeconds(10)).build();
    private static final MonitoredServer S2 = aServer().named("s2").ofType("search").every(Duration.ofSeconds(1))
            .build();
    private static final MonitoredServer H1 = aServer().named("h1").ofType("fetch")
            .over(TransportKind.STREAMABLE_HTTP).every(Duration.ofSeconds(1)).build();

    private static AssessHealthService service(FailoverRig rig) {
        return new AssessHealthService(new FixedCatalog(rig.servers.toArray(MonitoredServer[]::new)), rig.fleet,
                rig.monitor.board(), rig.recovery, rig.metrics, rig.clock, Runnable::run);
    }

    private static Query all(boolean autoRecover) {
        return new Query(Set.of(), CheckDepth.BASIC, autoRecover);
    }

    private static final RunAsTaskUseCase.Context TASK_7 = new RunAsTaskUseCase.Context("session_1",
            Optional.of("task_7"));

    private static Query linked(boolean autoRecover, RunAsTaskUseCase.Context link) {
        return new Query(Set.of(), CheckDepth.BASIC, autoRecover, Optional.of(link));
    }

    /** The rows a linked run recorded (the monitor's own carry no session). */
    private static List<HealthMetric> linkedRows(InMemoryMetricStore store) {
        return store.rows().stream().filter(m -> m.orchestratorSessionId().isPresent()).toList();
    }

    private static List<Failure> rowsOf(FailoverRig rig, String server) {
        rig.monitor.flusher().flush();
        return rig.failures.rows().stream().filter(f -> f.serverInstance().equals(ServerId.of(server))).toList();
    }

    private static Entry entry(Assessment a, String server) {
        return a.servers().stream().filter(e -> e.server().id().value().equals(server)).findFirst().orElseThrow();
    }

    private static long slaProbes(FailoverRig rig, String server) {
        return rig.monitor.board().snapshot().stream().filter(s -> s.server().value().equals(server))
                .mapToLong(StatusSnapshot::slaProbes).sum();
    }

    @Test
    void everyInstanceIsProbedAfreshInNameOrderBesideTheMonitorsSnapshot() {
        FailoverRig rig = new FailoverRig(S2, H1, S1).started();
        rig.seconds(2);
        int requestsBefore = rig.fleet.requests().size();

        Assessment a = service(rig).assess(all(false));

        assertEquals(List.of("h1", "s1", "s2"), a.servers().stream().map(e -> e.server().id().value()).toList());
        assertEquals(START.plusSeconds(2), a.checkedAt());
        assertEquals(CheckDepth.BASIC, a.depth());
        assertEquals(requestsBefore + 3, rig.fleet.requests().size(), "one fresh probe each");
        for (Entry e : a.servers()) {
            assertEquals(HealthStatus.HEALTHY, e.status());
            assertEquals(e.server().id(), e.probe().server());
            assertEquals(e.server().id(), e.live().orElseThrow().server());
            assertEquals(Optional.empty(), e.recovery());
        }
        assertEquals(HealthStatus.HEALTHY, a.overall());
    }

    @Test
    void theFreshProbeIsRecordedNowhere() {
        FailoverRig rig = new FailoverRig(S1).started();
        rig.monitor.flusher().flush();
        long probes = slaProbes(rig, "s1");
        int rows = rig.metrics.of("s1").size();

        rig.fleet.failProbes("s1", Optional.of(FailureType.SERVER_ERROR));
        service(rig).assess(all(true));
        rig.monitor.flusher().flush();

        assertEquals(probes, slaProbes(rig, "s1"), "the monitor's windows did not see it");
        assertEquals(rows, rig.metrics.of("s1").size(), "no metric row");
        assertEquals(List.of(), rig.failures.rows(), "no failure row");
        assertEquals(Optional.empty(), rig.recovery.episode(S1.id()), "recovery was not told");
    }

    @Test
    void onlyTheSelectedTypesAreChecked() {
        FailoverRig rig = new FailoverRig(S1, S2, H1).started();
        Assessment a = service(rig).assess(new Query(Set.of(ServerType.of("fetch")), CheckDepth.COMPREHENSIVE,
                false));
        assertEquals(List.of("h1"), a.servers().stream().map(e -> e.server().id().value()).toList());
        assertEquals(CheckDepth.COMPREHENSIVE, a.depth());
    }

    @Test
    void anUnknownTypeIsRefusedWithTheConfiguredOnes() {
        FailoverRig rig = new FailoverRig(S1, H1).started();
        int requestsBefore = rig.fleet.requests().size();
        UnknownServerTypeException e = assertThrows(UnknownServerTypeException.class, () -> service(rig)
                .assess(new Query(Set.of(ServerType.of("search"), ServerType.of("mail")), CheckDepth.BASIC, true)));
        assertEquals("no server has type mail; the configured types are fetch, search", e.getMessage());
        assertEquals(requestsBefore, rig.fleet.requests().size(), "nothing was probed");
    }

    @Test
    void theStatusIsTheProbesOwnByTheServersThresholds() {
        MonitoredServer strict = aServer().named("strict").every(Duration.ofSeconds(1))
                .withThresholds(new Thresholds(Duration.ofMillis(5), Duration.ofMillis(50), 0.05, 0.25, 3, 2))
                .build();
        FailoverRig rig = new FailoverRig(strict, S2).started();
        rig.fleet.failProbes("s2", Optional.of(FailureType.AUTHENTICATION));

        Assessment a = service(rig).assess(all(true));

        assertEquals(HealthStatus.WARNING, entry(a, "strict").status(), "10 ms is past its 5 ms warning");
        assertEquals(HealthStatus.CRITICAL, entry(a, "s2").status(), "one failed probe, no hysteresis");
        assertEquals(Optional.empty(), entry(a, "s2").recovery(), "a restart cannot fix a 401");
        assertEquals(HealthStatus.CRITICAL, a.overall());
    }

    @Test
    void withoutAutoRecoverADeadServerIsOnlyReported() {
        FailoverRig rig = new FailoverRig(S1).started();
        rig.kill("s1");
        rig.fleet.revive("s1"); // could start again, but recovery is in charge and waits its backoff

        Entry e = entry(service(rig).assess(all(false)), "s1");

        assertEquals(HealthStatus.OFFLINE, e.status());
        assertEquals(Optional.empty(), e.recovery());
        assertEquals(1, rig.fleet.starts("s1"), "the check did not start it behind recovery's back");
        assertEquals(1, rig.fleet.reopens("s1"), "only recovery's own attempt");
    }

    @Test
    void whileRecoveryHasADeadServerDownTheCheckLeavesItToTheEpisodesBackoff() {
        FailoverRig rig = new FailoverRig(S1, S2).started();
        rig.kill("s1"); // recovery's first attempt fails at once; the next waits 10 s

        for (int poll = 0; poll < 3; poll++) {
            Entry e = entry(service(rig).assess(all(true)), "s1");
            assertEquals(HealthStatus.OFFLINE, e.status());
            assertEquals(Optional.empty(), e.recovery(), "no attempt of the check's own");
            assertEquals(Optional.of(new RecoveryUnderWay(RecoveryAction.RESTART, 1, START.plusSeconds(10), false,
                    false)), e.underWay());
        }
        assertEquals(1, rig.fleet.reopens("s1"), "only recovery's own attempt: polling restarts nothing");
        assertEquals(List.of(0L), rig.attemptSeconds("s1"));
    }

    @Test
    void anExhaustedEpisodeIsReportedExhaustedWithItsSlowRetry() {
        FailoverRig rig = new FailoverRig(S1).started();
        rig.kill("s1");
        rig.until(Duration.ofSeconds(31)); // attempts at 0, 10 and 30 fail: exhausted, next in 5 min
        int reopens = rig.fleet.reopens("s1");

        RecoveryUnderWay r = entry(service(rig).assess(all(true)), "s1").underWay().orElseThrow();

        assertEquals(new RecoveryUnderWay(RecoveryAction.RESTART, 3, START.plusSeconds(30).plus(Duration.ofMinutes(5)),
                true, false), r);
        assertEquals(reopens, rig.fleet.reopens("s1"));
    }

    @Test
    void aFailureTheCheckIsFirstToSeeGetsOneAttemptNow() {
        FailoverRig rig = new FailoverRig(S1, S2).started();
        rig.fleet.failProbes("s1", Optional.of(FailureType.TIMEOUT)); // hung, with its session up: recovery knows nothing

        Assessment a = service(rig).assess(all(true));

        Entry hung = entry(a, "s1");
        assertEquals(HealthStatus.CRITICAL, hung.status(), "the status is what the probe saw, before the restart");
        assertEquals(new RecoveryAttempt(RecoveryAction.RESTART, true, "up again"), hung.recovery().orElseThrow());
        assertEquals(Optional.empty(), hung.underWay());
        assertEquals(Optional.empty(), entry(a, "s2").recovery());
        assertEquals(1, rig.fleet.reopens("s1"));
        assertEquals(Optional.empty(), rig.recovery.episode(S1.id()), "a restart of a server that was up opens nothing");
        assertEquals(0, rig.recovery.progress(S1.id()).attempts().episodesRecovered());
    }

    @Test
    void aRemoteServerIsReconnected() {
        FailoverRig rig = new FailoverRig(H1).started();
        rig.fleet.failProbes("h1", Optional.of(FailureType.TIMEOUT));

        RecoveryAttempt r = entry(service(rig).assess(all(true)), "h1").recovery().orElseThrow();
        assertEquals(new RecoveryAttempt(RecoveryAction.RECONNECT, true, "up again"), r);
    }

    @Test
    void aRemoteServerRecoveryIsReconnectingIsLeftToIt() {
        FailoverRig rig = new FailoverRig(H1).started();
        rig.fleet.partition("h1", Duration.ofSeconds(5));
        rig.recovery.runDue(); // fails: the next reconnect after the retry delay

        Entry e = entry(service(rig).assess(all(true)), "h1");
        assertEquals(Optional.empty(), e.recovery());
        assertEquals(RecoveryAction.RECONNECT, e.underWay().orElseThrow().action());
        assertEquals(START.plus(H1.failover().retryDelay()), e.underWay().orElseThrow().nextAttemptAt());
    }

    @Test
    void aProbeThatThrowsIsReportedForItsServerAndTheOthersStillAre() {
        MonitoredServer p1 = aServer().named("p1").ofType("pool").build();
        MonitoredServer p2 = aServer().named("p2").ofType("pool").build();
        TestClock clock = new TestClock(START);
        ProbePort probes = (server, depth) -> {
            if (server.equals(p1)) {
                throw new IllegalStateException("this probe is closed");
            }
            return new ProbeReport(server.id(), clock.instant(), Optional.empty(),
                    new ProbeOutcome.Answered(Duration.ofMillis(3), ProbeMethod.PING, Optional.empty()));
        };
        AssessHealthService service = new AssessHealthService(new FixedCatalog(p1, p2), probes, List::of,
                new Recoveries(clock, p1, p2).recovery, new InMemoryMetricStore(), clock, Runnable::run);

        Assessment a = service.assess(all(true));

        Entry broken = entry(a, "p1");
        assertEquals(new ProbeOutcome.Failed(FailureType.SERVER_ERROR,
                "the probe failed inside MCP Health: this probe is closed", Duration.ZERO),
                broken.probe().outcome());
        assertEquals(HealthStatus.CRITICAL, broken.status());
        assertEquals(Optional.empty(), broken.recovery(), "a restart cannot fix our own fault");
        assertEquals(HealthStatus.HEALTHY, entry(a, "p2").status());
    }

    @Test
    void anAttemptThatThrowsIsReportedAsAFailedAttemptAndTheOthersStillAre() {
        MonitoredServer p1 = aServer().named("p1").ofType("pool").build();
        MonitoredServer p2 = aServer().named("p2").ofType("pool").build();
        TestClock clock = new TestClock(START);
        SessionPort closed = new SessionPort() {
            @Override
            public Optional<MonitorEvent.FailureSummary> reopen(MonitoredServer server) {
                throw new IllegalStateException("this probe is closed");
            }

            @Override
            public void close(ServerId server) {
                // it has no session to close
            }

            @Override
            public boolean isOpen(ServerId server) {
                return true;
            }

            @Override
            public void onSessionLost(SessionLossListener listener) {
            }
        };
        RecoveryService recovery = new RecoveryService(new FixedCatalog(p1, p2), closed,
                new FakeBreakers(clock, 3, Duration.ofSeconds(30)), e -> { }, clock, () -> 0.5, Optional.empty(),
                dev.mcphealth.application.catalog.StandbyInstances.NONE, dev.mcphealth.application.port.out.WorkSharePort.ALL);
        ProbePort hung = (server, depth) -> new ProbeReport(server.id(), clock.instant(), Optional.empty(),
                new ProbeOutcome.Failed(FailureType.TIMEOUT, "no answer", Duration.ofSeconds(10)));
        AssessHealthService service = new AssessHealthService(new FixedCatalog(p1, p2), hung, List::of, recovery,
                new InMemoryMetricStore(), clock, Runnable::run);

        Assessment a = service.assess(all(true));

        for (String name : List.of("p1", "p2")) {
            assertEquals(new RecoveryAttempt(RecoveryAction.RESTART, false,
                    "the attempt failed inside MCP Health: this probe is closed"),
                    entry(a, name).recovery().orElseThrow());
        }
        assertEquals(0, recovery.attemptsRunning());
    }

    @Test
    void instancesAreProbedInParallel() throws InterruptedException {
        int n = 4;
        MonitoredServer[] servers = new MonitoredServer[n];
        for (int i = 0; i < n; i++) {
            servers[i] = aServer().named("p" + i).ofType("pool").build();
        }
        TestClock clock = new TestClock(START);
        CountDownLatch allInFlight = new CountDownLatch(n);
        ProbePort waitsForTheOthers = (server, depth) -> {
            allInFlight.countDown();
            try {
                assertTrue(allInFlight.await(10, TimeUnit.SECONDS), "the probes were not all in flight at once");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return new ProbeReport(server.id(), clock.instant(), Optional.empty(),
                    new ProbeOutcome.Answered(Duration.ofMillis(3), ProbeMethod.PING, Optional.empty()));
        };
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            AssessHealthService service = new AssessHealthService(new FixedCatalog(servers), waitsForTheOthers,
                    List::of, new Recoveries(clock, servers).recovery, new InMemoryMetricStore(), clock, pool);
            Assessment a = service.assess(all(false));
            assertEquals(n, a.servers().size());
            assertTrue(a.servers().stream().allMatch(e -> e.live().isEmpty()), "no snapshot: nothing monitored");
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    // ---- a check run as an orchestrator task ----------------------------------------------------------------

    @Test
    void aLinkedCheckRecordsEachFreshProbeAsTheMonitorsRowsWithTheRunsSessionAndTask() {
        FailoverRig rig = new FailoverRig(S1, H1).started();
        rig.seconds(2);
        rig.fleet.failProbes("h1", Optional.of(FailureType.AUTHENTICATION));
        int appends = rig.metrics.appends();

        Assessment a = service(rig).assess(linked(true, TASK_7));

        assertEquals(appends + 1, rig.metrics.appends(), "one batch");
        List<HealthMetric> rows = linkedRows(rig.metrics);
        assertEquals(List.of("h1|availability|0.0|critical", "s1|availability|1.0|healthy",
                "s1|response_time|" + ProbeDetails.millis(((ProbeOutcome.Answered) entry(a, "s1").probe().outcome())
                        .responseTime()) + "|healthy"),
                rows.stream().map(m -> m.serverInstance().value() + "|" + m.metricType().code() + "|" + m.value()
                        + "|" + m.status().code()).toList());
        for (HealthMetric m : rows) {
            Entry e = entry(a, m.serverInstance().value());
            assertEquals(Optional.of("task_7"), m.orchestratorTaskId());
            assertEquals(Optional.of("session_1"), m.orchestratorSessionId());
            assertEquals(e.probe().startedAt(), m.measuredAt());
            assertEquals(ProbeDetails.of(e.server(), e.probe(), CheckDepth.BASIC), m.details(),
                    "the details the monitor writes for a probe");
        }
        assertEquals(Optional.empty(), a.storageProblem());
    }

    @Test
    void aLinkedRunWhosePlanWaitsInTheOutboxRecordsItsSessionAlone() {
        FailoverRig rig = new FailoverRig(S1).started();

        service(rig).assess(linked(false, new RunAsTaskUseCase.Context("session_1", Optional.empty())));

        List<HealthMetric> rows = linkedRows(rig.metrics);
        assertEquals(2, rows.size());
        assertTrue(rows.stream().allMatch(m -> m.orchestratorSessionId().equals(Optional.of("session_1"))
                && m.orchestratorTaskId().isEmpty()));
    }

    @Test
    void aLinkedCheckWhoseRowsCannotBeStoredStillReportsTheHealthAndSaysWhy() {
        FailoverRig rig = new FailoverRig(S1, S2).started();
        InMemoryMetricStore locked = new InMemoryMetricStore().unavailable("cannot write metrics to health.db: "
                + "database is locked");
        AssessHealthService service = new AssessHealthService(new FixedCatalog(S1, S2), rig.fleet, rig.monitor.board(),
                rig.recovery, locked, rig.clock, Runnable::run);

        Assessment a = service.assess(linked(false, TASK_7));

        assertEquals(Optional.of("cannot write metrics to health.db: database is locked"), a.storageProblem());
        assertEquals(List.of(HealthStatus.HEALTHY, HealthStatus.HEALTHY),
                a.servers().stream().map(Entry::status).toList());
        assertEquals(1, locked.appends(), "both servers' rows in one batch");
    }

    @Test
    void aProbeThatThrewMeasuredNothingAndGivesALinkedCheckNoRow() {
        MonitoredServer p1 = aServer().named("p1").ofType("pool").build();
        MonitoredServer p2 = aServer().named("p2").ofType("pool").build();
        TestClock clock = new TestClock(START);
        ProbePort probes = (server, depth) -> {
            if (server.equals(p1)) {
                throw new IllegalStateException("this probe is closed");
            }
            return new ProbeReport(server.id(), clock.instant(), Optional.empty(),
                    new ProbeOutcome.Answered(Duration.ofMillis(3), ProbeMethod.PING, Optional.empty()));
        };
        InMemoryMetricStore store = new InMemoryMetricStore();
        new AssessHealthService(new FixedCatalog(p1, p2), probes, List::of, new Recoveries(clock, p1, p2).recovery,
                store, clock, Runnable::run).assess(linked(true, TASK_7));

        assertEquals(List.of("p2", "p2"), store.rows().stream().map(m -> m.serverInstance().value()).toList());
    }

    @Test
    void anUnlinkedCheckRecordsNoRowAndLinksNoFailure() {
        FailoverRig rig = new FailoverRig(S1).started();
        rig.fleet.failProbes("s1", Optional.of(FailureType.TIMEOUT));
        rig.second(); // the monitor opens the episode's row; recovery's restart works, the probes still time out

        Entry e = entry(service(rig).assess(all(true)), "s1");

        assertTrue(e.recovery().isPresent(), "it made an attempt");
        assertEquals(List.of(), linkedRows(rig.metrics));
        assertEquals(Optional.empty(), rowsOf(rig, "s1").get(0).orchestratorRecoveryTaskId());
    }

    @Test
    void theOpenFailureALinkedChecksAttemptHandlesCarriesItsTaskToItsResolution() {
        FailoverRig rig = new FailoverRig(S1).started();
        rig.fleet.failProbes("s1", Optional.of(FailureType.TIMEOUT));
        rig.second(); // the monitor opens the episode's row; recovery's restart works, the probes still time out
        assertEquals(Optional.empty(), rowsOf(rig, "s1").get(0).orchestratorRecoveryTaskId());

        Entry e = entry(service(rig).assess(linked(true, TASK_7)), "s1");
        assertEquals(new RecoveryAttempt(RecoveryAction.RESTART, true, "up again"), e.recovery().orElseThrow());
        Failure open = rowsOf(rig, "s1").get(0);
        assertEquals(Optional.of("task_7"), open.orchestratorRecoveryTaskId());
        assertEquals(RecoveryAction.RESTART, open.recoveryAction());

        service(rig).assess(all(true)); // an attempt of no linked run leaves the task
        rig.fleet.failProbes("s1", Optional.empty());
        rig.seconds(3);

        List<Failure> rows = rowsOf(rig, "s1");
        assertEquals(1, rows.size());
        assertTrue(rows.get(0).resolved());
        assertEquals(Optional.of("task_7"), rows.get(0).orchestratorRecoveryTaskId(), "the resolved row keeps it");
    }

    @Test
    void aFailureTheLinkedCheckSawFirstGetsItsTaskOnTheRowTheMonitorOpensNext() {
        FailoverRig rig = new FailoverRig(S1).started();
        rig.fleet.failProbes("s1", Optional.of(FailureType.TIMEOUT)); // hung: the restart will not help

        service(rig).assess(linked(true, TASK_7));
        assertEquals(List.of(), rowsOf(rig, "s1"), "no probe of the monitor has failed yet");
        rig.second();

        Failure opened = rowsOf(rig, "s1").get(0);
        assertEquals(RecoveryAction.RESTART, opened.recoveryAction());
        assertEquals(Optional.of("task_7"), opened.orchestratorRecoveryTaskId());
    }

    @Test
    void aRestartOfTheLinkedCheckThatHelpedIsNotPinnedOnALaterUnrelatedFailure() {
        FailoverRig rig = new FailoverRig(S1).started();
        rig.fleet.failProbes("s1", Optional.of(FailureType.TIMEOUT));
        service(rig).assess(linked(true, TASK_7));
        rig.fleet.failProbes("s1", Optional.empty());
        rig.seconds(2); // healthy after the restart: no row, and nothing left to link
        rig.fleet.failProbes("s1", Optional.of(FailureType.AUTHENTICATION));
        rig.seconds(2);

        Failure auth = rowsOf(rig, "s1").get(0);
        assertEquals(FailureType.AUTHENTICATION, auth.type());
        assertEquals(Optional.empty(), auth.orchestratorRecoveryTaskId());
    }

    @Test
    void aLinkedCheckThatLeavesTheServerToRecoverysEpisodeLinksNoFailure() {
        FailoverRig rig = new FailoverRig(S1).started();
        rig.kill("s1"); // recovery's first attempt fails at once; the next waits 10 s
        rig.second();

        Entry e = entry(service(rig).assess(linked(true, TASK_7)), "s1");

        assertTrue(e.underWay().isPresent());
        List<Failure> rows = rowsOf(rig, "s1");
        assertEquals(1, rows.size());
        assertEquals(Optional.empty(), rows.get(0).orchestratorRecoveryTaskId(), "it handled nothing");
        assertEquals(1, linkedRows(rig.metrics).size(), "its probe is still recorded: availability 0");
    }

    /** Steps as a linked run gives them: each with a subtask id of its own; what they were and how they went. */
    static final class RecordingSteps implements RunAsTaskUseCase.Steps {
        final List<String> titles = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<String> summaries = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<Boolean> failed = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public <T> T run(String title, String description, java.util.function.Function<Optional<String>,
                RunAsTaskUseCase.Work<T>> work) {
            titles.add(title);
            RunAsTaskUseCase.Work<T> w = work.apply(Optional.of("task_step" + titles.size()));
            summaries.add(w.summary());
            failed.add(w.failed());
            return w.result();
        }
    }

    @Test
    void eachAttemptOfALinkedCheckIsAStepAndTheFailureItHandlesIsLinkedToTheStepsTask() {
        FailoverRig rig = new FailoverRig(S1, S2).started();
        rig.fleet.failProbes("s1", Optional.of(FailureType.TIMEOUT));
        rig.second(); // the monitor opens the episode's row; the probes keep timing out after the restart
        RecordingSteps steps = new RecordingSteps();

        Entry e = entry(service(rig).assess(linked(true, new RunAsTaskUseCase.Context("session_1",
                Optional.of("task_7"), steps))), "s1");

        assertEquals(new RecoveryAttempt(RecoveryAction.RESTART, true, "up again"), e.recovery().orElseThrow());
        assertEquals(List.of("Recover s1 (restart)"), steps.titles, "s2 is healthy: no step");
        assertEquals(List.of("restart succeeded: up again"), steps.summaries);
        assertEquals(List.of(false), steps.failed);
        assertEquals(Optional.of("task_step1"), rowsOf(rig, "s1").get(0).orchestratorRecoveryTaskId(),
                "the step's subtask, not the run's task");
        assertTrue(linkedRows(rig.metrics).stream().allMatch(m -> m.orchestratorTaskId().equals(Optional.of("task_7"))),
                "the probes are the run's");
    }

    @Test
    void aServerLeftToRecoverysEpisodeIsNoStepOfTheLinkedCheck() {
        FailoverRig rig = new FailoverRig(S1).started();
        rig.kill("s1"); // recovery's first attempt fails at once; the next waits 10 s
        rig.second();
        RecordingSteps steps = new RecordingSteps();

        Entry e = entry(service(rig).assess(linked(true, new RunAsTaskUseCase.Context("session_1",
                Optional.of("task_7"), steps))), "s1");

        assertTrue(e.underWay().isPresent());
        assertEquals(List.of(), steps.titles, "no attempt is made now, so no subtask is planned for one");
    }
}
