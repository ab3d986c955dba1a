package dev.mcphealth.infrastructure.persistence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh, migrated SQLite file per test, closed and deleted after it:
 * {@code @RegisterExtension final TempDatabase database = new TempDatabase();} then {@code database.db()}.
 */
final class TempDatabase implements BeforeEachCallback, AfterEachCallback {
    private Path dir;
    private SqliteDatabase db;
    private SqliteDatabase impatient;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("mcp-health-it");
        db = SqliteDatabase.open(dir.resolve("health.db"));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (impatient != null) {
            impatient.close();
            impatient = null;
        }
        db.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    SqliteDatabase db() {
        return db;
    }

    /**
     * A second handle on the same file whose statements wait only 100 ms for another process's lock: what a locked
     * database does to an adapter, without waiting the whole busy timeout (SqliteFailureStoreIT waits it once).
     */
    SqliteDatabase impatient() {
        if (impatient == null) {
            impatient = SqliteDatabase.open(db.file(), Duration.ofMillis(100));
        }
        return impatient;
    }

    Path file() {
        return db.file();
    }
}
