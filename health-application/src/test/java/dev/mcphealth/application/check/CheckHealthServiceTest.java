package dev.mcphealth.application.check;

import dev.mcphealth.application.testkit.ScriptedProbe;
import dev.mcphealth.application.testkit.FixedCatalog;
import dev.mcphealth.application.testkit.InMemoryFailureStore;
import dev.mcphealth.application.testkit.TestServers;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.CheckHealthUseCase.Query;
import dev.mcphealth.application.port.in.HealthReport;
import dev.mcphealth.application.port.in.ServerHealth;
import dev.mcphealth.application.port.in.UnknownServerException;
import dev.mcphealth.application.port.out.ProbePort;
import dev.mcphealth.application.testkit.InMemoryMetricStore;
import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.HealthMetric;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MetricType;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ProbeMethod;
import dev.mcphealth.domain.model.ProbeOutcome;
import dev.mcphealth.domain.model.ProbeReport;
import dev.mcphealth.domain.model.RecoveryAction;
import dev.mcphealth.domain.model.ServerId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CheckHealthServiceTest {
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    private static final Instant PROBE_STARTED = NOW.plusMillis(3);
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final MonitoredServer alpha = aServer().named("alpha").ofType("search").build();
    private final MonitoredServer beta = aServer().named("beta").ofType("search").build();
    private final MonitoredServer gamma = aServer().named("gamma").ofType("files").build();
    private final ScriptedProbe probe = new ScriptedProbe(Clock.fixed(PROBE_STARTED, ZoneOffset.UTC));
    private final InMemoryMetricStore metrics = new InMemoryMetricStore();
    private final InMemoryFailureStore failures = new InMemoryFailureStore();

    private CheckHealthService service(MonitoredServer... servers) {
        return service(probe, servers);
    }

    private CheckHealthService service(ProbePort probes, MonitoredServer... servers) {
        return new CheckHealthService(new FixedCatalog(servers), probes, metrics, failures, CLOCK, Runnable::run);
    }

    private static List<String> ids(HealthReport report) {
        return report.servers().stream().map(s -> s.server().id().value()).toList();
    }

    private static ServerHealth health(HealthReport report, String id) {
        return report.servers().stream().filter(s -> s.server().id().value().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void anEmptyQueryChecksEveryConfiguredServer() {
        HealthReport report = service(gamma, alpha, beta).check(Query.all(CheckDepth.BASIC));

        assertEquals(List.of("alpha", "beta", "gamma"), ids(report));
        assertEquals(Set.of(alpha.id(), beta.id(), gamma.id()), Set.copyOf(probe.probed()));
        assertEquals(3, probe.probed().size());
        assertEquals(NOW, report.checkedAt());
    }

    @Test
    void theDepthIsPassedToEveryProbe() {
        service(alpha, beta).check(Query.all(CheckDepth.COMPREHENSIVE));
        assertEquals(List.of(CheckDepth.COMPREHENSIVE, CheckDepth.COMPREHENSIVE), probe.depths());
    }

    @Test
    void aQueryNamingServersChecksOnlyThose() {
        HealthReport report = service(alpha, beta, gamma)
                .check(new Query(Set.of(gamma.id(), alpha.id()), CheckDepth.BASIC));

        assertEquals(List.of("alpha", "gamma"), ids(report));
        assertEquals(Set.of(alpha.id(), gamma.id()), Set.copyOf(probe.probed()));
        assertTrue(metrics.of("beta").isEmpty());
    }

    @Test
    void anUnknownServerIsNamedWithTheConfiguredOnesAndNothingIsProbed() {
        UnknownServerException e = assertThrows(UnknownServerException.class, () -> service(beta, alpha)
                .check(new Query(Set.of(alpha.id(), ServerId.of("zeta")), CheckDepth.BASIC)));

        assertEquals("unknown server zeta; configured: alpha, beta", e.getMessage());
        assertTrue(probe.probed().isEmpty());
        assertEquals(0, metrics.appends());
    }

    @Test
    void severalUnknownServersAreAllNamed() {
        UnknownServerException e = assertThrows(UnknownServerException.class, () -> service(alpha)
                .check(new Query(Set.of(ServerId.of("zeta"), ServerId.of("eta")), CheckDepth.BASIC)));
        assertEquals("unknown servers eta, zeta; configured: alpha", e.getMessage());
    }

    @Test
    void anUnknownServerWithNoneConfiguredSaysNone() {
        UnknownServerException e = assertThrows(UnknownServerException.class,
                () -> service().check(new Query(Set.of(ServerId.of("x")), CheckDepth.BASIC)));
        assertEquals("unknown server x; configured: none", e.getMessage());
    }

    @Test
    void anAnsweredServerGetsAvailabilityOneAndItsResponseTimeWithTheClassifiedStatus() {
        probe.answers("alpha", Duration.ofMillis(120)).answers("beta", Duration.ofMillis(750));
        HealthReport report = service(alpha, beta).check(Query.all(CheckDepth.BASIC));

        HealthMetric alphaUp = metrics.find("alpha", MetricType.AVAILABILITY).orElseThrow();
        assertEquals(1.0, alphaUp.value());
        assertEquals(HealthStatus.HEALTHY, alphaUp.status());
        assertEquals(PROBE_STARTED, alphaUp.measuredAt());
        assertEquals(alpha.type(), alphaUp.serverType());
        HealthMetric alphaTime = metrics.find("alpha", MetricType.RESPONSE_TIME).orElseThrow();
        assertEquals(120.0, alphaTime.value());
        assertEquals(HealthStatus.HEALTHY, alphaTime.status());

        assertEquals(HealthStatus.WARNING, metrics.find("beta", MetricType.AVAILABILITY).orElseThrow().status());
        HealthMetric betaTime = metrics.find("beta", MetricType.RESPONSE_TIME).orElseThrow();
        assertEquals(750.0, betaTime.value());
        assertEquals(HealthStatus.WARNING, betaTime.status());
        assertEquals(HealthStatus.WARNING, health(report, "beta").status());

        assertEquals(4, metrics.rows().size());
        assertEquals(1, metrics.appends(), "all metrics of one check go in one batch");
    }

    @Test
    void responseTimeKeepsSubMillisecondPrecision() {
        probe.answers("alpha", Duration.ofNanos(1_234_567));
        service(alpha).check(Query.all(CheckDepth.BASIC));
        assertEquals(1.234567, metrics.find("alpha", MetricType.RESPONSE_TIME).orElseThrow().value(), 1e-9);
    }

    @Test
    void aFailedServerGetsAvailabilityZeroAndNoResponseTime() {
        probe.fails("alpha", FailureType.CONNECTION_ERROR, "connection refused during initialize");
        HealthReport report = service(alpha).check(Query.all(CheckDepth.BASIC));

        List<HealthMetric> rows = metrics.of("alpha");
        assertEquals(1, rows.size());
        assertEquals(MetricType.AVAILABILITY, rows.get(0).metricType());
        assertEquals(0.0, rows.get(0).value());
        assertEquals(HealthStatus.OFFLINE, rows.get(0).status());
        assertEquals(HealthStatus.OFFLINE, health(report, "alpha").status());
    }

    @Test
    void metricDetailsDescribeTheProbeWithoutSecrets() {
        probe.answers("alpha", Duration.ofMillis(5)).fails("beta", FailureType.TIMEOUT, "no answer");
        service(alpha, beta).check(Query.all(CheckDepth.BASIC));

        var up = metrics.find("alpha", MetricType.AVAILABILITY).orElseThrow().details();
        assertEquals("stdio", up.get("transport"));
        assertEquals("basic", up.get("depth"));
        assertEquals("ping", up.get("probe"));
        assertEquals("30.000", up.get("connectMs"), "the scripted handshake's " + ScriptedProbe.CONNECT_TIME);
        var down = metrics.find("beta", MetricType.AVAILABILITY).orElseThrow().details();
        assertEquals("timeout", down.get("failureType"));
        assertEquals("5.000", down.get("elapsedMs"), "the scripted failure's time");
    }

    @Test
    void eachFailedProbeBecomesOneOpenFailureWithItsTypeAndMessage() {
        probe.fails("alpha", FailureType.TIMEOUT, "no answer to ping within 10000 ms")
                .fails("gamma", FailureType.AUTHENTICATION, "HTTP 401 (credentials refused) on initialize");
        service(alpha, beta, gamma).check(Query.all(CheckDepth.COMPREHENSIVE));

        assertEquals(1, failures.calls(), "all failures of one check go in one batch");
        List<Failure> rows = failures.rows();
        assertEquals(2, rows.size());
        Failure a = rows.stream().filter(f -> f.serverInstance().equals(alpha.id())).findFirst().orElseThrow();
        assertEquals(FailureType.TIMEOUT, a.type());
        assertEquals("no answer to ping within 10000 ms", a.errorDetails());
        assertEquals(alpha.type(), a.serverType());
        assertEquals(PROBE_STARTED, a.occurredAt());
        assertEquals(RecoveryAction.NONE, a.recoveryAction());
        assertFalse(a.resolved());
        assertTrue(a.taskContext().contains("comprehensive"), a.taskContext());
        assertTrue(a.taskContext().contains("alpha"), a.taskContext());
        Failure g = rows.stream().filter(f -> f.serverInstance().equals(gamma.id())).findFirst().orElseThrow();
        assertEquals(FailureType.AUTHENTICATION, g.type());
        assertEquals("HTTP 401 (credentials refused) on initialize", g.errorDetails());
    }

    @Test
    void noFailuresAreRecordedWhenAllAnswer() {
        HealthReport report = service(alpha, beta).check(Query.all(CheckDepth.BASIC));
        assertEquals(0, failures.calls());
        assertEquals(Optional.empty(), report.storageProblem());
    }

    @Test
    void anUnavailableMetricStoreIsReportedAndTheHealthIsStillReturned() {
        metrics.unavailable("database /var/health.db is locked");
        probe.fails("beta", FailureType.SERVER_ERROR, "HTTP 500 (server error) on ping");

        HealthReport report = service(alpha, beta).check(Query.all(CheckDepth.BASIC));

        assertEquals(Optional.of("database /var/health.db is locked"), report.storageProblem());
        assertEquals(List.of("alpha", "beta"), ids(report));
        assertEquals(HealthStatus.CRITICAL, report.overall());
    }

    @Test
    void anUnavailableFailureStoreIsReportedToo() {
        failures.unavailable("database /var/health.db is read-only");
        probe.fails("alpha", FailureType.TIMEOUT, "no answer");

        HealthReport report = service(alpha).check(Query.all(CheckDepth.BASIC));

        assertEquals(Optional.of("database /var/health.db is read-only"), report.storageProblem());
        assertEquals(HealthStatus.CRITICAL, health(report, "alpha").status());
    }

    @Test
    void overallIsTheWorstStatus() {
        probe.answers("alpha", Duration.ofMillis(1))
                .answers("beta", Duration.ofMillis(600))
                .fails("gamma", FailureType.CONNECTION_ERROR, "connection refused");
        HealthReport report = service(alpha, beta, gamma).check(Query.all(CheckDepth.BASIC));

        assertEquals(HealthStatus.HEALTHY, health(report, "alpha").status());
        assertEquals(HealthStatus.WARNING, health(report, "beta").status());
        assertEquals(HealthStatus.OFFLINE, health(report, "gamma").status());
        assertEquals(HealthStatus.OFFLINE, report.overall());
    }

    @Test
    void overallOfNoServersIsHealthy() {
        HealthReport report = service().check(Query.all(CheckDepth.BASIC));
        assertTrue(report.servers().isEmpty());
        assertEquals(HealthStatus.HEALTHY, report.overall());
    }

    /**
     * Every probe waits until all have started; run one after another, the first would wait in vain. The wait is
     * bounded, so a service that probes serially fails this test instead of hanging it.
     */
    @Test
    void probesRunConcurrentlyOnAMultiThreadExecutor() throws InterruptedException {
        int n = 4;
        CountDownLatch allStarted = new CountDownLatch(n);
        ProbePort waitingForTheOthers = (server, depth) -> {
            allStarted.countDown();
            boolean together;
            try {
                together = allStarted.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                together = false;
            }
            ProbeOutcome outcome = together
                    ? new ProbeOutcome.Answered(Duration.ofMillis(1), ProbeMethod.PING, Optional.empty())
                    : new ProbeOutcome.Failed(FailureType.TIMEOUT, "probed alone", Duration.ofSeconds(5));
            return new ProbeReport(server.id(), PROBE_STARTED, Optional.empty(), outcome);
        };
        MonitoredServer[] servers = new MonitoredServer[n];
        for (int i = 0; i < n; i++) {
            servers[i] = aServer().named("s" + i).build();
        }
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            HealthReport report = new CheckHealthService(new FixedCatalog(servers), waitingForTheOthers, metrics,
                    failures, CLOCK, pool).check(Query.all(CheckDepth.BASIC));

            assertEquals(n, report.servers().size());
            for (ServerHealth s : report.servers()) {
                assertTrue(s.probe().outcome() instanceof ProbeOutcome.Answered,
                        s.server().id() + " was probed without the others running: " + s.probe().outcome());
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }
}
