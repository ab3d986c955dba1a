package dev.mcphealth.adapter.cli.di;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.testkit.ChaosFigures;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The database under a running {@code mcp-health watch} (a real process, over the real stdio servers of npm at a 1 s
 * interval) made unusable by real means, then usable again: locked by another connection, on a file system that goes
 * read-only, on a full one, deleted, and damaged. For each: what the user is told (once, on stderr), how long the watch
 * took to notice and to write again, the rows measured meanwhile and written after, the rows lost, the exit code.
 *
 * <p>Read-only is made as the kernel makes it in the field: an ext4 error on a file system mounted
 * {@code errors=remount-ro} (ext4's own {@code trigger_fs_error} hook), after which every write of the open file fails;
 * then the admin's repair, {@code e2fsck} and a mount of the repaired file system at the same place. A plain
 * {@code mount -o remount,ro} is refused by the kernel (busy) while a file on it is open for writing, which the
 * database always is. Both need root and loop devices: without them the test is skipped, saying why.
 *
 * <p>The suite holds each fault a few seconds, once; {@code -Pchaos} longer and three times
 * ({@code -Dmcphealth.chaos.db.rounds}, {@code .lockedSeconds}, {@code .faultSeconds}).
 */
class ChaosDatabaseIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration NOTICE = Duration.ofSeconds(30);
    private static final String WARNING = "mcp-health: warn: ";

    @TempDir
    Path dir;
    private Path config;

    @BeforeEach
    void servers() throws IOException {
        config = StdioServers.config(dir.resolve("mcp.json"), dir.toAbsolutePath().toString(), true);
    }

    /** A fault the test puts on the database under a running watch, and takes away. */
    private interface Fault {
        /** Before the test notes what is committed: for what must happen before that. */
        default void prepare() throws Exception {
        }

        void begin() throws Exception;

        void end() throws Exception;
    }

    /** What a watch under a fault gave, its rounds summed. */
    private record Outcome(int exit, String err, List<String> said, List<Long> noticeMs, List<Long> recoverMs,
                           long measuredUnderFault, long seenCommitted, Set<String> lost, long probes, long rows) {
        long notRecorded() {
            return probes - rows;
        }

        long lostCommitted() {
            return lost.size();
        }

        /** The probes among the rows lost (each probe writes one availability row). */
        long lostProbes() {
            return lost.stream().filter(k -> k.contains(" availability ")).count();
        }
    }

    @Test
    void lockedByAnotherConnectionTheRowsWaitAndAreAllWrittenAfterSaidOnceWithItsEnd() throws Exception {
        Path db = dir.resolve("health.db");
        int rounds = ChaosFigures.scale("mcphealth.chaos.db.rounds", 1, 3);
        Duration hold = Duration.ofSeconds(ChaosFigures.scale("mcphealth.chaos.db.lockedSeconds", 10, 30));
        Connection[] holder = new Connection[1];
        Outcome o = underFaults(db, rounds, hold, new Fault() {
            @Override
            public void begin() throws SQLException {
                SQLiteConfig c = new SQLiteConfig();
                c.setBusyTimeout(10_000);
                holder[0] = c.createConnection("jdbc:sqlite:" + db);
                try (Statement s = holder[0].createStatement()) {
                    s.execute("BEGIN EXCLUSIVE"); // longer than the writer's busy timeout (5 s): its flushes fail
                }
            }

            @Override
            public void end() throws SQLException {
                try (Statement s = holder[0].createStatement()) {
                    s.execute("ROLLBACK");
                }
                holder[0].close();
            }
        });

        figures("database locked", "another connection's BEGIN EXCLUSIVE held " + hold.toSeconds() + " s", rounds, o);
        assertEquals(0, o.exit(), "everything recorded in the end: " + o.err());
        assertSaidOncePerRound(o, rounds);
        assertCause(o, db, "database is locked");
        assertEquals(0, o.lostCommitted(), "no committed row lost");
        assertEquals(0, o.notRecorded(), "a row for every probe the watch made");
        assertTrue(o.measuredUnderFault() >= rounds * 2L, "rows measured under the lock, written after it: "
                + o.measuredUnderFault());
    }

    @Test
    void fullTheRowsWaitAndAreWrittenOnceThereIsRoomAndTheMessageNamesTheFullDisk() throws Exception {
        Path mnt = Files.createDirectory(dir.resolve("small"));
        mountOrSkip("a 4 MiB tmpfs", "mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mnt.toString());
        try {
            Path db = mnt.resolve("health.db");
            Path filler = mnt.resolve("filler");
            int rounds = ChaosFigures.scale("mcphealth.chaos.db.rounds", 1, 3);
            Duration hold = Duration.ofSeconds(ChaosFigures.scale("mcphealth.chaos.db.faultSeconds", 5, 20));
            Outcome o = underFaults(db, rounds, hold, new Fault() {
                @Override
                public void begin() throws IOException {
                    fill(filler);
                }

                @Override
                public void end() throws IOException {
                    Files.delete(filler);
                }
            });

            figures("database full", "a filler file took the last byte of a 4 MiB tmpfs for " + hold.toSeconds()
                    + " s", rounds, o);
            assertEquals(0, o.exit(), "everything recorded in the end: " + o.err());
            assertSaidOncePerRound(o, rounds);
            assertCause(o, db, "database or disk is full"); // not a cleanup's "no transaction is active"
            assertEquals(0, o.lostCommitted(), "no committed row lost");
            assertEquals(0, o.notRecorded(), "a row for every probe the watch made");
            assertTrue(o.measuredUnderFault() >= rounds * 2L, "rows measured while full, written after: "
                    + o.measuredUnderFault());
        } finally {
            unmount(mnt);
        }
    }

    @Test
    void onAFileSystemTheKernelTurnsReadOnlyTheRowsWaitUntilItIsRepairedAndAreWrittenThen() throws Exception {
        Path image = dir.resolve("disk.img");
        Path mnt = Files.createDirectory(dir.resolve("disk"));
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(32L << 20);
        }
        assertEquals(0, run("mkfs.ext4", "-q", "-F", image.toString()).exit());
        List<String> loops = new ArrayList<>();
        try {
            loops.add(attachOrSkip(image));
            mountOrSkip("an ext4 file system on a loop device", "mount", "-o", "errors=remount-ro", loops.get(0),
                    mnt.toString());
            Path trigger = Path.of("/sys/fs/ext4", Path.of(loops.get(0)).getFileName().toString(),
                    "trigger_fs_error");
            Assumptions.assumeTrue(Files.isWritable(trigger), "this kernel has no ext4 trigger_fs_error (" + trigger
                    + "): there is no other way to turn a file system read-only under an open file");
            Path db = mnt.resolve("health.db");
            int rounds = ChaosFigures.scale("mcphealth.chaos.db.rounds", 1, 3);
            Duration hold = Duration.ofSeconds(ChaosFigures.scale("mcphealth.chaos.db.faultSeconds", 5, 20));
            Set<String> writtenBack = new HashSet<>();
            Outcome o = underFaults(db, rounds, hold, new Fault() {
                @Override
                public void prepare() throws Exception {
                    // what the kernel has written to the disk survives its failure; what it has not may not: the rows
                    // of the two probes after this write-back are only in its cache when the file system fails
                    writtenBack.addAll(committedKeys(db));
                    assertEquals(0, run("sync", "-f", db.toString()).exit());
                    awaitProbes(db, 2);
                }

                @Override
                public void begin() throws IOException {
                    String device = Path.of(loops.get(loops.size() - 1)).getFileName().toString();
                    Files.writeString(Path.of("/sys/fs/ext4", device, "trigger_fs_error"), "chaos\n");
                }

                @Override
                public void end() throws Exception {
                    // the admin's repair: check the file system and mount it again where it was (over the failed
                    // one, which the watch still holds open: the path names the repaired one at once)
                    String device = attachOrSkip(image);
                    loops.add(device);
                    Done fsck = run("e2fsck", "-fy", device);
                    assertTrue(fsck.exit() <= 1, "e2fsck: " + fsck.out());
                    assertEquals(0, run("mount", "-o", "errors=remount-ro", device, mnt.toString()).exit());
                }
            });

            Set<String> missing = new HashSet<>(writtenBack);
            missing.removeAll(committedKeys(db));
            figures("database read-only", "ext4 turned read-only by an error (errors=remount-ro) for "
                    + hold.toSeconds() + " s, then checked (e2fsck) and mounted again at the same place", rounds, o);
            ChaosFigures.record("database read-only", "rows seen committed and lost with the failed file system"
                    + " (synchronous=FULL: every commit is on disk when it returns): " + o.lostCommitted() + " of "
                    + o.seenCommitted() + "; rows written back before: all " + writtenBack.size() + " kept");
            assertEquals(0, o.exit(), o.err());
            assertEquals(Set.of(), missing, "what the kernel had written back survives the failure and the repair");
            assertEquals(o.lostProbes(), o.notRecorded(), "every probe without its row is one whose committed row the"
                    + " failed file system took: the watch itself lost none");
            assertFalse(o.said().isEmpty(), o.err());
            for (String cause : o.said()) {
                assertTrue(cause.startsWith("cannot write ") && cause.contains(db.toString()), cause);
            }
            assertTrue(o.err().contains(WARNING + "database " + db + " was replaced by another file while in use:"
                    + " opened the file now there"), "the repaired file is noticed: " + o.err());
            assertSaidOncePerRound(o, rounds);
            assertTrue(o.measuredUnderFault() >= rounds * 2L, "rows measured while read-only, written after the"
                    + " repair: " + o.measuredUnderFault());
        } finally {
            unmount(mnt);
            for (String loop : loops) {
                run("losetup", "-d", loop);
            }
        }
    }

    @Test
    void deletedMidWatchItIsSaidOnceMadeAgainAndEveryRowAfterIsInTheNewFile() throws Exception {
        Path db = dir.resolve("health.db");
        int rounds = ChaosFigures.scale("mcphealth.chaos.db.rounds", 1, 3);
        List<Connection> deletedFiles = new ArrayList<>(); // each keeps its deleted file readable to the end
        List<Long> noticeMs = new ArrayList<>();
        List<Long> recoverMs = new ArrayList<>();
        long intoDeleted = 0;
        int exit;
        String err;
        try (WatchProcess watch = startWatch(db)) {
            for (int round = 1; round <= rounds; round++) {
                SQLiteConfig ro = new SQLiteConfig();
                ro.setReadOnly(true);
                Connection old = ro.createConnection("jdbc:sqlite:" + db);
                deletedFiles.add(old);
                count(old, "SELECT count(*) FROM integration_health_metrics"); // opens its log and index now
                Instant deletedAt = Instant.now();
                long deleted = System.nanoTime();
                Files.delete(db);
                Files.deleteIfExists(db.resolveSibling(db.getFileName() + "-wal"));
                Files.deleteIfExists(db.resolveSibling(db.getFileName() + "-shm"));

                noticeMs.add(ms(watch.awaitErr(nth(round, "was deleted while in use: created it again"), NOTICE,
                        "the deletion said").nanos() - deleted));
                SqliteReads.poll("the rows after the deletion in the new file", NOTICE, () -> Files.exists(db)
                        && SqliteReads.count(db, "SELECT count(*) FROM integration_health_metrics WHERE measured_at"
                        + " >= '" + SqliteReads.sqlTime(deletedAt) + "'") > 0);
                recoverMs.add(ms(System.nanoTime() - deleted));
                intoDeleted += count(old, "SELECT count(*) FROM integration_health_metrics WHERE measured_at >= '"
                        + SqliteReads.sqlTime(deletedAt) + "'");
                awaitProbes(db, 2);
            }
            exit = watch.terminate();
            err = watch.err();
        }
        long inDeleted = 0;
        for (Connection old : deletedFiles) {
            inDeleted += count(old, "SELECT count(*) FROM integration_health_metrics WHERE metric_type ="
                    + " 'availability'");
            old.close();
        }
        long probes = probesStarted(db);
        long rows = availabilityRows(db);
        List<String> said = err.lines().filter(l -> l.contains("deleted")).toList();

        ChaosFigures.record("database deleted", rounds + " deletion(s) of the file, its -wal and -shm under a watch;"
                + " said: \"" + (said.isEmpty() ? "nothing" : said.get(0)) + "\"");
        ChaosFigures.record("database deleted", "noticed after " + noticeMs + " ms; the first row after it in the"
                + " new file after " + recoverMs + " ms");
        ChaosFigures.record("database deleted", "rows measured after a deletion and written into the deleted file: "
                + intoDeleted + "; probes " + probes + " = rows in the new file " + rows + " + in the deleted ones "
                + inDeleted + " (not recorded anywhere: " + (probes - rows - inDeleted) + "); exit " + exit);
        assertEquals(0, exit, err);
        assertEquals(rounds, said.size(), "said once per deletion: " + err);
        assertEquals(0, intoDeleted, "nothing measured after the deletion went into the deleted file");
        assertEquals(probes, rows + inDeleted, "every probe has its row, in one file or the other");
        assertEquals(List.of("ok"), SqliteReads.readOnly(db, "PRAGMA integrity_check"));
        assertNoStackTrace(err);
    }

    @Test
    void aFileWithGarbageInItsHeaderIsRefusedAtStartWithOneLineAndLeftAsItWas() throws Exception {
        Path db = dir.resolve("health.db");
        try (Connection c = new SQLiteConfig().createConnection("jdbc:sqlite:" + db);
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE notes (text TEXT)");
            s.execute("INSERT INTO notes VALUES ('a user''s rows')");
        }
        try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
            byte[] garbage = new byte[100]; // the whole SQLite header
            new Random(13).nextBytes(garbage);
            f.write(garbage);
        }
        byte[] before = Files.readAllBytes(db);
        long started = System.nanoTime();
        int exit;
        String err;
        try (WatchProcess watch = WatchProcess.start("watch", "--config", config.toString(), "--db", db.toString(),
                "--interval", "1", "--json")) {
            exit = watch.exit(START);
            err = watch.err();
        }
        long took = ms(System.nanoTime() - started);
        ChaosFigures.record("database corrupt", "garbage in the header at start: exit " + exit + " after " + took
                + " ms, said: \"" + err.strip() + "\"");
        assertEquals(3, exit, err);
        assertEquals("mcp-health: cannot open database " + db + ": file is not a database\n", err);
        assertTrue(Arrays.equals(before, Files.readAllBytes(db)), "the refused file is left as it was");
    }

    @Test
    void overwrittenInPlaceWhileWrittenTheWatchSaysTheFileIsDamagedAndExitsThree() throws Exception {
        Path db = dir.resolve("health.db");
        // a file with rows in its pages, not only in its log: a watch that stopped cleanly copied them there
        try (WatchProcess first = WatchProcess.start("watch", "--config", config.toString(), "--db", db.toString(),
                "--interval", "1", "--duration", "2s", "--json")) {
            assertEquals(0, first.exit(START), first.err());
        }
        long pages;
        int exit;
        String err;
        long damaged;
        try (WatchProcess watch = startWatch(db)) {
            awaitProbes(db, 2);
            // every page but the first (the header and the schema's root) overwritten in place: a tool or a copy
            // writing over the open file, a failing disk. The watch's connections hold the pages they read.
            try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
                pages = f.length() / 4096;
                byte[] garbage = new byte[(int) (f.length() - 4096)];
                new Random(29).nextBytes(garbage);
                f.seek(4096);
                f.write(garbage);
                f.getFD().sync();
            }
            damaged = System.nanoTime();
            assertFalse(watch.exitsWithin(Duration.ofSeconds(3)), "it goes on monitoring: " + watch.err());
            exit = watch.terminate();
            err = watch.err();
        }
        long took = ms(System.nanoTime() - damaged);
        List<String> told = err.lines().filter(l -> l.contains("is damaged")).toList();
        Done next = nextStart(db);
        ChaosFigures.record("database corrupt", pages + " pages of 4 KiB overwritten in place under a running watch:"
                + " exit " + exit + ", said at its end (" + took + " ms after): \"" + (told.isEmpty() ? "nothing"
                : told.get(0)) + "\"");
        ChaosFigures.record("database corrupt", "the next start on that file: exit " + next.exit() + ", said: \""
                + next.err().strip() + "\"");

        assertEquals(3, exit, "the record it was run to make is not readable: " + err);
        assertEquals(1, told.size(), err);
        assertTrue(told.get(0).startsWith("mcp-health: database " + db + " is damaged: "), told.get(0));
        assertNoStackTrace(err);
        assertNotEquals(List.of("ok"), integrity(db), "the test did damage it");
        assertEquals(3, next.exit(), "a damaged file is refused at the next start");
        assertEquals(1, next.err().lines().count(), next.err());
        assertNoStackTrace(next.err());
    }

    // ---- the run under faults ----------------------------------------------------------------------------------

    private Outcome underFaults(Path db, int rounds, Duration hold, Fault fault) throws Exception {
        List<Long> noticeMs = new ArrayList<>();
        List<Long> recoverMs = new ArrayList<>();
        List<Instant[]> windows = new ArrayList<>();
        Set<String> committed = new HashSet<>();
        int exit;
        String err;
        try (WatchProcess watch = startWatch(db)) {
            for (int round = 1; round <= rounds; round++) {
                fault.prepare();
                committed.addAll(committedKeys(db));
                Instant begun = Instant.now();
                long began = System.nanoTime();
                fault.begin();
                try {
                    noticeMs.add(ms(watch.awaitErr(nth(round, WARNING + "cannot record, "), NOTICE,
                            "the warning of round " + round).nanos() - began));
                    Duration left = hold.minusNanos(System.nanoTime() - began);
                    // a real wait: the fault lasts as long as it lasts; the watch must go on meanwhile
                    assertFalse(!left.isNegative() && watch.exitsWithin(left), "the watch ended under the fault: "
                            + watch.err());
                } finally {
                    fault.end();
                }
                Instant ended = Instant.now();
                long over = System.nanoTime();
                windows.add(new Instant[] {begun, ended});
                SqliteReads.poll("rows measured under the fault written", NOTICE, () -> SqliteReads.count(db,
                        "SELECT count(*) FROM integration_health_metrics WHERE measured_at BETWEEN '"
                        + SqliteReads.sqlTime(begun) + "' AND '" + SqliteReads.sqlTime(ended) + "'") > 0);
                recoverMs.add(ms(System.nanoTime() - over));
                watch.awaitErr(nth(round, WARNING + "recording again"), NOTICE, "the end of the warning");
                awaitProbes(db, 2);
            }
            exit = watch.terminate();
            err = watch.err();
        }
        assertNoStackTrace(err);
        assertEquals(List.of("ok"), integrity(db));
        Set<String> missing = new HashSet<>(committed);
        missing.removeAll(committedKeys(db));
        long measured = 0;
        for (Instant[] w : windows) {
            measured += SqliteReads.count(db, "SELECT count(*) FROM integration_health_metrics WHERE metric_type ="
                    + " 'availability' AND measured_at BETWEEN '" + SqliteReads.sqlTime(w[0]) + "' AND '"
                    + SqliteReads.sqlTime(w[1]) + "'");
        }
        List<String> said = err.lines().filter(l -> l.startsWith(WARNING + "cannot record, "))
                .map(l -> l.replaceFirst("^" + WARNING + "cannot record, [0-9]+ rows wait: ", "")).toList();
        return new Outcome(exit, err, said, noticeMs, recoverMs, measured, committed.size(), missing,
                probesStarted(db), availabilityRows(db));
    }

    private WatchProcess startWatch(Path db) throws Exception {
        WatchProcess watch = WatchProcess.start("watch", "--config", config.toString(), "--db", db.toString(),
                "--interval", "1", "--json");
        try {
            watch.awaitErr(l -> l.startsWith("mcp-health: watching"), START, "the watch's start");
            awaitProbes(db, 1);
            return watch;
        } catch (Throwable e) {
            watch.close();
            throw e;
        }
    }

    /** Waits until both servers have {@code n} probe rows measured from now on in the file. */
    private static void awaitProbes(Path db, int n) throws Exception {
        String since = SqliteReads.sqlTime(Instant.now());
        SqliteReads.poll(n + " probes of each server in the file", START, () -> Files.exists(db)
                && SqliteReads.count(db, "SELECT count(*) FROM (SELECT server_instance FROM integration_health_metrics"
                + " WHERE metric_type = 'availability' AND measured_at >= '" + since + "' GROUP BY server_instance"
                + " HAVING count(*) >= " + n + ")") == 2);
    }

    /**
     * Every row committed now, by its content (a row lost leaves its id to the next one written, so an id alone would
     * hide the loss).
     */
    private static Set<String> committedKeys(Path db) throws SQLException {
        Set<String> keys = new HashSet<>();
        keys.addAll(SqliteReads.readOnly(db, "SELECT 'metric ' || id || ' ' || server_instance || ' ' || metric_type"
                + " || ' ' || measured_at FROM integration_health_metrics"));
        keys.addAll(SqliteReads.readOnly(db, "SELECT 'failure ' || id || ' ' || server_instance || ' ' || occurred_at"
                + " FROM integration_failures"));
        keys.addAll(SqliteReads.readOnly(db, "SELECT 'alert ' || id FROM health_alerts"));
        return keys;
    }

    /** The probes the watch says it started, in its own row of the status board (written at its last flush). */
    private static long probesStarted(Path db) throws SQLException {
        JsonNode self = JSON.readTree(SqliteReads.readOnly(db, "SELECT snapshot FROM server_status WHERE"
                + " server_instance = 'mcp-health'").get(0));
        return Long.parseLong(self.get("details").get("probesStarted").stringValue());
    }

    private static long availabilityRows(Path db) throws SQLException {
        return SqliteReads.count(db, "SELECT count(*) FROM integration_health_metrics WHERE metric_type ="
                + " 'availability'");
    }

    private static List<String> integrity(Path db) throws SQLException {
        try {
            return SqliteReads.readOnly(db, "PRAGMA integrity_check");
        } catch (SQLException e) {
            return List.of(String.valueOf(e.getMessage()));
        }
    }

    private Done nextStart(Path db) throws Exception {
        try (WatchProcess next = WatchProcess.start("watch", "--config", config.toString(), "--db", db.toString(),
                "--interval", "1", "--duration", "2s", "--json")) {
            int exit = next.exit(START);
            return new Done(exit, next.out(), next.err());
        }
    }

    private static void figures(String section, String fault, int rounds, Outcome o) {
        ChaosFigures.record(section, rounds + " x " + fault + "; said: \"" + String.join("\" | \"",
                distinct(o.said())) + "\"");
        ChaosFigures.record(section, "noticed after " + o.noticeMs() + " ms; writing again " + o.recoverMs()
                + " ms after the fault ended");
        ChaosFigures.record(section, "probes measured under the fault and written after: " + o.measuredUnderFault()
                + "; committed rows lost: " + o.lostCommitted() + " of " + o.seenCommitted() + "; probes without their"
                + " row: " + o.notRecorded() + " of " + o.probes() + "; exit " + o.exit());
    }

    /** Each warning names what could not be written, the file, and {@code cause}, as SQLite says it. */
    private static void assertCause(Outcome o, Path db, String cause) {
        for (String said : o.said()) {
            assertTrue(said.matches("cannot write [a-z ]+ to " + java.util.regex.Pattern.quote(db.toString()) + ": "
                    + java.util.regex.Pattern.quote(cause)), "the cause, named: " + said);
        }
    }

    private static void assertSaidOncePerRound(Outcome o, int rounds) {
        assertEquals(rounds, o.said().size(), "the warning once per fault: " + o.err());
        assertEquals(rounds, o.err().lines().filter(l -> l.startsWith(WARNING + "recording again")).count(),
                "and its end once: " + o.err());
    }

    private static void assertNoStackTrace(String err) {
        assertFalse(err.contains("\tat ") || err.contains("Exception") || err.contains("dev.mcphealth."),
                "no stack trace or class name: " + err);
    }

    private static List<String> distinct(List<String> said) {
        return said.stream().distinct().toList();
    }

    /** Matches the {@code n}th line that contains {@code text}. */
    private static Predicate<String> nth(int n, String text) {
        int[] seen = new int[1];
        return l -> l.contains(text) && ++seen[0] == n;
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    // ---- the machine: mounts, loop devices, a full disk --------------------------------------------------------

    /** Writes {@code filler} until the file system has no byte left. */
    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[64 << 10];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left on device")) {
                throw e;
            }
        }
        try (RandomAccessFile f = new RandomAccessFile(filler.toFile(), "rw")) {
            // the last partial blocks: byte by byte until the very end
            f.seek(f.length());
            while (true) {
                f.write(0);
            }
        } catch (IOException full) {
            // full
        }
    }

    private static void mountOrSkip(String what, String... cmd) throws Exception {
        Done m = run(cmd);
        Assumptions.assumeTrue(m.exit() == 0, "cannot mount " + what + " here (the test needs root): "
                + m.out().strip());
    }

    private static String attachOrSkip(Path image) throws Exception {
        Done l = run("losetup", "-f", "--show", image.toString());
        Assumptions.assumeTrue(l.exit() == 0, "no loop device here (the test needs root and /dev/loop*): "
                + l.out().strip());
        return l.out().strip();
    }

    /** Unmounts everything mounted at {@code mnt}, the last first; lazily when a killed process still holds it. */
    private static void unmount(Path mnt) throws Exception {
        for (int i = 0; i < 10 && run("mountpoint", "-q", mnt.toString()).exit() == 0; i++) {
            if (run("umount", mnt.toString()).exit() != 0) {
                run("umount", "-l", mnt.toString());
            }
        }
    }

    /** A command of the machine, its output and exit code (60 s at most). */
    private static Done run(String... cmd) throws Exception {
        Path out = Files.createTempFile("chaos-cmd", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " did not end within 60 s");
            }
            return new Done(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), "");
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
