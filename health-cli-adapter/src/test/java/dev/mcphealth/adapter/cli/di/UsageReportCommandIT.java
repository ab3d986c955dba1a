package dev.mcphealth.adapter.cli.di;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.out.UsageProfileStorePort.StoredProfile;
import dev.mcphealth.domain.learning.AnomalyEpisode;
import dev.mcphealth.domain.learning.UsageProfile;
import dev.mcphealth.domain.model.AnomalyRaised;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.StatusSnapshot;
import dev.mcphealth.domain.model.Uptime;
import dev.mcphealth.domain.model.UsageBand;
import dev.mcphealth.domain.model.UsageFigure;
import dev.mcphealth.domain.routing.ToolUsage;
import dev.mcphealth.infrastructure.persistence.SqliteDatabase;
import dev.mcphealth.infrastructure.persistence.JdbcStatusStore;
import dev.mcphealth.infrastructure.persistence.JdbcToolUsageStore;
import dev.mcphealth.infrastructure.persistence.JdbcUsageProfileStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code mcp-health report} on a real database written by the stores: two days of a pool of two instances (each a
 * queue of 2 workers at 100 ms a call: 20 calls a second) under a daily cycle, its profile, and one anomaly.
 */
class UsageReportCommandIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ServerType SEARCH = ServerType.of("search");
    private static final double SERVICE = 0.1;
    private static final ServerType DOCS = ServerType.of("docs");

    /** The mean of a profile's expected calls a minute over the week. */
    private static double docsWeekMean(UsageProfile p) {
        double sum = 0;
        for (int h = 0; h < 168; h++) {
            sum += p.expected(new dev.mcphealth.domain.learning.HourOfWeek(h), UsageFigure.RATE).orElseThrow()
                    .expected();
        }
        return sum / 168;
    }

    private static dev.mcphealth.domain.model.FailoverConfig withInterval(ServerType type, long seconds) {
        dev.mcphealth.domain.model.FailoverConfig d = dev.mcphealth.domain.model.FailoverConfig.defaultsFor(type);
        return new dev.mcphealth.domain.model.FailoverConfig(type, d.fallbackStrategy(), d.fallbackServerType(),
                d.autoRecovery(), d.maxRetryAttempts(), d.retryDelay(), Duration.ofSeconds(seconds),
                d.orchestratorFailoverTaskId());
    }

    @TempDir
    Path dir;

    /** The mean latency (s) of a queue of 2 workers of {@link #SERVICE} at {@code x} calls a second (Erlang C). */
    private static double latency(double x) {
        double a = x * SERVICE;
        double tail = a * a / 2 / (1 - a / 2);
        return SERVICE + tail / (1 + a + tail) * SERVICE / (2 - a);
    }

    private Path database() {
        Path db = dir.resolve("health.db");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Instant start = now.minus(Duration.ofDays(2));
        UsageProfile profile = new UsageProfile();
        List<ToolUsage> rows = new ArrayList<>();
        for (int i = 0; i < 2 * 1440; i++) {
            Instant t = start.plus(Duration.ofMinutes(i));
            double day = Math.sin(Math.PI * (i % 1440) / 1440.0);
            long calls = Math.round(60 * (2 + 30 * day * day)); // 2 to 32 a second through two instances
            double mean = latency(calls / 60.0 / 2) * 1000;
            rows.add(new ToolUsage(SEARCH, "find", t, Duration.ofMinutes(1), calls, 0, OptionalDouble.of(mean),
                    OptionalDouble.of(mean * 3), OptionalDouble.of(mean * 5), OptionalDouble.of(mean)));
            profile.observe(t, ZoneId.systemDefault(), new UsageProfile.Minute(calls, 0, OptionalDouble.of(mean),
                    OptionalDouble.of(mean * 3)));
        }
        try (SqliteDatabase database = SqliteDatabase.open(db)) {
            new JdbcToolUsageStore(database).save(rows);
            JdbcUsageProfileStore profiles = new JdbcUsageProfileStore(database);
            profiles.saveProfiles(List.of(new StoredProfile(SEARCH, "", now, profile.cells()),
                    new StoredProfile(SEARCH, "find", now, profile.cells())));
            profiles.saveAnomalies(List.of(new AnomalyEpisode(new AnomalyRaised(SEARCH, Optional.of("find"),
                    UsageFigure.RATE, true, 2400, 1, new UsageBand(900, 700, 1100, 0.6), 14, now.minus(
                    Duration.ofHours(3))), Optional.of(now.minus(Duration.ofHours(3)).plusSeconds(420)), true)));
            List<StatusSnapshot> statuses = new ArrayList<>();
            for (String name : List.of("search-1", "search-2")) {
                statuses.add(new StatusSnapshot(ServerId.of(name), SEARCH, Optional.empty(), Optional.empty(),
                        List.of(), 0, 0, Uptime.NONE, 0.999, Optional.empty(), Optional.empty(), now, Map.of()));
            }
            // a standby instance, cold: not one of the instances that run
            statuses.add(new StatusSnapshot(ServerId.of("search-3"), SEARCH, Optional.empty(), Optional.empty(),
                    List.of(), 0, 0, Uptime.NONE, 0.999, Optional.empty(), Optional.empty(), now,
                    Map.of("standby", "cold")));
            new JdbcStatusStore(database).save(statuses);
            // a pool used on weekdays 09:00-16:59 only, a week learned: its other hours are idle
            UsageProfile docs = new UsageProfile();
            for (int i = 0; i < 7 * 1440; i++) {
                Instant t = now.minus(Duration.ofDays(7)).plus(Duration.ofMinutes(i));
                java.time.ZonedDateTime z = t.atZone(ZoneId.systemDefault());
                boolean busy = z.getDayOfWeek().getValue() <= 5 && z.getHour() >= 9 && z.getHour() < 17;
                docs.observe(t, ZoneId.systemDefault(), busy ? new UsageProfile.Minute(5, 0, OptionalDouble.of(30),
                        OptionalDouble.of(60)) : UsageProfile.Minute.idle());
            }
            // its trend: 14 days on a line rising 1 % a day, give or take 1 % (7.0 % a week measured), from its learned week's level: 14 % above it on the
            // last day (0.13 of the line's logarithm)
            double y0 = Math.log(docsWeekMean(docs));
            dev.mcphealth.domain.prediction.DiscountedLine line = dev.mcphealth.domain.prediction.DiscountedLine
                    .empty(dev.mcphealth.domain.learning.DemandTrend.WINDOW_SECONDS);
            for (int d = 0; d < 14; d++) { // +-1 % about the line, so that it has a deviation to tell
                line = line.add(Instant.ofEpochSecond((19_986L + d) * 86_400), y0 + 0.01 * d + (d % 2 == 0 ? 0.01
                        : -0.01));
            }
            profiles.saveProfiles(List.of(new StoredProfile(DOCS, "", now, docs.cells(), Optional.of(
                    new dev.mcphealth.domain.learning.DemandTrend.State(20_000, 0, 0, line, 0.05, 14, 0)))));
            // search-1's probes: 40 ms, but 1.5 s on Sundays 02:00-02:59 UTC, a week of them
            UsageProfile probes = new UsageProfile();
            for (int i = 0; i < 7 * 1440; i++) {
                Instant t = now.minus(Duration.ofDays(7)).plus(Duration.ofMinutes(i));
                java.time.ZonedDateTime z = t.atZone(java.time.ZoneOffset.UTC);
                double ms = z.getDayOfWeek() == java.time.DayOfWeek.SUNDAY && z.getHour() == 2 ? 1500 : 40;
                probes.observe(t, java.time.ZoneOffset.UTC, new UsageProfile.Minute(6, 0, OptionalDouble.of(ms),
                        OptionalDouble.of(ms * (1 + (i % 3) * 0.05))));
            }
            new dev.mcphealth.infrastructure.persistence.JdbcProbeProfileStore(database).save(List.of(
                    new dev.mcphealth.application.port.out.ProbeProfileStorePort.StoredProbeProfile(
                            ServerId.of("search-1"), now, probes.cells())));
            new dev.mcphealth.infrastructure.persistence.JdbcFailoverConfigStore(database).save(List.of(
                    withInterval(SEARCH, 10), withInterval(DOCS, 20)));
        }
        return db;
    }

    @Test
    void theReportShowsTheProfileTheAnomalyTheCapacityAndThePlan() {
        Path db = database();

        Done r = Done.run("report", "--db", db.toString());

        assertEquals(0, r.exit(), r.err());
        String out = r.out();
        assertTrue(out.contains("pool search: 2 instances, profile learned from 2880 minutes; tools find"), out);
        assertTrue(out.contains("anomalies (7 days): 1"), out);
        assertTrue(out.matches("(?s).*usual now \\(\\w{3} \\d\\d:00 local\\): rate \\S+/min \\(usual \\S+\\.\\.\\S+/min\\);"
                + " p50 .* ms \\(usual .*\\); p95 .*; errors 0\\.00 % \\(usual .*%\\), confidence 0\\.\\d\\d\n.*"), out);
        assertTrue(out.matches("(?s).*rate of tool find above: 2400/min against 700\\.\\.1100/min over 1 min; back in"
                + " band after 7m.*"), out);
        assertTrue(out.matches("(?s).*capacity per instance: \\d+\\.\\d calls/s .*a queue of 2 workers at .*"), out);
        assertTrue(out.contains("plan: 1..") && out.contains("Mon 00-23:"), out);
        assertTrue(out.contains("  probe hours: every 10 s in every hour ("), "busy all day, every day: " + out);
        assertTrue(out.contains("  probe timeouts of search-1 (its timeout not known here), UTC hours:\n"
                + "    Sun 02:00-Sun 02:59: "), "Sunday 02:00 asks for more than the least: " + out);
        assertTrue(!out.contains("probe timeouts of search-2"), "no profile, nothing asked: " + out);
        assertTrue(out.contains("  demand trend: not measured yet (7 days counted against a week learned whole are"
                + " needed)"), "two days: " + out);
        assertTrue(out.contains("  demand trend: +7.0 % a week (+5.0..+9.0 %, 14 days), now +14 % against the learned"
                + " week\n"), out);
        assertTrue(out.matches("(?s).*pool docs: .*  probe hours: 1\\d\\d of 168 hours idle, probed every 80 s instead"
                + " of 20 s: \\d\\d % fewer probes, followed when health.tuning.probeHours is follow; e\\.g\\. \\w{3}"
                + " \\d\\d:00 usually sees 0\\.000 calls a minute .*"), out);
    }

    @Test
    void jsonHasTheEstimateWithin15PercentAndAnInstanceCountForEveryHour() {
        Path db = database();

        Done r = Done.run("report", "--db", db.toString(), "--json", "--server-type", "search", "--target", "0.6");

        assertEquals(0, r.exit(), r.err());
        JsonNode pool = JSON.readTree(r.out()).get("pools").get(0);
        assertEquals("search", pool.get("serverType").stringValue());
        double capacity = pool.get("capacity").get("perSecond").doubleValue();
        assertTrue(Math.abs(capacity / 20 - 1) <= 0.15, "20 calls a second: " + pool.get("capacity"));
        assertEquals("queue", pool.get("capacity").get("fit").get("method").stringValue());
        JsonNode plan = pool.get("plan");
        assertEquals(168, plan.get("hours").size());
        int peak = plan.get("peak").intValue();
        assertTrue(peak >= 3, "32 calls a second at 60 % of 20 or less needs 3 or more: " + plan.get("peak"));
        assertEquals(1, pool.get("anomalies").size());
        assertEquals(10.0, pool.get("probeHours").get("configuredSeconds").doubleValue());
        assertTrue(pool.get("growth").isNull(), "not measured yet");
        assertEquals(0, pool.get("probeHours").get("stretchedHours").intValue());
        assertTrue(pool.get("probeHours").get("followed").isNull(), "not known from the database alone");
        assertEquals("back_in_band", pool.get("anomalies").get(0).get("ended").stringValue());
    }

    @Test
    void tooLittleAndBadInputAreSaidPlainly() {
        Path db = database();

        Done other = Done.run("report", "--db", db.toString(), "--server-type", "other");
        assertEquals(0, other.exit(), other.err());
        assertEquals("no usage recorded of [other]", other.out().strip());

        Done target = Done.run("report", "--db", db.toString(), "--target", "1.5");
        assertEquals(3, target.exit());
        assertTrue(target.err().contains("--target must be above 0 and at most 1"), target.err());
        assertTrue(!target.err().contains("Exception"), target.err());

        Done missing = Done.run("report", "--db", dir.resolve("none.db").toString());
        assertEquals(3, missing.exit());
        assertTrue(missing.err().contains("no database at"), missing.err());
    }

    @Test
    void theChangesTheOptimizerAppliedAreListedWithTheirTrials() {
        Path db = database();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Duration w = Duration.ofMinutes(15);
        dev.mcphealth.domain.model.WindowStats before = new dev.mcphealth.domain.model.WindowStats(w, 1290, 3, 90, 90,
                Optional.empty(), Optional.of(Duration.ofMillis(41)), Optional.empty());
        dev.mcphealth.domain.model.WindowStats after = new dev.mcphealth.domain.model.WindowStats(w, 1302, 15, 90, 79,
                Optional.empty(), Optional.of(Duration.ofMillis(44)), Optional.empty());
        dev.mcphealth.domain.tuning.ChangeTrial trial = dev.mcphealth.domain.tuning.ChangeTrial.start(1,
                ServerId.of("search-1"), dev.mcphealth.domain.tuning.TuningAdvice.Setting.PROBE_TIMEOUT,
                new dev.mcphealth.domain.tuning.TuningAdvice.Value.Time(Duration.ofSeconds(5)),
                new dev.mcphealth.domain.tuning.TuningAdvice.Value.Time(Duration.ofMillis(800)),
                now.minus(Duration.ofHours(1)), w, before);
        try (SqliteDatabase database = SqliteDatabase.open(db)) {
            new dev.mcphealth.infrastructure.persistence.JdbcTrialStore(database).save(trial.end(
                    dev.mcphealth.domain.tuning.TrialPhase.ROLLED_BACK, after, trial.judge(after),
                    trial.judgeAt()));
        }

        Done r = Done.run("report", "--db", db.toString());

        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("changes applied by the optimizer (7 days):"), r.out());
        assertTrue(r.out().contains(" UTC search-1 probe_timeout_ms 5000 -> 800: rolled back (worse: probes"
                + " failed 0 of 90 before, 11 of 90 after; calls failed 3 of 1200 before, 4 of 1212 after; p95 41 ms"
                + " before, 44 ms after)"), r.out());
        Done json = Done.run("report", "--db", db.toString(), "--json");
        JsonNode change = JSON.readTree(json.out()).get("changes").get(0);
        assertEquals("rolled_back", change.get("status").stringValue());
        assertEquals(11, change.get("after").get("failedProbes").intValue());
        assertEquals(1200, change.get("before").get("calls").intValue());
        assertEquals("worse", change.get("verdict").stringValue());
    }
}
