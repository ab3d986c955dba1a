package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.application.port.out.TaskLinkPort;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

/**
 * Stand-ins for task ids on SQLite or PostgreSQL: each of the three columns that link to an orchestrator task is resolved by one
 * UPDATE joined with orchestrator_outbox (V5), all in one transaction. Metric rows and failures are found through the
 * partial indexes of V8 (only rows that still carry a stand-in are in them); failover_configurations has a row per
 * server type.
 */
public final class JdbcTaskLinks implements TaskLinkPort {
    /** table, column: where links to orchestrator tasks are kept. */
    private static final List<String[]> LINKS = List.of(
            new String[] {"integration_health_metrics", "orchestrator_task_id"},
            new String[] {"integration_failures", "orchestrator_recovery_task_id"},
            new String[] {"failover_configurations", "orchestrator_failover_task_id"});
    private static final String WRITE = "link deferred orchestrator tasks in";
    private static final String READ = "look for deferred orchestrator tasks in";

    private final Transactions tx;

    public JdbcTaskLinks(Database db) {
        this.tx = new Transactions(db);
    }

    /** Whether {@code value} (a column or a parameter) is a stand-in: the term V8's partial indexes are built on. */
    private static String isStandIn(String value) {
        return value + " LIKE '" + PREFIX + "%'";
    }

    /**
     * Whether the plan behind stand-in {@code value} no longer waits: its entry (the text after the prefix, as an
     * integer; a stand-in is only ever written by {@link TaskLinkPort#standIn}) is settled, or gone (pruned).
     */
    private static String settled(Dialect dialect, String value) {
        return "NOT EXISTS (SELECT 1 FROM orchestrator_outbox o WHERE o.id = " + entry(dialect, value)
                + " AND o.settled_at IS NULL)";
    }

    /**
     * What settled stand-in {@code value} resolves to: the task id its plan obtained; without one, its parent's (a
     * step's plan names the run's task: the step then links to the run, as a step the orchestrator did not take
     * does); else NULL, as for an entry that was pruned.
     */
    private static String obtained(Dialect dialect, String value) {
        return "(SELECT COALESCE(o.task_id, " + dialect.jsonText("o.arguments", "parent_task_id")
                + ") FROM orchestrator_outbox o"
                + " WHERE o.id = " + entry(dialect, value) + " AND o.tool = 'orchestrator_plan_task')";
    }

    /**
     * The outbox entry that stand-in {@code value} names; NULL for a value that is not one (written by another tool,
     * say): a CASE, because PostgreSQL's cast of text that is not a number fails where SQLite's gives 0, and it may
     * evaluate the cast before the LIKE beside it.
     */
    private static String entry(Dialect dialect, String value) {
        return "CASE WHEN " + isStandIn(value) + " AND " + dialect.digitsFrom(value, PREFIX.length() + 1)
                + " THEN CAST(substr(" + value + ", " + (PREFIX.length() + 1) + ") AS BIGINT) END";
    }

    /** Replaces every settled stand-in in {@code table.column} by what it resolves to. */
    static String resolve(Dialect dialect, String table, String column) {
        String value = table + "." + column;
        return "UPDATE " + table + " SET " + column + " = " + obtained(dialect, value) + " WHERE " + isStandIn(column)
                + " AND " + settled(dialect, value);
    }

    /**
     * The value to store for the one parameter ({@code ?}) of this scalar subquery, a task id as a writer gives it: itself, unless it is a settled stand-in;
     * then what it resolves to, as {@link #resolve} would make it. So a writer that still carries a stand-in (the
     * monitor keeps one on its failure for the whole episode) never puts back one that was resolved.
     */
    static String resolvedValue(Dialect dialect) {
        String param = "p.v"; // the parameter, named once: its value is used four times
        return "(SELECT CASE WHEN " + isStandIn(param) + " AND " + settled(dialect, param) + " THEN "
                + obtained(dialect, param)
                + " ELSE " + param + " END FROM (SELECT CAST(? AS TEXT) AS v) p)";
    }

    /** Whether any row carries a stand-in: read through the partial indexes, so the usual answer costs no write. */
    static String anyStandIn() {
        return "SELECT " + String.join(" OR ", LINKS.stream().map(l -> "EXISTS (SELECT 1 FROM " + l[0] + " WHERE "
                + isStandIn(l[1]) + ")").toList());
    }

    @Override
    public long resolveSettled() {
        boolean any = tx.connected(READ, c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(anyStandIn())) {
                return rs.next() && rs.getBoolean(1);
            }
        });
        if (!any) {
            return 0;
        }
        return tx.transaction(WRITE, c -> {
            long changed = 0;
            try (Statement st = c.createStatement()) {
                for (String[] link : LINKS) {
                    changed += st.executeUpdate(resolve(tx.dialect, link[0], link[1]));
                }
            }
            return changed;
        });
    }
}
