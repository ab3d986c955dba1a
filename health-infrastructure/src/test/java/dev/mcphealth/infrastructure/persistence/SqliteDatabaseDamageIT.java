package dev.mcphealth.infrastructure.persistence;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.model.HealthMetric;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MetricType;
import dev.mcphealth.domain.model.MonitoredServer;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SqliteDatabase#damage()} on a real file: sound, overwritten in place while open (what the writes themselves
 * never notice), and with a header that is not SQLite's.
 */
class SqliteDatabaseDamageIT {
    private static final MonitoredServer SERVER = aServer().named("search-1").ofType("web_search").build();
    private static final Instant AT = Instant.parse("2026-11-23T10:15:30.123Z");

    @TempDir
    Path dir;

    private static void write(SqliteDatabase db, int from, int n) {
        List<HealthMetric> rows = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            rows.add(HealthMetric.of(SERVER, MetricType.AVAILABILITY, 1, HealthStatus.HEALTHY,
                    Map.of("n", Integer.toString(i)), AT.plusSeconds(i)));
        }
        new JdbcMetricStore(db).append(rows);
    }

    /** Overwrites {@code file} from byte {@code from} to its end with garbage, in place (same inode, same length). */
    private static void overwrite(Path file, long from, long seed) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            byte[] garbage = new byte[(int) (f.length() - from)];
            new Random(seed).nextBytes(garbage);
            f.seek(from);
            f.write(garbage);
        }
    }

    @Test
    void aSoundFileIsNotDamaged() {
        try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("health.db"))) {
            write(db, 0, 2_000);
            assertEquals(Optional.empty(), db.damage());
        }
    }

    @Test
    void pagesOverwrittenInPlaceWhileOpenAreFoundByReadingTheFileItself() throws Exception {
        Path file = dir.resolve("health.db");
        try (SqliteDatabase db = SqliteDatabase.open(file)) {
            write(db, 0, 2_000);
        } // closed: the rows are in the file's pages, no longer only in its log
        try (SqliteDatabase db = SqliteDatabase.open(file)) {
            write(db, 2_000, 10);
            overwrite(file, 4_096, 7); // every page but the first, under the open pool
            Optional<String> damage = db.damage();
            assertTrue(damage.isPresent(), "the overwritten pages are found");
            assertTrue(damage.get().startsWith("database " + file + " is damaged: "), damage.get());
            assertEquals(1, damage.get().lines().count(), "one line: " + damage.get());
            assertTrue(!damage.get().contains("***") && !damage.get().contains("Exception"), damage.get());
        }
    }

    @Test
    void aHeaderThatIsNotSqlitesIsSaidInSqlitesWords() throws Exception {
        Path file = dir.resolve("health.db");
        try (SqliteDatabase db = SqliteDatabase.open(file)) {
            write(db, 0, 10);
        }
        try (SqliteDatabase db = SqliteDatabase.open(file)) {
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                byte[] garbage = new byte[100];
                new Random(11).nextBytes(garbage);
                f.write(garbage);
            }
            assertEquals(Optional.of("database " + file + " is damaged: file is not a database"), db.damage());
        }
    }
}
