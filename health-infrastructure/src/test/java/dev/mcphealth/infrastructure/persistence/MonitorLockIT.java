package dev.mcphealth.infrastructure.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.out.StorageUnavailableException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One monitor per database file, with real processes: refused while another holds it, free once it is killed. */
class MonitorLockIT {
    @TempDir
    Path dir;

    private static Process holder(Path db) throws Exception {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), MonitorLockHolder.class.getName(), db.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static String firstLine(Process p) throws Exception {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }

    @Test
    void aSecondMonitorInThisProcessIsRefusedUntilTheFirstCloses() {
        Path db = dir.resolve("health.db");
        MonitorLock first = MonitorLock.acquire(db);
        StorageUnavailableException e = assertThrows(StorageUnavailableException.class, () -> MonitorLock.acquire(db));
        assertEquals("database " + db + " is in use by another monitor (process " + ProcessHandle.current().pid()
                + "); run one monitor per database file, or give this one another database", e.getMessage());
        assertThrows(StorageUnavailableException.class, () -> MonitorLock.acquire(dir.resolve("x/../health.db")),
                "another name of the same file");
        first.close();
        MonitorLock.acquire(db).close();
        assertTrue(Files.exists(dir.resolve("health.db.lock")), "the lock file stays; only the lock counts");
    }

    @Test
    void aLinkToADatabaseNotMadeYetLocksWhatItWillBe() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("later.db"), dir.resolve("real.db"));
        try (MonitorLock first = MonitorLock.acquire(link)) {
            assertEquals(dir.resolve("real.db.lock"), first.file());
            Files.createFile(dir.resolve("real.db"));
            assertThrows(StorageUnavailableException.class, () -> MonitorLock.acquire(link), "made meanwhile");
        }
    }

    @Test
    void aSymbolicLinkToTheDatabaseIsTheDatabase() throws Exception {
        Path db = Files.createFile(dir.resolve("health.db"));
        Path link = Files.createSymbolicLink(dir.resolve("other-name.db"), db);
        try (MonitorLock first = MonitorLock.acquire(link)) {
            assertEquals(dir.resolve("health.db.lock"), first.file(), "the lock is beside the file itself");
            assertThrows(StorageUnavailableException.class, () -> MonitorLock.acquire(db), "the file by its name");
        }
        try (MonitorLock first = MonitorLock.acquire(db)) {
            assertThrows(StorageUnavailableException.class, () -> MonitorLock.acquire(link), "the file by a link");
        }
    }

    @Test
    void aMonitorInAnotherProcessIsNamedByItsPidAndItsLockIsFreeOnceItIsKilled() throws Exception {
        Path db = dir.resolve("health.db");
        Process other = holder(db);
        try {
            assertEquals("locked", firstLine(other));
            StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                    () -> MonitorLock.acquire(db));
            assertEquals("database " + db + " is in use by another monitor (process " + other.pid() + "); run one"
                    + " monitor per database file, or give this one another database", e.getMessage());

            Process third = holder(db);
            assertEquals("database " + db + " is in use by another monitor (process " + other.pid() + "); run one"
                    + " monitor per database file, or give this one another database", firstLine(third));
            assertTrue(third.waitFor(30, TimeUnit.SECONDS));
            assertEquals(3, third.exitValue());

            Process kill = new ProcessBuilder("kill", "-9", Long.toString(other.pid())).start();
            assertEquals(0, kill.waitFor());
            assertTrue(other.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, other.exitValue(), "killed by SIGKILL: nothing of it ran to release the lock");

            try (MonitorLock mine = MonitorLock.acquire(db)) {
                assertEquals(List.of(Long.toString(ProcessHandle.current().pid())),
                        Files.readAllLines(mine.file()), "the lock file names its holder");
            }
        } finally {
            other.destroyForcibly();
        }
    }
}
