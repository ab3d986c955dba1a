package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import dev.mcphealth.infrastructure.orchestrator.AnswerReader;
import dev.mcphealth.infrastructure.orchestrator.RequestFormat;
import dev.mcphealth.application.port.out.OrchestratorRequest;
import dev.mcphealth.application.port.out.OrchestratorTool;
import dev.mcphealth.application.port.out.OutboxPort;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * orchestrator_outbox on SQLite (V5, docs/orchestrator-outbox.md). Every change is one transaction, committed before
 * the method returns: a claim is on disk before the call it announces is made. A change that the entry's state does
 * not allow changes nothing (the UPDATE names the state it expects) and is refused with the state found. Settled
 * entries past the raw retention are deleted by {@link JdbcRetention}, never unsettled ones.
 */
public final class JdbcOutbox implements OutboxPort {
    private static final String COLUMNS = "id, run_key, tool, arguments, task_from, created_at, state, attempts,"
            + " last_error, settled_at, reply";
    private static final String UNSETTLED_ROWS = "state IN ('pending', 'sending')";
    private static final String ONE = "SELECT " + COLUMNS + " FROM orchestrator_outbox WHERE id = ?";
    private static final String UNSETTLED = "SELECT " + COLUMNS + " FROM orchestrator_outbox WHERE "
            + UNSETTLED_ROWS + " AND id > ? ORDER BY id LIMIT ?";
    private static final String COUNT = "SELECT COUNT(*) FROM orchestrator_outbox WHERE " + UNSETTLED_ROWS;
    private static final String RUN = "SELECT " + COLUMNS + " FROM orchestrator_outbox WHERE run_key = ? ORDER BY id";
    private static final String RUN_OF = "SELECT run_key FROM orchestrator_outbox WHERE id = ?";
    private static final String STATE_OF = "SELECT state FROM orchestrator_outbox WHERE id = ?";
    private static final String INSERT = "INSERT INTO orchestrator_outbox (run_key, tool, arguments, task_from,"
            + " created_at) VALUES (?, ?, ?, ?, ?) RETURNING id";
    private static final String CLAIM = "UPDATE orchestrator_outbox SET state = 'sending', arguments = ?,"
            + " attempts = attempts + 1 WHERE id = ? AND state = 'pending' AND tool = ?";
    private static final String TOOL_OF = "SELECT tool FROM orchestrator_outbox WHERE id = ?";
    private static final String RELEASE = "UPDATE orchestrator_outbox SET state = 'pending', last_error = ?"
            + " WHERE id = ? AND state = 'sending'";
    private static final String SETTLE = "UPDATE orchestrator_outbox SET state = ?, settled_at = ?, reply = ?,"
            + " task_id = ?, session_id = ? WHERE id = ? AND state = ?";
    private static final String RECORD = "INSERT INTO orchestrator_outbox (run_key, tool, arguments, task_from,"
            + " created_at, state, attempts, settled_at, reply, task_id, session_id)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
    /** The plans not yet reconciled: the same terms as idx_outbox_plans_to_reconcile (V9), so it is used. */
    private static final String UNRECONCILED = "SELECT " + COLUMNS + " FROM orchestrator_outbox"
            + " WHERE tool = 'orchestrator_plan_task' AND reconciled_at IS NULL AND id > ?"
            + " AND state NOT IN ('pending', 'sending') ORDER BY id LIMIT ?";
    private static final String RECONCILE = "UPDATE orchestrator_outbox SET reconciled_at = ?, reconciliation = ?"
            + " WHERE id = ? AND tool = 'orchestrator_plan_task' AND state NOT IN ('pending', 'sending')"
            + " AND reconciled_at IS NULL";
    private static final String NOTE = "SELECT reconciliation FROM orchestrator_outbox WHERE id = ?";
    private static final String KNOWS = "SELECT 1 FROM orchestrator_outbox WHERE task_id = ? LIMIT 1";
    private static final String READ = "read the orchestrator outbox from";
    private static final String WRITE = "write the orchestrator outbox to";

    private final Transactions tx;

    public JdbcOutbox(Database db) {
        this.tx = new Transactions(db);
    }

    @Override
    public long add(Call call, Instant at) {
        return tx.transaction(WRITE, c -> {
            sameRun(c, call);
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                bindCall(ps, call, at);
                return insertedId(ps);
            }
        });
    }

    @Override
    public Optional<Entry> entry(long id) {
        return tx.connected(READ, c -> {
            List<Entry> found = select(c, ONE, ps -> ps.setLong(1, id));
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        });
    }

    @Override
    public List<Entry> unsettled(long afterId, int limit) {
        return tx.connected(READ, c -> select(c, UNSETTLED, ps -> {
            ps.setLong(1, afterId);
            ps.setInt(2, limit);
        }));
    }

    @Override
    public long countUnsettled() {
        return tx.connected(READ, c -> {
            try (PreparedStatement ps = c.prepareStatement(COUNT); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    public List<Entry> run(String run) {
        return tx.connected(READ, c -> select(c, RUN, ps -> ps.setString(1, run)));
    }

    @Override
    public boolean claim(long id, OrchestratorRequest sent) {
        String json = OutboxJson.write(RequestFormat.arguments(sent));
        return tx.transaction(WRITE, c -> {
            try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
                ps.setString(1, json);
                ps.setLong(2, id);
                ps.setString(3, sent.tool().code());
                if (ps.executeUpdate() == 1) {
                    return true;
                }
            }
            try (PreparedStatement ps = c.prepareStatement(TOOL_OF)) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && !sent.tool().code().equals(rs.getString(1))) {
                        throw new IllegalArgumentException("a " + rs.getString(1) + " entry cannot be sent as "
                                + sent.tool().code());
                    }
                }
            }
            return false;
        });
    }

    @Override
    public void release(long id, String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("reason must not be blank");
        }
        tx.transaction(WRITE, c -> {
            try (PreparedStatement ps = c.prepareStatement(RELEASE)) {
                tx.dialect.text(ps, 1, reason);
                ps.setLong(2, id);
                if (ps.executeUpdate() == 0) {
                    throw refused(c, id, State.SENDING);
                }
            }
            return null;
        });
    }

    /** What an entry's ending stores: the reply's text (or the reason it was skipped) and the ids it gave. */
    private record Stored(String text, Optional<String> task, Optional<String> session) {
        static Stored of(Ending ending) {
            if (ending instanceof Replied replied) {
                return new Stored(replyText(replied.reply()), replied.taskId(), replied.sessionId());
            }
            return new Stored(((Skipped) ending).reason(), Optional.empty(), Optional.empty());
        }
    }

    @Override
    public void settle(long id, Ending ending) {
        State from = ending instanceof Replied ? State.SENDING : State.PENDING;
        Stored stored = Stored.of(ending);
        tx.transaction(WRITE, c -> {
            try (PreparedStatement ps = c.prepareStatement(SETTLE)) {
                ps.setString(1, ending.state().code());
                tx.dialect.time(ps, 2, ending.at());
                tx.dialect.text(ps, 3, stored.text());
                ps.setString(4, stored.task().orElse(null));
                ps.setString(5, stored.session().orElse(null));
                ps.setLong(6, id);
                ps.setString(7, from.code());
                if (ps.executeUpdate() == 0) {
                    throw refused(c, id, from);
                }
            }
            return null;
        });
    }

    /** Runs an INSERT ... RETURNING id (SQLite 3.35 and PostgreSQL alike) and gives the id. */
    private static long insertedId(PreparedStatement insert) throws SQLException {
        try (ResultSet rs = insert.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("the insert returned no id");
            }
            return rs.getLong(1);
        }
    }

    /** Parameters 1-5 of an insert: the call's run, tool, arguments, task it came from, and when it was made. */
    private void bindCall(PreparedStatement ps, Call call, Instant at) throws SQLException {
        ps.setString(1, call.run());
        ps.setString(2, call.tool().code());
        ps.setString(3, OutboxJson.write(RequestFormat.arguments(call.request())));
        if (call.taskFrom().isPresent()) {
            ps.setLong(4, call.taskFrom().getAsLong());
        } else {
            ps.setNull(4, Types.INTEGER);
        }
        tx.dialect.time(ps, 5, at);
    }

    @Override
    public long record(Call call, Instant at, Ending ending) {
        java.util.Objects.requireNonNull(ending, "ending");
        Stored stored = Stored.of(ending);
        String text = stored.text();
        Optional<String> task = stored.task();
        Optional<String> session = stored.session();
        return tx.transaction(WRITE, c -> {
            sameRun(c, call);
            try (PreparedStatement ps = c.prepareStatement(RECORD)) {
                bindCall(ps, call, at);
                ps.setString(6, ending.state().code());
                ps.setInt(7, ending instanceof Replied ? 1 : 0);
                tx.dialect.time(ps, 8, ending.at());
                tx.dialect.text(ps, 9, text);
                ps.setString(10, task.orElse(null));
                ps.setString(11, session.orElse(null));
                return insertedId(ps);
            }
        });
    }

    @Override
    public List<Entry> unreconciledPlans(long afterId, int limit) {
        return tx.connected(READ, c -> select(c, UNRECONCILED, ps -> {
            ps.setLong(1, afterId);
            ps.setInt(2, limit);
        }));
    }

    @Override
    public void reconciled(long planEntry, String note, Instant at) {
        if (note == null || note.isBlank()) {
            throw new IllegalArgumentException("note must not be blank");
        }
        tx.transaction(WRITE, c -> {
            try (PreparedStatement ps = c.prepareStatement(RECONCILE)) {
                tx.dialect.time(ps, 1, at);
                tx.dialect.text(ps, 2, note);
                ps.setLong(3, planEntry);
                if (ps.executeUpdate() == 0) {
                    throw new IllegalStateException("outbox entry " + planEntry + " is not a settled plan_task"
                            + " entry without a reconciliation note");
                }
            }
            return null;
        });
    }

    @Override
    public Optional<String> reconciliation(long planEntry) {
        return tx.connected(READ, c -> {
            try (PreparedStatement ps = c.prepareStatement(NOTE)) {
                ps.setLong(1, planEntry);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean knowsTask(String taskId) {
        return tx.connected(READ, c -> {
            try (PreparedStatement ps = c.prepareStatement(KNOWS)) {
                ps.setString(1, taskId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** Refuses a call that takes its task id from an entry that is not one of its run. */
    private static void sameRun(Connection c, Call call) throws SQLException {
        if (call.taskFrom().isEmpty()) {
            return;
        }
        long from = call.taskFrom().getAsLong();
        Optional<String> run = Optional.empty();
        try (PreparedStatement ps = c.prepareStatement(RUN_OF)) {
            ps.setLong(1, from);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    run = Optional.of(rs.getString(1));
                }
            }
        }
        if (!run.equals(Optional.of(call.run()))) {
            throw new IllegalArgumentException("taskFrom " + from + " is not an entry of run \"" + call.run() + "\"");
        }
    }

    /** The reply column: the JSON answered, or the reply's text. */
    private static String replyText(OrchestratorReply reply) {
        if (reply instanceof OrchestratorReply.Answered) {
            return OutboxJson.write(((OrchestratorReply.Answered) reply).json());
        }
        if (reply instanceof OrchestratorReply.DoneDespiteError) {
            return ((OrchestratorReply.DoneDespiteError) reply).raw();
        }
        if (reply instanceof OrchestratorReply.Refused) {
            return ((OrchestratorReply.Refused) reply).error();
        }
        if (reply instanceof OrchestratorReply.Unconfirmed) {
            return ((OrchestratorReply.Unconfirmed) reply).reason();
        }
        throw new IllegalArgumentException("not a settling reply: " + reply);
    }

    /** Why a change was refused: the entry is not there, or not in {@code expected}. */
    private static IllegalStateException refused(Connection c, long id, State expected) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(STATE_OF)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new IllegalStateException("no outbox entry " + id);
                }
                return new IllegalStateException("outbox entry " + id + " is " + rs.getString(1) + ", not "
                        + expected.code());
            }
        }
    }

    @FunctionalInterface
    private interface Params {
        void set(PreparedStatement ps) throws SQLException;
    }

    private List<Entry> select(Connection c, String sql, Params params) throws SQLException {
        List<Entry> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            params.set(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    try {
                        out.add(entry(rs));
                    } catch (RuntimeException e) {
                        throw tx.unavailable(READ, "outbox entry " + rs.getLong(1) + " cannot be read ("
                                + e.getMessage() + ")", e);
                    }
                }
            }
        }
        return out;
    }

    private static Entry entry(ResultSet rs) throws SQLException {
        long taskFrom = rs.getLong(5);
        OptionalLong from = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(taskFrom);
        OrchestratorTool tool = OrchestratorTool.fromCode(rs.getString(3));
        Call call = new Call(rs.getString(2), RequestFormat.request(tool, OutboxJson.read(rs.getString(4))), from);
        State state = State.fromCode(rs.getString(7));
        Optional<Ending> ending = Optional.empty();
        if (state.settled()) {
            Instant at = SqlTime.read(rs, 10);
            String reply = rs.getString(11);
            ending = Optional.of(ending(call.tool(), state, reply, at));
        }
        return new Entry(rs.getLong(1), call, SqlTime.read(rs, 6), state, rs.getInt(8),
                Optional.ofNullable(rs.getString(9)), ending);
    }

    private static Ending ending(OrchestratorTool tool, State state, String reply, Instant at) {
        switch (state) {
            case ANSWERED:
                return new Replied(AnswerReader.answered(tool, OutboxJson.read(reply)), at);
            case DONE_DESPITE_ERROR:
                return new Replied(new OrchestratorReply.DoneDespiteError(reply), at);
            case REFUSED:
                return new Replied(new OrchestratorReply.Refused(reply), at);
            case UNCONFIRMED:
                return new Replied(new OrchestratorReply.Unconfirmed(reply), at);
            case SKIPPED:
                return new Skipped(reply, at);
            default:
                throw new IllegalArgumentException("a " + state.code() + " entry has no ending");
        }
    }
}
