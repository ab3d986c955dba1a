package dev.mcphealth.infrastructure.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.out.StorageUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database opened on a thread of its own while a check's probes start: real SQLite files, opened once. */
class OpeningAheadIT {
    @TempDir
    Path dir;

    @Test
    void opensOnceAndHandsOutThatDatabase() throws Exception {
        Path file = dir.resolve("h.db");
        DatabaseTarget.OpeningAhead ahead = new DatabaseTarget.OpeningAhead(new DatabaseTarget.SqliteFile(file));
        ahead.start();
        ahead.start(); // once only

        Database db = ahead.open();
        assertSame(db, ahead.open(), "the one database, not another open");
        assertTrue(ahead.failure().isEmpty());
        assertEquals(file.toString(), ahead.name());
        try (var c = db.connection(); var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM"
                + " integration_health_metrics")) {
            assertTrue(rs.next(), "the schema is there");
        }
        ahead.close();
        assertThrows(java.sql.SQLException.class, db::connection, "closed");
    }

    @Test
    void aFailedOpenIsThrownAsItWasEachTimeAndNotTriedAgain() throws Exception {
        Path notADb = dir.resolve("notes.txt");
        Files.writeString(notADb, "not a database, just text\n".repeat(50));
        DatabaseTarget.OpeningAhead ahead = new DatabaseTarget.OpeningAhead(new DatabaseTarget.SqliteFile(notADb));
        ahead.start();

        StorageUnavailableException first = assertThrows(StorageUnavailableException.class, ahead::open);
        StorageUnavailableException again = assertThrows(StorageUnavailableException.class, ahead::open);
        assertSame(first, again, "what the one open threw, not a second open's");
        assertEquals("cannot open database " + notADb + ": file is not a database", first.getMessage());
        assertSame(first, ahead.failure().orElseThrow());
        ahead.close(); // nothing to close, nothing thrown
    }

    @Test
    void opensWhenAskedIfNeverStarted() {
        DatabaseTarget.OpeningAhead ahead = new DatabaseTarget.OpeningAhead(
                new DatabaseTarget.SqliteFile(dir.resolve("later.db")));
        ahead.close(); // never started: nothing opened
        assertTrue(Files.notExists(dir.resolve("later.db")), "closing opened nothing");

        Database db = ahead.open();
        assertSame(db, ahead.open());
        ahead.close();
    }
}
