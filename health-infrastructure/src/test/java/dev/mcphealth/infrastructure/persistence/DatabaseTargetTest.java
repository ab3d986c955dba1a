package dev.mcphealth.infrastructure.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a --db value or MCP_HEALTH_DB names, and what of it may be shown. */
class DatabaseTargetTest {
    private static final Map<String, String> NO_ENV = Map.of();

    private static DatabaseTarget.Postgres pg(String url, Map<String, String> env) {
        return assertInstanceOf(DatabaseTarget.Postgres.class, DatabaseTarget.parse(url, env));
    }

    @Test
    void aPathIsASqliteFile() {
        assertEquals(new DatabaseTarget.SqliteFile(Path.of("state/health.db")),
                DatabaseTarget.parse("state/health.db", NO_ENV));
        assertEquals(new DatabaseTarget.SqliteFile(Path.of("postgresql:x")), DatabaseTarget.parse("postgresql:x",
                NO_ENV), "a file's name that only begins like a URL is still a file");
        assertThrows(IllegalArgumentException.class, () -> DatabaseTarget.parse(" ", NO_ENV));
    }

    @Test
    void aFullUrlGivesEveryPartAndItsNameHidesThePassword() {
        DatabaseTarget.Postgres t = pg("postgresql://monitor:p%40ss:w0rd@db.internal:6543/health"
                + "?sslmode=verify-full&connectTimeout=3", NO_ENV);
        assertEquals(new DatabaseTarget.Postgres("db.internal", 6543, "health", "monitor", Optional.of("p@ss:w0rd"),
                Map.of("sslmode", "verify-full", "connectTimeout", "3")), t);
        assertEquals("postgresql://monitor@db.internal:6543/health", t.name());
        assertEquals(t.name(), t.toString());
        assertEquals("jdbc:postgresql://db.internal:6543/health", t.jdbcUrl());
    }

    @Test
    void whatTheUrlLeavesOutComesFromThePgVariables() {
        Map<String, String> env = Map.of("PGHOST", "pg.example", "PGPORT", "5433", "PGUSER", "watcher",
                "PGPASSWORD", "from-env", "PGDATABASE", "mcp");
        assertEquals(new DatabaseTarget.Postgres("pg.example", 5433, "mcp", "watcher", Optional.of("from-env"),
                Map.of()), pg("postgresql://", env));
        assertEquals(new DatabaseTarget.Postgres("127.0.0.1", 5432, "ops", "ops", Optional.empty(), Map.of()),
                pg("postgres://ops@/", NO_ENV), "the database is the user's name; no password: the password file");
        assertEquals(new DatabaseTarget.Postgres("::1", 5432, "h", "u", Optional.of("p"), Map.of()),
                pg("postgresql://[::1]/h?user=u&password=p", NO_ENV));
        assertEquals("postgresql://u@[::1]:5432/h", pg("postgresql://[::1]/h?user=u&password=p", NO_ENV).name());
    }

    @Test
    void aUrlThatCannotBeUsedIsOneSentenceWithoutItsPassword() {
        for (String bad : new String[] {"postgresql://u:s3cret@host:99999/db", "postgresql://u:s3cret@host/a/b",
                "postgresql://u:s3cret@host/db?sslmode", "postgresql://u:s3cret@ho st/db",
                "postgresql://u:s3cret@host/db#x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DatabaseTarget.parse(bad, NO_ENV), bad);
            assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
        assertEquals("PGPORT is not a port number: fifty", assertThrows(IllegalArgumentException.class,
                () -> DatabaseTarget.parse("postgresql://h/db", Map.of("PGPORT", "fifty"))).getMessage());
        assertEquals("PGHOST /var/run/postgresql is a socket directory; give a host name: this program connects over"
                + " TCP", assertThrows(IllegalArgumentException.class, () -> DatabaseTarget.parse("postgresql:///db",
                Map.of("PGHOST", "/var/run/postgresql"))).getMessage());
    }

    @Test
    void aPasswordWithSlashesQuestionMarksOrAtSignsIsReadWholeAndShownNowhere() {
        DatabaseTarget.Postgres t = pg("postgresql://alice:1234/se?cr@t@db.internal/health", NO_ENV);
        assertEquals(new DatabaseTarget.Postgres("db.internal", 5432, "health", "alice", Optional.of("1234/se?cr@t"),
                Map.of()), t);
        assertEquals("postgresql://alice@db.internal:5432/health", t.name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatabaseTarget.parse("postgresql://alice:pa/ss@db:x/h", NO_ENV));
        assertEquals("the database URL postgresql://alice@db:x/h has a port that is not a number: x", e.getMessage());
    }

    @Test
    void aUrlOfAnotherFormIsRefusedUnquotedAndTheSchemeIsReadInAnyCase() {
        for (String other : new String[] {"jdbc:postgresql://u:s3cret@h/db", "postgresql:/u:s3cret@h/db",
                "mysql://u:s3cret@h/db"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DatabaseTarget.parse(other, NO_ENV), other);
            assertEquals("the database is a URL this program does not read: give a SQLite file, or PostgreSQL as"
                    + " postgresql://user@host:port/database", e.getMessage());
        }
        assertEquals("postgresql://u@h:5432/db", pg("PostgreSQL://u@h/db", NO_ENV).name());
        assertInstanceOf(DatabaseTarget.SqliteFile.class, DatabaseTarget.parse("C-drive/health.db", NO_ENV));
    }

    @Test
    void parametersAreTheDriversOrLibpqsAndAnUnknownOneIsRefused() {
        assertEquals(Map.of("connectTimeout", "3", "ApplicationName", "ops", "sslmode", "verify-full"),
                pg("postgresql://u@h/db?connect_timeout=3&application_name=ops", Map.of("PGSSLMODE", "verify-full"))
                        .parameters());
        assertEquals(Map.of("sslmode", "disable"),
                pg("postgresql://u@h/db?sslmode=disable", Map.of("PGSSLMODE", "verify-full")).parameters(),
                "the URL's own wins over the variable");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatabaseTarget.parse("postgresql://u:s3cret@h/db?colour=blue", NO_ENV));
        assertTrue(e.getMessage().startsWith("the database URL postgresql://u@h/db has a parameter this program does"
                + " not know: colour"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DatabaseTarget.parse("postgresql://u@h/db?PGHOST=x",
                NO_ENV));
    }
}
