package dev.mcphealth.infrastructure.persistence;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.model.Alert;
import dev.mcphealth.domain.model.AlertSeverity;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.HealthMetric;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.history.HistoryBucket;
import dev.mcphealth.domain.history.HistoryReport;
import dev.mcphealth.domain.model.MetricType;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.RecoveryAction;
import dev.mcphealth.domain.model.ServerId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * History on known rows: bucket counts and nearest-rank percentiles worked out by hand, alerts and failures by period.
 */
abstract class HistoryStoreContract {
    private static final MonitoredServer S1 = aServer().named("s1").ofType("everything").build();
    private static final MonitoredServer S2 = aServer().named("s2").ofType("everything").build();
    private static final Instant DAY = Instant.parse("2026-11-23T00:00:00Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration HOUR = Duration.ofHours(1);

    /** The database under test: a fresh one for each test. */
    protected abstract Database db();
    private final List<HealthMetric> rows = new ArrayList<>();


    @Test
    void rolledUpHoursThenMinutesWithHandComputedPercentiles() {
        // 08:00-09:00, rolled up and its raw rows deleted: 100 probes every 30 s; every 10th failed (critical), the
        // others answered in i+1 ms. The 90 latencies are 1-9, 11-19, ..., 91-99: nearest rank p50 = 45th = 49,
        // p95 = 86th = 95, p99 = 90th = 99.
        for (int i = 0; i < 100; i++) {
            Instant at = at("08:00").plusSeconds(30L * i);
            if (i % 10 == 9) {
                probe(S1, at, HealthStatus.CRITICAL, Optional.empty());
            } else {
                probe(S1, at, i == 0 ? HealthStatus.WARNING : HealthStatus.HEALTHY, Optional.of(i + 1.0));
            }
        }
        // 09:10: rolled up too, but its raw rows are kept, so they are shown, not the roll-up
        probe(S1, at("09:10"), HealthStatus.HEALTHY, Optional.of(7.0));
        // 10:00: 4 probes, one failed; latencies 12, 5, 30 -> p50 = 2nd = 12, p95 = p99 = 3rd = 30
        probe(S1, at("10:00:05"), HealthStatus.HEALTHY, Optional.of(12.0));
        probe(S1, at("10:00:15"), HealthStatus.HEALTHY, Optional.of(5.0));
        probe(S1, at("10:00:25"), HealthStatus.CRITICAL, Optional.empty());
        probe(S1, at("10:00:35"), HealthStatus.HEALTHY, Optional.of(30.0));
        // not probes: no bucket of their own, and their status counts for nothing
        metric(S1, MetricType.ERROR_RATE, 1.0, HealthStatus.OFFLINE, at("10:00:40"));
        metric(S1, MetricType.THROUGHPUT, 3.0, HealthStatus.OFFLINE, at("10:02:00"));
        // 10:01: 20 probes answered in 20, 19, ..., 1 ms, one of them slow -> p50 = 10, p95 = 19, p99 = 20
        for (int k = 0; k < 20; k++) {
            probe(S1, at("10:01").plusMillis(2_500L * k), k == 7 ? HealthStatus.WARNING : HealthStatus.HEALTHY,
                    Optional.of(20.0 - k));
        }
        // 10:03: one failed probe, the last millisecond of the minute
        probe(S1, at("10:03:59.999"), HealthStatus.OFFLINE, Optional.empty());
        // outside: at the end of the period (excluded), and another server
        probe(S1, at("10:05"), HealthStatus.OFFLINE, Optional.empty());
        probe(S2, at("10:00:10"), HealthStatus.OFFLINE, Optional.empty());
        new JdbcMetricStore(db()).append(rows);
        new JdbcRetention(db()).prune(at("10:00"), at("09:00"), Instant.EPOCH);

        HistoryReport report = new JdbcHistory(db()).history(S1.id(), at("08:30"), at("10:05"));

        assertEquals(List.of(
                new HistoryBucket(at("08:00"), HOUR, 100, 90, ms(49), ms(95), ms(99), HealthStatus.CRITICAL),
                new HistoryBucket(at("09:10"), MINUTE, 1, 1, ms(7), ms(7), ms(7), HealthStatus.HEALTHY),
                new HistoryBucket(at("10:00"), MINUTE, 4, 3, ms(12), ms(30), ms(30), HealthStatus.CRITICAL),
                new HistoryBucket(at("10:01"), MINUTE, 20, 20, ms(10), ms(19), ms(20), HealthStatus.WARNING),
                new HistoryBucket(at("10:03"), MINUTE, 1, 0, Optional.empty(), Optional.empty(), Optional.empty(),
                        HealthStatus.OFFLINE)),
                report.buckets());
        assertEquals(S1.id(), report.server());
        assertEquals(at("08:30"), report.since());
        assertEquals(at("10:05"), report.until());
    }

    @Test
    void moreThanSixHoursOfRawRowsComeInHourBuckets() {
        // one probe a minute for 8 hours; in every hour the latencies are 1..60 ms -> p50 = 30, p95 = 57, p99 = 60
        for (int m = 0; m < 8 * 60; m++) {
            probe(S1, DAY.plus(MINUTE.multipliedBy(m)), m == 200 ? HealthStatus.CRITICAL : HealthStatus.HEALTHY,
                    m == 200 ? Optional.empty() : Optional.of(m % 60 + 1.0));
        }
        new JdbcMetricStore(db()).append(rows);
        JdbcHistory history = new JdbcHistory(db());

        List<HistoryBucket> hours = history.history(S1.id(), DAY, at("08:00")).buckets();

        assertEquals(8, hours.size());
        assertEquals(new HistoryBucket(DAY, HOUR, 60, 60, ms(30), ms(57), ms(60), HealthStatus.HEALTHY), hours.get(0));
        // minute 200 is 03:20: its latency (21) is missing -> 59 values 1-20, 22-60: p50 = 30th = 31, p95 = 57th = 58,
        // p99 = 59th = 60
        assertEquals(new HistoryBucket(at("03:00"), HOUR, 60, 59, ms(31), ms(58), ms(60), HealthStatus.CRITICAL),
                hours.get(3));
        // six hours exactly are still minutes
        List<HistoryBucket> minutes = history.history(S1.id(), at("02:00"), at("08:00")).buckets();
        assertEquals(360, minutes.size());
        assertEquals(new HistoryBucket(at("02:00"), MINUTE, 1, 1, ms(1), ms(1), ms(1), HealthStatus.HEALTHY),
                minutes.get(0));
    }

    @Test
    void alertsRaisedOrResolvedInThePeriodAndFailuresThatOccurredInItAndOutagesStillOpen() {
        Alert resolvedIn = Alert.raise(S1.id(), AlertSeverity.WARNING, "slow", at("07:00")).resolvedAt(at("08:45"));
        Alert raisedIn = Alert.raise(S1.id(), AlertSeverity.CRITICAL, "offline", at("09:10"));
        Alert before = Alert.raise(S1.id(), AlertSeverity.WARNING, "slow", at("07:01")).resolvedAt(at("07:30"));
        Alert across = Alert.raise(S1.id(), AlertSeverity.WARNING, "slow", at("07:02")).resolvedAt(at("11:00"));
        Alert atTheEnd = Alert.raise(S1.id(), AlertSeverity.WARNING, "slow", at("10:05"));
        Alert other = Alert.raise(S2.id(), AlertSeverity.WARNING, "slow", at("09:00"));
        Alert stillOpen = Alert.raise(S1.id(), AlertSeverity.CRITICAL, "offline", at("06:00"));
        new JdbcAlertStore(db()).save(List.of(raisedIn, before, across, atTheEnd, other, resolvedIn,
                stillOpen));
        Failure justBefore = new Failure(S1.type(), S1.id(), FailureType.TIMEOUT, "monitoring", "slow",
                RecoveryAction.NONE, Optional.of(Duration.ofSeconds(10)), at("08:29:59.999"), Optional.empty());
        Failure openSince = Failure.open(S1, FailureType.CONNECTION_ERROR, "monitoring", "gone", at("06:00"));
        Failure atTheStart = Failure.open(S1, FailureType.TIMEOUT, "monitoring", "slow", at("08:30"));
        Failure late = new Failure(S1.type(), S1.id(), FailureType.CONNECTION_ERROR, "monitoring", "refused",
                RecoveryAction.RESTART, Optional.of(Duration.ofSeconds(30)), at("10:04"), Optional.of("task_9"));
        Failure failureAtTheEnd = Failure.open(S1, FailureType.TIMEOUT, "monitoring", "slow", at("10:05"));
        Failure otherFailure = Failure.open(S2, FailureType.TIMEOUT, "monitoring", "slow", at("09:00"));
        new JdbcFailureStore(db()).record(List.of(late, failureAtTheEnd, otherFailure, justBefore, atTheStart,
                openSince));

        HistoryReport report = new JdbcHistory(db()).history(S1.id(), at("08:30"), at("10:05"));

        assertEquals(List.of(stillOpen, resolvedIn, raisedIn), report.alerts());
        assertEquals(List.of(openSince, atTheStart, late), report.failures());
        assertEquals(List.of(), report.buckets());
    }

    @Test
    void aServerWithNothingRecordedHasAnEmptyHistory() {
        HistoryReport report = new JdbcHistory(db()).history(ServerId.of("never-seen"), DAY, at("23:00"));

        assertEquals(List.of(), report.buckets());
        assertEquals(List.of(), report.alerts());
        assertEquals(List.of(), report.failures());
    }

    @Test
    void theServersRecordedAreThoseWithARowOfAnyKindOnceEachInNameOrder() {
        assertEquals(List.of(), new JdbcHistory(db()).recorded());
        assertFalse(new JdbcHistory(db()).recorded(S2.id()));
        MonitoredServer s3 = aServer().named("s3").ofType("everything").build();
        MonitoredServer s4 = aServer().named("s4").ofType("everything").build();
        MonitoredServer alerted = aServer().named("S0-alerted").ofType("everything").build();
        new JdbcAlertStore(db()).save(List.of(Alert.raise(alerted.id(), AlertSeverity.WARNING, "slow", at("07:00"))));
        probe(S2, at("10:00"), HealthStatus.HEALTHY, Optional.of(3.0));
        probe(S2, at("10:01"), HealthStatus.HEALTHY, Optional.of(3.0));
        probe(s3, at("08:00"), HealthStatus.HEALTHY, Optional.of(3.0));
        new JdbcMetricStore(db()).append(rows);
        new JdbcRetention(db()).prune(at("10:00"), at("09:00"), Instant.EPOCH); // s3: its roll-up only
        new JdbcFailureStore(db()).record(List.of(Failure.open(s4, FailureType.TIMEOUT, "monitoring", "slow",
                at("09:00"))));

        JdbcHistory history = new JdbcHistory(db());
        assertEquals(List.of(alerted.id(), S2.id(), s3.id(), s4.id()), history.recorded());
        for (MonitoredServer s : List.of(alerted, S2, s3, s4)) {
            assertTrue(history.recorded(s.id()), s.id().value());
        }
        assertFalse(history.recorded(ServerId.of("s")), "a name is matched whole");
        assertFalse(history.recorded(ServerId.of("never-seen")));
    }

    @Test
    void aRowThatIsNotADomainValueIsNamedInTheFailure() throws Exception {
        Sql.execute(db(), "INSERT INTO integration_failures (server_type, server_instance, failure_type, recovery_action,"
                + " occurred_at) VALUES ('everything', 's1', 'timeout', 'pray', '2026-11-23 09:00:00.000')");
        String id = Sql.single(db(), "SELECT id FROM integration_failures");

        StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                () -> new JdbcHistory(db()).history(S1.id(), DAY, at("23:00")));

        assertEquals("cannot read history from " + db().name() + ": integration_failures row id " + id + " cannot be read"
                + " (recovery action must be one of restart, reconnect, failover, none, got \"pray\")", e.getMessage());
    }

    private void probe(MonitoredServer server, Instant at, HealthStatus status, Optional<Double> latencyMs) {
        metric(server, MetricType.AVAILABILITY, latencyMs.isPresent() ? 1.0 : 0.0, status, at);
        latencyMs.ifPresent(ms -> metric(server, MetricType.RESPONSE_TIME, ms, status, at));
    }

    private void metric(MonitoredServer server, MetricType type, double value, HealthStatus status, Instant at) {
        rows.add(HealthMetric.of(server, type, value, status, Map.of(), at));
    }

    private static Optional<Double> ms(double value) {
        return Optional.of(value);
    }

    /** A time of {@link #DAY}: "10:00", "10:00:05", "10:03:59.999". */
    private static Instant at(String time) {
        String full = time.length() == 5 ? time + ":00" : time;
        return Instant.parse("2026-11-23T" + full + (full.contains(".") ? "" : ".000") + "Z");
    }
}
