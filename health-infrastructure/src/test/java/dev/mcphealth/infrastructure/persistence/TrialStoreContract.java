package dev.mcphealth.infrastructure.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.WindowStats;
import dev.mcphealth.domain.tuning.ChangeTrial;
import dev.mcphealth.domain.tuning.TrialPhase;
import dev.mcphealth.domain.tuning.TrialRecord;
import dev.mcphealth.domain.tuning.TuningAdvice.Setting;
import dev.mcphealth.domain.tuning.TuningAdvice.Value;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** tuning_trials (V15) on a real SQLite and PostgreSQL file: written when applied and when ended, read back exactly, stopped runs. */
abstract class TrialStoreContract {
    private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");
    private static final Duration W = Duration.ofMinutes(15);
    private static final WindowStats BEFORE = new WindowStats(W, 1290, 3, 90, 90, Optional.empty(),
            Optional.of(Duration.ofNanos(41_250_000)), Optional.empty());
    private static final WindowStats AFTER = new WindowStats(W, 1302, 15, 90, 79, Optional.empty(),
            Optional.empty(), Optional.empty());

    /** The database under test: a fresh one for each test. */
    protected abstract Database db();

    @Test
    void aTrialIsWrittenWhenAppliedAndAgainWhenItEndsAndReadBackExactly() {
        JdbcTrialStore store = new JdbcTrialStore(db());
        ChangeTrial timeout = ChangeTrial.start(1, ServerId.of("web 1"), Setting.PROBE_TIMEOUT,
                new Value.Time(Duration.ofSeconds(5)), new Value.Time(Duration.ofMillis(800)), T0, W, BEFORE);
        ChangeTrial rate = ChangeTrial.start(2, ServerId.of("web 1"), Setting.BREAKER_FAILURE_RATE,
                new Value.Percent(50), new Value.Percent(25), T0.plusSeconds(1), W, BEFORE);
        store.save(timeout);
        store.save(rate);
        assertEquals(List.of(new TrialRecord(rate, Optional.empty()), new TrialRecord(timeout, Optional.empty())),
                store.since(T0), "newest first, running");

        ChangeTrial rolledBack = timeout.end(TrialPhase.ROLLED_BACK, AFTER, timeout.judge(AFTER), T0.plus(W));
        store.save(rolledBack);
        assertEquals(new TrialRecord(rolledBack, Optional.empty()), store.since(T0).get(1), "updated in place");
        assertEquals(2, store.since(T0).size());
        assertEquals(List.of(), store.since(T0.plusSeconds(2)));
    }

    @Test
    void theTrialsAStoppedRunLeftRunningAreMarkedStopped() {
        JdbcTrialStore store = new JdbcTrialStore(db());
        ChangeTrial running = ChangeTrial.start(1, ServerId.of("a"), Setting.PROBE_INTERVAL,
                new Value.Time(Duration.ofSeconds(10)), new Value.Time(Duration.ofSeconds(30)), T0, W, BEFORE);
        ChangeTrial kept = ChangeTrial.start(2, ServerId.of("b"), Setting.PROBE_INTERVAL,
                new Value.Time(Duration.ofSeconds(10)), new Value.Time(Duration.ofSeconds(30)), T0, W, BEFORE);
        kept = kept.end(TrialPhase.KEPT, BEFORE, kept.judge(BEFORE), T0.plus(W));
        store.save(running);
        store.save(kept);

        assertEquals(1, store.stopRunning(T0.plusSeconds(60)));

        List<TrialRecord> read = store.since(T0);
        TrialRecord stopped = read.stream().filter(r -> r.trial().server().equals(ServerId.of("a"))).findFirst()
                .orElseThrow();
        assertEquals("stopped", stopped.status());
        assertEquals(Optional.of(T0.plusSeconds(60)), stopped.stoppedAt());
        assertEquals("kept", read.stream().filter(r -> r.trial().server().equals(ServerId.of("b"))).findFirst()
                .orElseThrow().status());
        assertEquals(0, store.stopRunning(T0.plusSeconds(120)), "once");
    }

    @Test
    void theSchemaRefusesAnUnknownStatusARunningTrialWithAnEndAndAnEndedOneNotJudged() {
        for (String row : List.of("'lost', NULL", "'running', '2026-12-05 10:15:00.000'", "'kept', NULL",
                "'kept', '2026-12-05 10:15:00.000'")) {
            assertThrows(Exception.class, () -> Sql.execute(db(), "INSERT INTO tuning_trials (server_name,"
                    + " setting, applied_at, trial_id, was_value, now_value, window_seconds, before_calls,"
                    + " before_errors, before_probes, before_answered, status, ended_at) VALUES ('a',"
                    + " 'probe_timeout_ms', '2026-12-05 10:00:00.000', 1, 5000, 800, 900, 0, 0, 0, 0, " + row + ")"),
                    row);
        }
    }
}
