package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.application.port.out.TrialStorePort;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.TrialVerdict;
import dev.mcphealth.domain.model.Coded;
import dev.mcphealth.domain.model.WindowStats;
import dev.mcphealth.domain.tuning.ChangeTrial;
import dev.mcphealth.domain.tuning.TrialJudge;
import dev.mcphealth.domain.tuning.TrialPhase;
import dev.mcphealth.domain.tuning.TrialRecord;
import dev.mcphealth.domain.tuning.TuningAdvice.Setting;
import dev.mcphealth.domain.tuning.TuningAdvice.Value;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** tuning_trials on SQLite (V15): one row per applied change, written when applied and when its trial ends. */
public final class JdbcTrialStore implements TrialStorePort {
    private static final String UPSERT = "INSERT INTO tuning_trials (server_name, setting, applied_at, trial_id,"
            + " was_value, now_value, window_seconds, before_calls, before_errors, before_probes, before_answered,"
            + " before_p95_ms, status, verdict, evidence, after_calls, after_errors, after_probes, after_answered,"
            + " after_p95_ms, ended_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (server_name, setting, applied_at) DO UPDATE SET trial_id = excluded.trial_id,"
            + " was_value = excluded.was_value, now_value = excluded.now_value,"
            + " window_seconds = excluded.window_seconds, before_calls = excluded.before_calls,"
            + " before_errors = excluded.before_errors, before_probes = excluded.before_probes,"
            + " before_answered = excluded.before_answered, before_p95_ms = excluded.before_p95_ms,"
            + " status = excluded.status, verdict = excluded.verdict, evidence = excluded.evidence,"
            + " after_calls = excluded.after_calls, after_errors = excluded.after_errors,"
            + " after_probes = excluded.after_probes, after_answered = excluded.after_answered,"
            + " after_p95_ms = excluded.after_p95_ms, ended_at = excluded.ended_at";
    private static final String STOP = "UPDATE tuning_trials SET status = 'stopped', ended_at = ?"
            + " WHERE status = 'running'";
    private static final String READ = "SELECT server_name, setting, applied_at, trial_id, was_value, now_value,"
            + " window_seconds, before_calls, before_errors, before_probes, before_answered, before_p95_ms, status,"
            + " verdict, evidence, after_calls, after_errors, after_probes, after_answered, after_p95_ms, ended_at"
            + " FROM tuning_trials WHERE applied_at >= ? ORDER BY applied_at DESC, trial_id DESC";

    private final Transactions tx;

    public JdbcTrialStore(Database db) {
        this.tx = new Transactions(db);
    }

    @Override
    public void save(ChangeTrial t) {
        Objects.requireNonNull(t, "trial");
        tx.batch("write a tuning trial", UPSERT, List.of(t), (ps, x) -> {
            ps.setString(1, x.server().value());
            ps.setString(2, x.setting().code());
            tx.dialect.time(ps, 3, x.appliedAt());
            ps.setLong(4, x.id());
            ps.setLong(5, stored(x.was()));
            ps.setLong(6, stored(x.now()));
            ps.setLong(7, x.window().getSeconds());
            window(ps, 8, Optional.of(x.before()));
            ps.setString(13, x.phase().code());
            ps.setString(14, x.judgement().map(j -> j.verdict().code()).orElse(null));
            ps.setString(15, x.judgement().map(j -> String.join("\n", j.evidence())).orElse(null));
            window(ps, 16, x.after());
            tx.dialect.time(ps, 21, x.endedAt().orElse(null));
        });
    }

    @Override
    public int stopRunning(Instant at) {
        return tx.transaction("close the tuning trials of a stopped run in", c -> {
            try (PreparedStatement ps = c.prepareStatement(STOP)) {
                tx.dialect.time(ps, 1, at);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<TrialRecord> since(Instant since) {
        return tx.connected("read tuning trials from", c -> {
            try (PreparedStatement ps = c.prepareStatement(READ)) {
                tx.dialect.bound(ps, 1, since);
                try (ResultSet rs = ps.executeQuery()) {
                    return UnreadableRow.readAll(rs, "tuning_trials", r -> r.getString(1) + " " + r.getString(2)
                            + " applied at " + r.getString(3), JdbcTrialStore::row);
                }
            }
        });
    }

    private static TrialRecord row(ResultSet r) throws SQLException {
        Setting setting = Coded.parse(Setting.class, r.getString(2), "setting");
        Duration window = Duration.ofSeconds(r.getLong(7));
        ChangeTrial t = ChangeTrial.start(r.getLong(4), ServerId.of(r.getString(1)), setting,
                value(setting, r.getLong(5)), value(setting, r.getLong(6)), SqlTime.read(r, 3), window,
                window(r, 8, window).orElseThrow(() -> new IllegalArgumentException("no window before")));
        String status = r.getString(13);
        if (status.equals("running") || status.equals("stopped")) {
            return new TrialRecord(t, status.equals("stopped") ? Optional.of(SqlTime.read(r, 21))
                    : Optional.empty());
        }
        TrialPhase phase = Coded.parse(TrialPhase.class, status, "status");
        String verdict = r.getString(14);
        String evidence = r.getString(15);
        Optional<WindowStats> after = window(r, 16, window);
        if (verdict == null || evidence == null || after.isEmpty()) {
            throw new IllegalArgumentException("an ended trial without its verdict, evidence or window after");
        }
        TrialJudge.Judgement j = new TrialJudge.Judgement(Coded.parse(TrialVerdict.class, verdict, "verdict"),
                Arrays.asList(evidence.split("\n")));
        return new TrialRecord(t.end(phase, after.get(), j, SqlTime.read(r, 21)), Optional.empty());
    }

    /** A value as stored: a time in milliseconds, a percentage in percent. */
    private static long stored(Value v) {
        return v instanceof Value.Percent p ? p.percent() : ((Value.Time) v).duration().toMillis();
    }

    private static Value value(Setting setting, long stored) {
        return setting == Setting.BREAKER_FAILURE_RATE ? new Value.Percent((int) stored)
                : new Value.Time(Duration.ofMillis(stored));
    }

    private static void window(PreparedStatement ps, int at, Optional<WindowStats> w) throws SQLException {
        if (w.isEmpty()) {
            for (int i = 0; i < 4; i++) {
                ps.setNull(at + i, Types.INTEGER);
            }
            ps.setNull(at + 4, Types.REAL);
            return;
        }
        ps.setLong(at, w.get().calls());
        ps.setLong(at + 1, w.get().errors());
        ps.setLong(at + 2, w.get().probes());
        ps.setLong(at + 3, w.get().answeredProbes());
        if (w.get().p95().isPresent()) {
            ps.setDouble(at + 4, w.get().p95().get().toNanos() / 1e6);
        } else {
            ps.setNull(at + 4, Types.REAL);
        }
    }

    private static Optional<WindowStats> window(ResultSet r, int at, Duration length) throws SQLException {
        long calls = r.getLong(at);
        if (r.wasNull()) {
            return Optional.empty();
        }
        double p95 = r.getDouble(at + 4);
        Optional<Duration> p = r.wasNull() ? Optional.empty() : Optional.of(Duration.ofNanos(Math.round(p95 * 1e6)));
        return Optional.of(new WindowStats(length, calls, r.getLong(at + 1), r.getLong(at + 2), r.getLong(at + 3),
                Optional.empty(), p, Optional.empty()));
    }
}
