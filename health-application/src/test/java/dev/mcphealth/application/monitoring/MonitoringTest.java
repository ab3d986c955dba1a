package dev.mcphealth.application.monitoring;

import dev.mcphealth.application.catalog.LiveServerCatalog;
import dev.mcphealth.application.testkit.FixedCatalog;
import dev.mcphealth.application.testkit.InMemoryFailureStore;
import dev.mcphealth.application.testkit.ScriptedProbe;
import dev.mcphealth.application.testkit.TestServers;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.FlushReport;
import dev.mcphealth.application.port.in.PlanMonitoringUseCase;
import dev.mcphealth.application.port.in.UnknownServerException;
import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.application.testkit.InMemoryMetricStore;
import dev.mcphealth.application.testkit.TestClock;
import dev.mcphealth.domain.model.Alert;
import dev.mcphealth.domain.model.BreakerState;
import dev.mcphealth.domain.model.AlertSeverity;
import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.HealthMetric;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MetricType;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.StatusSnapshot;
import dev.mcphealth.domain.routing.InstanceView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/** The monitor driven round by round with a test clock: hours of monitoring in milliseconds, no sleeping. */
class MonitoringTest {
    private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
    private static final Duration SECOND = Duration.ofSeconds(1);

    /** Everything a monitor talks to, in memory. */
    static final class Rig {
        final TestClock clock = new TestClock(START);
        final ScriptedProbe probe = new ScriptedProbe(clock);
        final InMemoryMetricStore metrics = new InMemoryMetricStore();
        final InMemoryFailureStore failures = new InMemoryFailureStore();
        final Map<String, Alert> alerts = new LinkedHashMap<>();
        final Map<ServerId, StatusSnapshot> statuses = new LinkedHashMap<>();
        final Queue<MonitorEvent> events = new ConcurrentLinkedQueue<>();
        String alertStoreDown;
        final Monitoring service;

        Rig(MonitoringSettings settings, MonitoredServer... servers) {
            this(settings, new FixedCatalog(servers));
        }

        Rig(MonitoringSettings settings, ServerCatalogPort catalog) {
            service = new Monitoring(catalog, probe, metrics, failures, this::saveAlerts,
                    this::saveStatuses, events::add, clock, settings);
        }

        Rig(MonitoredServer... servers) {
            this(MonitoringSettings.defaults(), servers);
        }

        private synchronized void saveAlerts(List<Alert> batch) {
            if (alertStoreDown != null) {
                throw new StorageUnavailableException(alertStoreDown, null);
            }
            batch.forEach(a -> alerts.put(a.id(), a));
        }

        private synchronized void saveStatuses(List<StatusSnapshot> batch) {
            batch.forEach(s -> statuses.put(s.server(), s));
        }

        /** Runs a round every second for {@code seconds} seconds. */
        void runSeconds(int seconds) {
            for (int i = 0; i < seconds; i++) {
                service.schedule().run();
                clock.advance(SECOND);
            }
        }

        List<String> changes(String server) {
            List<String> out = new ArrayList<>();
            for (MonitorEvent e : events) {
                if (e instanceof MonitorEvent.StatusChanged c && c.server().value().equals(server)) {
                    out.add(c.from().map(HealthStatus::code).orElse("-") + ">" + c.to().code());
                }
            }
            return out;
        }

        <T extends MonitorEvent> List<T> events(Class<T> kind) {
            return events.stream().filter(kind::isInstance).map(kind::cast).toList();
        }

        Optional<HealthStatus> status(String server) {
            return service.board().snapshot().stream().filter(s -> s.server().value().equals(server)).findFirst()
                    .flatMap(StatusSnapshot::status);
        }
    }

    private static MonitoredServer everySecond(String name) {
        return aServer().named(name).every(SECOND).build();
    }

    @Test
    void aTimeoutEpisodeGoesCriticalThenOfflineAndRecoversThroughWarning() {
        Rig rig = new Rig(everySecond("mem"));
        rig.runSeconds(5);
        rig.probe.fails("mem", FailureType.TIMEOUT);
        rig.runSeconds(4);
        rig.probe.answers("mem", 10);
        rig.runSeconds(5);

        assertEquals(List.of("->healthy", "healthy>critical", "critical>offline", "offline>warning", "warning>healthy"),
                rig.changes("mem"));
        MonitorEvent.StatusChanged toCritical = rig.events(MonitorEvent.StatusChanged.class).get(1);
        assertEquals(FailureType.TIMEOUT, toCritical.failure().orElseThrow().type());
        assertEquals(START.plusSeconds(5), toCritical.at(), "critical on the first failed probe");

        List<MonitorEvent.AlertRaised> raised = rig.events(MonitorEvent.AlertRaised.class);
        List<MonitorEvent.AlertResolved> resolved = rig.events(MonitorEvent.AlertResolved.class);
        assertEquals(1, raised.size(), "one alert for the episode");
        assertEquals(1, resolved.size());
        assertEquals(raised.get(0).alert().id(), resolved.get(0).alert().id());
        assertEquals(START.plusSeconds(10), resolved.get(0).at(),
                "the first answer counts as warning, the second (healthyAfterSuccesses 2) makes it healthy");

        Alert stored = rig.alerts.get(raised.get(0).alert().id());
        assertEquals(AlertSeverity.CRITICAL, stored.severity());
        assertTrue(stored.resolved());
        assertEquals(1, rig.alerts.size());

        List<Failure> failures = rig.failures.rows();
        assertEquals(1, failures.size(), "one failure row for the episode");
        Failure episode = failures.get(0);
        assertEquals(FailureType.TIMEOUT, episode.type());
        assertEquals(START.plusSeconds(5), episode.occurredAt());
        assertEquals(Optional.of(Duration.ofSeconds(4)), episode.resolutionTime(),
                "down from the first failure (5 s) to the first answer (9 s); the second answer only confirmed it");
        assertEquals(Duration.ofSeconds(4), rig.service.board().snapshot().get(0).uptime().down(),
                "time-weighted: 4 of 14 s down");
        assertEquals(Duration.ofSeconds(14), rig.service.board().snapshot().get(0).uptime().observed());
    }

    @Test
    void theRoutersViewIsTheSameObjectUntilTheStatusChangesThenShowsTheNewOne() {
        Rig rig = new Rig(everySecond("mem"));
        ServerId mem = ServerId.of("mem");
        StatusBoardService board = rig.service.board();
        assertEquals(Optional.empty(), board.view(mem, false, BreakerState.CLOSED).status(), "not probed yet");
        rig.runSeconds(1);
        InstanceView healthy = board.view(mem, false, BreakerState.CLOSED);
        assertEquals(Optional.of(HealthStatus.HEALTHY), healthy.status());
        assertEquals(Optional.of(START), healthy.statusSince());
        rig.runSeconds(3);

        assertSame(healthy, board.view(mem, false, BreakerState.CLOSED),
                "no change of status: the view a call reads is the one made at the change, nothing made per call");
        InstanceView open = board.view(mem, true, BreakerState.OPEN);
        assertEquals(List.of(true, BreakerState.OPEN, Optional.of(HealthStatus.HEALTHY)),
                List.of(open.fallback(), open.breaker(), open.status()));
        assertFalse(open.usable());
        rig.probe.fails("mem", FailureType.TIMEOUT);
        rig.runSeconds(1);
        InstanceView critical = board.view(mem, false, BreakerState.CLOSED);
        assertEquals(Optional.of(HealthStatus.CRITICAL), critical.status());
        assertEquals(Optional.of(START.plusSeconds(4)), critical.statusSince());
        assertFalse(critical.usable());
        assertEquals(Optional.of(HealthStatus.CRITICAL), board.view(mem, true, BreakerState.HALF_OPEN).status());
    }

    @Test
    void anOutageHealedBetweenTwoProbesIsInTheHistoryTheEventsAndTheUptime() {
        Rig rig = new Rig(everySecond("mem"));
        rig.runSeconds(3);
        ServerId mem = ServerId.of("mem");
        rig.clock.advance(Duration.ofMillis(200));
        Instant lost = rig.clock.instant();
        rig.service.episodes().sessionLost(mem, new MonitorEvent.FailureSummary(FailureType.CONNECTION_ERROR,
                "the server exited with code 137"), lost);
        rig.clock.advance(Duration.ofMillis(600));
        rig.service.episodes().reopened(mem, rig.clock.instant()); // recovery restarted it 0.6 s later, before the next probe
        rig.clock.advance(Duration.ofMillis(200));
        rig.runSeconds(3);

        assertEquals(List.of("->healthy", "healthy>offline", "offline>warning", "warning>healthy"), rig.changes("mem"),
                "offline at the moment the session was lost, then back through the hysteresis");
        MonitorEvent.StatusChanged down = rig.events(MonitorEvent.StatusChanged.class).get(1);
        assertEquals(lost, down.at());
        assertEquals(1, rig.events(MonitorEvent.AlertRaised.class).size());
        assertEquals(1, rig.events(MonitorEvent.AlertResolved.class).size());
        Failure episode = rig.failures.rows().get(0);
        assertEquals(lost, episode.occurredAt());
        assertEquals(Optional.of(Duration.ofMillis(600)), episode.resolutionTime(), "to the millisecond");
        StatusSnapshot s = rig.service.board().snapshot().get(0);
        assertEquals(Duration.ofMillis(600), s.uptime().down());
        assertEquals(Duration.ofSeconds(7), s.uptime().observed());
        assertEquals(1.0 - 0.6 / 7, s.sla().orElseThrow(), 1e-9, "time-weighted: the probes alone all answered");
        rig.service.flusher().flush();
        assertTrue(rig.metrics.rows().stream().anyMatch(m -> m.metricType() == MetricType.AVAILABILITY && m.value() == 0.0
                && m.measuredAt().equals(lost)), "the outage is a sample of the availability history");
    }

    @Test
    void anEpisodeAnEarlierRunLeftOpenEndsAtItsLastSightingWhenTheServerAnswersOrGoesOnWhenItFails() {
        Rig rig = new Rig(everySecond("mem"), everySecond("kv"));
        MonitoredServer memServer = everySecond("mem");
        Instant began = START.minus(Duration.ofHours(5));
        Instant lastSeen = began.plusSeconds(40);
        Failure memOpen = Failure.open(memServer, FailureType.TIMEOUT, "monitor", "no answer", began);
        Alert memAlert = Alert.raise(ServerId.of("mem"), AlertSeverity.CRITICAL, "mem is critical", began);
        Failure kvOpen = Failure.open(everySecond("kv"), FailureType.CONNECTION_ERROR, "monitor", "refused", began);
        assertTrue(rig.service.episodes().carryOver(ServerId.of("mem"), Optional.of(memOpen), Optional.of(memAlert), lastSeen));
        assertTrue(rig.service.episodes().carryOver(ServerId.of("kv"), Optional.of(kvOpen), Optional.empty(), lastSeen));
        rig.probe.fails("kv", FailureType.CONNECTION_ERROR);
        rig.runSeconds(2);
        rig.service.flusher().flush();

        Failure mem = rig.failures.rows().stream().filter(f -> f.serverInstance().value().equals("mem")).findFirst()
                .orElseThrow();
        assertEquals(Optional.of(Duration.ofSeconds(40)), mem.resolutionTime(),
                "ended at the last sighting of the run that left it open, not 5 h later");
        assertTrue(mem.errorDetails().startsWith("[left open by a run that stopped"), mem.errorDetails());
        assertEquals(Optional.of(lastSeen), rig.alerts.get(memAlert.id()).resolvedAt());
        List<Failure> kv = rig.failures.rows().stream().filter(f -> f.serverInstance().value().equals("kv")).toList();
        assertTrue(kv.isEmpty() || kv.stream().allMatch(f -> f.occurredAt().equals(began) && !f.resolved()),
                "still failing: the same episode goes on, no second row");
        assertFalse(rig.service.episodes().carryOver(ServerId.of("kv"), Optional.of(kvOpen), Optional.empty(), lastSeen),
                "nothing is carried into a server this run has observed");
    }

    @Test
    void aLateAnswerOfAProbeTheWatchdogGaveUpOnIsNotTakenIn() {
        Rig rig = new Rig(everySecond("mem"));
        rig.runSeconds(3);
        rig.probe.fails("mem", FailureType.TIMEOUT);
        List<MonitorEvent> late = rig.service.intake().probe(new dev.mcphealth.application.port.in.RunScheduledProbeUseCase
                .Command(ServerId.of("mem"), rig.clock.instant(), 0, () -> false));
        assertEquals(List.of(), late);
        assertEquals(Optional.of(HealthStatus.HEALTHY), rig.status("mem"), "the stale failure changed nothing");
        rig.service.intake().probe(new dev.mcphealth.application.port.in.RunScheduledProbeUseCase.Command(ServerId.of("mem"),
                rig.clock.instant(), 0, () -> true));
        assertEquals(List.of("->healthy", "healthy>critical"), rig.changes("mem"), "a current one does");
    }

    @Test
    void flappingNeverRaisesASecondAlertUntilTheServerIsHealthyAgain() {
        Rig rig = new Rig(everySecond("flaky"));
        rig.runSeconds(3);
        for (int i = 0; i < 20; i++) {
            rig.probe.fails("flaky", FailureType.SERVER_ERROR);
            rig.runSeconds(1);
            rig.probe.answers("flaky", 10);
            rig.runSeconds(1);
        }
        assertEquals(1, rig.events(MonitorEvent.AlertRaised.class).size());
        assertEquals(0, rig.events(MonitorEvent.AlertResolved.class).size());
        assertEquals(Optional.of(HealthStatus.WARNING), rig.status("flaky"));
        assertEquals(1, rig.failures.rows().size(), "still one open episode");
        rig.runSeconds(3);
        assertEquals(1, rig.events(MonitorEvent.AlertResolved.class).size());
        assertEquals(Optional.of(HealthStatus.HEALTHY), rig.status("flaky"));
        rig.probe.fails("flaky", FailureType.SERVER_ERROR);
        rig.runSeconds(1);
        assertEquals(2, rig.events(MonitorEvent.AlertRaised.class).size(), "a new episode, a new alert");
    }

    @Test
    void oneSlowProbeIsNotAnIncidentTwoAreAndTheAlertEscalates() {
        Rig rig = new Rig(everySecond("slow"));
        rig.runSeconds(3);
        rig.probe.answers("slow", 800);
        rig.runSeconds(1);
        rig.probe.answers("slow", 10);
        rig.runSeconds(2);
        assertEquals(List.of("->healthy"), rig.changes("slow"), "one slow answer changes nothing");

        rig.probe.answers("slow", 800);
        rig.runSeconds(2);
        rig.probe.answers("slow", 2500);
        rig.runSeconds(1);
        assertEquals(List.of("->healthy", "healthy>warning", "warning>critical"), rig.changes("slow"));
        List<MonitorEvent.AlertRaised> raised = rig.events(MonitorEvent.AlertRaised.class);
        assertEquals(1, raised.size());
        assertEquals(AlertSeverity.WARNING, raised.get(0).alert().severity());
        rig.service.flusher().flush();
        assertEquals(AlertSeverity.CRITICAL, rig.alerts.get(raised.get(0).alert().id()).severity(),
                "the stored alert escalates with its episode");
    }

    @Test
    void eachServerIsProbedOnItsOwnInterval() {
        MonitoredServer fast = everySecond("fast");
        MonitoredServer slow = aServer().named("slow").every(Duration.ofSeconds(60)).build();
        Rig rig = new Rig(fast, slow);
        rig.runSeconds(3600);
        assertEquals(3600, rig.probe.probes("fast"));
        assertEquals(60, rig.probe.probes("slow"));
        assertEquals(3600 * 2 + 60 * 2, rig.metrics.rows().stream()
                .filter(m -> !m.serverInstance().value().equals("mcp-health"))
                .filter(m -> m.metricType() == MetricType.AVAILABILITY || m.metricType() == MetricType.RESPONSE_TIME)
                .count());
    }

    @Test
    void aLateRoundCountsTheProbesItMissed() {
        Rig rig = new Rig(everySecond("a"));
        rig.runSeconds(2);
        rig.clock.advance(Duration.ofSeconds(5));
        rig.service.schedule().run();
        StatusSnapshot self = rig.service.board().snapshot().get(1);
        assertEquals(ServerId.of("mcp-health"), self.server());
        assertEquals("5", self.details().get("missedProbes"));
        assertEquals(Optional.of(HealthStatus.HEALTHY), self.status(), "a slow server's missed probes are not the"
                + " monitor's fault");
        assertEquals(5, self.window(Duration.ofMinutes(1)).orElseThrow().errors(), "missed probes are its errors");
    }

    @Test
    void theMonitorsRowSumsUpEveryBreakerAndShowsItsOwn() {
        Rig rig = new Rig(everySecond("a"), everySecond("b"), everySecond("c"));
        java.util.concurrent.atomic.AtomicReference<dev.mcphealth.domain.model.BreakerState> own =
                new java.util.concurrent.atomic.AtomicReference<>(dev.mcphealth.domain.model.BreakerState.CLOSED);
        rig.service.board().watchBreaker("orchestratorBreaker", own::get);
        rig.runSeconds(2);
        Map<String, String> before = rig.service.board().snapshot().get(3).details();
        assertEquals("3", before.get("breakersClosed"));
        assertEquals("0", before.get("breakersOpen"));
        assertFalse(before.containsKey("breakersNotClosed"));
        assertEquals("closed", before.get("orchestratorBreaker"));

        rig.service.board().breakerChanged(new MonitorEvent.BreakerChanged(ServerId.of("b"),
                dev.mcphealth.domain.model.BreakerState.CLOSED, dev.mcphealth.domain.model.BreakerState.OPEN,
                "5 failures in a row", rig.clock.instant()));
        rig.service.board().breakerChanged(new MonitorEvent.BreakerChanged(ServerId.of("c"),
                dev.mcphealth.domain.model.BreakerState.OPEN, dev.mcphealth.domain.model.BreakerState.HALF_OPEN,
                "open period over", rig.clock.instant()));
        own.set(dev.mcphealth.domain.model.BreakerState.OPEN);
        StatusSnapshot self = rig.service.board().snapshot().get(3);
        assertEquals(ServerId.of("mcp-health"), self.server());
        assertEquals("1", self.details().get("breakersClosed"));
        assertEquals("1", self.details().get("breakersOpen"));
        assertEquals("1", self.details().get("breakersHalfOpen"));
        assertEquals("b=open,c=half_open", self.details().get("breakersNotClosed"));
        assertEquals("open", self.details().get("orchestratorBreaker"));
        assertEquals(Optional.of(HealthStatus.HEALTHY), self.status(), "open breakers are the servers' trouble");

        rig.runSeconds(60);
        assertTrue(rig.metrics.rows().stream().filter(m -> m.serverInstance().value().equals("mcp-health"))
                .anyMatch(m -> "b=open,c=half_open".equals(m.details().get("breakersNotClosed"))),
                "the summary is in the monitor's stored rows");
    }

    @Test
    void driftAtComprehensiveDepthNamesWhatChanged() {
        Rig rig = new Rig(MonitoringSettings.defaults().withDepth(CheckDepth.COMPREHENSIVE), everySecond("tools"));
        rig.probe.lists("tools", Map.of("echo", "e1", "add", "a1", "gone", "g1"));
        rig.runSeconds(3);
        assertTrue(rig.events(MonitorEvent.ToolsDrifted.class).isEmpty());
        rig.probe.lists("tools", Map.of("echo", "e2", "add", "a1", "new", "n1"));
        rig.runSeconds(3);
        List<MonitorEvent.ToolsDrifted> drifts = rig.events(MonitorEvent.ToolsDrifted.class);
        assertEquals(1, drifts.size(), "one drift per change, not per probe");
        assertEquals(List.of("new"), drifts.get(0).drift().added());
        assertEquals(List.of("gone"), drifts.get(0).drift().removed());
        assertEquals(List.of("echo"), drifts.get(0).drift().changed());
    }

    @Test
    void anUnavailableStoreLosesNoRowAndTheBacklogIsWrittenWhenItReturns() {
        Rig rig = new Rig(everySecond("a"), everySecond("b"));
        rig.runSeconds(10);
        rig.metrics.unavailable("database is locked");
        rig.failures.unavailable("database is locked");
        rig.alertStoreDown = "database is locked";
        rig.probe.fails("b", FailureType.CONNECTION_ERROR);
        rig.runSeconds(30);
        FlushReport during = rig.service.flusher().flush();
        assertEquals(Optional.of("database is locked"), during.storageProblem());
        assertTrue(during.pending() >= 90, "pending " + during.pending());
        StatusSnapshot self = rig.service.board().snapshot().get(2);
        assertEquals(Optional.of(HealthStatus.WARNING), self.status());
        assertEquals("database is locked", self.details().get("storageProblem"));

        rig.metrics.unavailable(null);
        rig.failures.unavailable(null);
        rig.alertStoreDown = null;
        FlushReport after = rig.service.flusher().flush();
        assertEquals(Optional.empty(), after.storageProblem());
        assertEquals(0, after.pending());
        assertEquals(0, after.dropped());
        long availabilityRows = rig.metrics.rows().stream()
                .filter(m -> m.metricType() == MetricType.AVAILABILITY).count();
        assertEquals(rig.probe.probes("a") + rig.probe.probes("b"), availabilityRows, "a row for every probe");
        assertEquals(1, rig.failures.rows().size());
        assertEquals(1, rig.alerts.size());
    }

    @Test
    void aStoreMadeAnewGetsTheOpenEpisodeItsAlertAndTheStatusBoardAtTheNextFlush() {
        Rig rig = new Rig(everySecond("a"), everySecond("b"));
        rig.runSeconds(5);
        rig.probe.fails("a", FailureType.CONNECTION_ERROR);
        rig.runSeconds(3);
        Failure open = rig.failures.rows().get(0);
        Alert alert = rig.alerts.values().iterator().next();
        assertTrue(open.resolutionTime().isEmpty() && !alert.resolved());

        // the database file was deleted and made again: the stores are empty
        rig.failures.clear();
        rig.alerts.clear();
        rig.statuses.clear();
        rig.service.flusher().rewriteOpenRecords();
        rig.service.flusher().flush();

        assertEquals(List.of(open), rig.failures.rows(), "the open episode, as it stands");
        assertEquals(Map.of(alert.id(), alert), rig.alerts, "the open alert");
        assertEquals(List.of("a", "b", "mcp-health"), rig.statuses.keySet().stream().map(ServerId::value).toList(),
                "the status board at once, not up to 5 s later");

        rig.probe.answers("a", 10);
        rig.runSeconds(3);
        assertEquals(1, rig.failures.rows().size(), "the episode ends on the row written again");
        assertEquals(open.occurredAt(), rig.failures.rows().get(0).occurredAt());
        assertTrue(rig.failures.rows().get(0).resolutionTime().isPresent());
        assertTrue(rig.alerts.get(alert.id()).resolved());
    }

    @Test
    void pastItsBoundTheBufferDropsTheOldestAndSaysHowMany() {
        Rig rig = new Rig(MonitoringSettings.defaults().withBufferCapacity(50), everySecond("a"));
        rig.metrics.unavailable("disk full");
        rig.runSeconds(40);
        FlushReport report = rig.service.flusher().flush();
        assertEquals(50, report.pending());
        assertEquals(80 - 50, report.dropped(), "two rows a probe, 40 probes");
        StatusSnapshot self = rig.service.board().snapshot().get(1);
        assertEquals(Optional.of(HealthStatus.CRITICAL), self.status(), "dropping rows is critical");
        rig.metrics.unavailable(null);
        rig.service.flusher().flush();
        List<HealthMetric> rows = rig.metrics.rows();
        assertEquals(50, rows.size());
        assertEquals(START.plusSeconds(15), rows.get(0).measuredAt(), "the newest rows were kept");
    }

    @Test
    void realTrafficCountsInThroughputAndItsErrorRateDegradesTheStatus() {
        Rig rig = new Rig(everySecond("api"));
        rig.runSeconds(3);
        for (int i = 0; i < 40; i++) {
            rig.service.intake().record(new dev.mcphealth.application.port.in.RecordCallUseCase.Call(ServerId.of("api"),
                    Duration.ofMillis(20), i % 2 == 0));
        }
        rig.runSeconds(2);
        assertEquals(Optional.of(HealthStatus.CRITICAL), rig.status("api"), "half of 40 real calls failed");
        StatusSnapshot api = rig.service.board().snapshot().get(0);
        assertEquals(45, api.window(Duration.ofMinutes(1)).orElseThrow().calls());
        assertFalse(rig.changes("api").isEmpty());
    }

    @Test
    void aLatencyRampIsPredictedBeforeItTurnsCritical() {
        Rig rig = new Rig(everySecond("ramp"));
        rig.runSeconds(120);
        int rampSeconds = 20 * 60;
        for (int t = 0; t < rampSeconds + 60; t++) {
            // 100 ms rising to 2,500 ms over 20 minutes, with a deterministic wobble of ±5 %
            double ms = 100 + 2400.0 * t / rampSeconds;
            rig.probe.answers("ramp", Math.round(ms * (1 + 0.05 * Math.sin(t * 1.7))));
            rig.runSeconds(1);
        }
        List<MonitorEvent.PredictionRaised> predictions = rig.events(MonitorEvent.PredictionRaised.class);
        assertEquals(1, predictions.size(), "one prediction for one approach: " + predictions);
        MonitorEvent.PredictionRaised p = predictions.get(0);
        assertEquals(MetricType.RESPONSE_TIME, p.metric());
        assertEquals(2000.0, p.threshold());
        Instant critical = rig.events(MonitorEvent.StatusChanged.class).stream()
                .filter(c -> c.to() == HealthStatus.CRITICAL).findFirst().orElseThrow().at();
        assertTrue(Duration.between(p.at(), critical).compareTo(Duration.ofSeconds(30)) >= 0,
                "predicted at " + p.at() + ", critical at " + critical);
    }

    @Test
    void aDayOfOneSecondProbesOfThreeServersSimulatesInSeconds() {
        MonitoredServer[] servers = new MonitoredServer[3];
        for (int i = 0; i < servers.length; i++) {
            servers[i] = everySecond("s" + i);
        }
        Rig rig = new Rig(servers);
        long started = System.nanoTime();
        rig.runSeconds(24 * 3600);
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertEquals(24 * 3600, rig.probe.probes("s2"));
        assertTrue(rig.statuses.containsKey(ServerId.of("mcp-health")));
        assertTrue(tookMs < 60_000, "a simulated day took " + tookMs + " ms");
    }

    // ---- settings changed while it runs ---------------------------------------------------------------------

    @Test
    void aRescheduledServerIsProbedAtItsNewIntervalFromTheProbeAfterTheOneDueAndThePlanSaysSo() {
        Duration tenSeconds = Duration.ofSeconds(10);
        Rig rig = new Rig(aServer().named("mem").every(tenSeconds).build(),
                aServer().named("db").every(tenSeconds).build());
        rig.runSeconds(25);
        assertEquals(3, rig.probe.probes("mem"), "at 0, 10 and 20 s");

        assertEquals(tenSeconds, rig.service.schedule().reschedule(ServerId.of("mem"), Duration.ofSeconds(2)));

        assertEquals(List.of(new PlanMonitoringUseCase.Entry(ServerId.of("mem"), Duration.ofSeconds(2)),
                new PlanMonitoringUseCase.Entry(ServerId.of("db"), tenSeconds)), rig.service.schedule().plan());
        rig.runSeconds(11);
        assertEquals(6, rig.probe.probes("mem"), "the one due at 30 s, then 32 and 34 s");
        assertEquals(4, rig.probe.probes("db"), "db keeps its 10 s");
        StatusSnapshot mem = rig.service.board().snapshot().stream().filter(x -> x.server().value().equals("mem"))
                .findFirst().orElseThrow();
        assertEquals("2", mem.details().get("intervalSeconds"));
    }

    @Test
    void anIntervalOutsideTheConfigurationsRangeOrAnUnknownServerIsRefused() {
        Rig rig = new Rig(everySecond("mem"));

        assertThrows(IllegalArgumentException.class,
                () -> rig.service.schedule().reschedule(ServerId.of("mem"), Duration.ofMillis(500)));
        assertThrows(IllegalArgumentException.class,
                () -> rig.service.schedule().reschedule(ServerId.of("mem"), Duration.ofDays(2)));
        assertThrows(UnknownServerException.class,
                () -> rig.service.schedule().reschedule(ServerId.of("nope"), Duration.ofSeconds(5)));
        assertEquals(SECOND, rig.service.schedule().plan().get(0).interval());
    }

    @Test
    void eachProbeUsesTheTimeoutTheCatalogHoldsAtThatMoment() {
        MonitoredServer mem = everySecond("mem");
        LiveServerCatalog catalog = new LiveServerCatalog(new FixedCatalog(mem));
        Rig rig = new Rig(MonitoringSettings.defaults(), catalog);
        rig.runSeconds(1);
        assertEquals(Duration.ofSeconds(10), rig.probe.lastTimeout("mem"));

        catalog.replace(mem.withTimeout(Duration.ofSeconds(2)));
        rig.runSeconds(1);

        assertEquals(Duration.ofSeconds(2), rig.probe.lastTimeout("mem"));
        assertEquals(2, rig.probe.probes("mem"));
    }
}
