package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.testkit.PostgresServer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh, migrated PostgreSQL database per test (a copy of one migrated once), in the test JVM's one real server
 * ({@link PostgresServer#shared()}), dropped after it: {@code @RegisterExtension final TempPostgres database = new TempPostgres();} then
 * {@code database.db()}.
 */
final class TempPostgres implements BeforeEachCallback, AfterEachCallback {
    /** A database migrated once, copied for each test (Flyway then finds its schema current). */
    private static String template;

    private DatabaseTarget.Postgres target;
    private PostgresDatabase db;

    private static synchronized String template() {
        if (template == null) {
            DatabaseTarget.Postgres t = PostgresServer.shared().database();
            PostgresDatabase.open(t).close();
            template = t.database();
        }
        return template;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        target = PostgresServer.shared().copyOf(template());
        db = PostgresDatabase.open(target);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        db.close();
        PostgresServer.shared().drop(target.database());
    }

    PostgresDatabase db() {
        return db;
    }

    DatabaseTarget.Postgres target() {
        return target;
    }

    /** Runs {@code sql} in this test's database. */
    void execute(String sql) {
        PostgresServer.shared().execute(target.database(), sql);
    }

    /**
     * Makes PostgreSQL refuse inserts into {@code table} whose row matches {@code when} (on NEW), as a full disk
     * would, mid-batch: the same refusal {@link Sql#refuseInserts} makes SQLite's.
     */
    void refuseInserts(String table, String when) {
        execute("CREATE FUNCTION refuse_" + table + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF " + when
                + " THEN RAISE EXCEPTION 'disk is full'; END IF; RETURN NEW; END $$");
        execute("CREATE TRIGGER refuse_" + table + " BEFORE INSERT ON " + table + " FOR EACH ROW EXECUTE FUNCTION"
                + " refuse_" + table + "()");
    }
}
