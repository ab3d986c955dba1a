package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server and its database, as real processes: one monitor per database file (a second server on it is refused
 * with exit 3 until the first is killed), and exit 3 when rows could not be written at its stop. Stderr goes to a
 * file: a pipe read by a thread can lose the last line a process writes just before it exits (the JDK's process reaper
 * closes the pipe under the reader).
 */
class ServerDatabaseIT {
    @TempDir
    Path dir;

    private List<String> args(Path db) throws Exception {
        return List.of("--config", ServerProcess.config(dir).toString(), "--db", db.toString(), "--http", "0",
                "--interval", "1");
    }

    private Process start(Path db, Path stderr) throws Exception {
        return new ProcessBuilder(ServerProcess.command(args(db))).redirectError(stderr.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Waits until the server says it serves (its monitor lock is taken before). */
    private static void awaitServing(Process p, Path stderr) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Object lock = new Object();
        while (!Files.readString(stderr, StandardCharsets.UTF_8).contains("serving MCP on http://")) {
            assertTrue(p.isAlive(), "it serves: " + Files.readString(stderr, StandardCharsets.UTF_8));
            assertTrue(System.nanoTime() < deadline, "it serves within 60 s");
            synchronized (lock) {
                lock.wait(100); // another process's output: poll it
            }
        }
    }

    private static int sigterm(Process p) throws Exception {
        p.destroy();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "it stops");
        return p.exitValue();
    }

    @Test
    void aSecondServerOnTheSameDatabaseIsRefusedUntilTheFirstIsKilled() throws Exception {
        Path db = dir.resolve("health.db");
        Process first = start(db, dir.resolve("first.txt"));
        try {
            awaitServing(first, dir.resolve("first.txt"));
            Process second = start(db, dir.resolve("second.txt"));
            assertTrue(second.waitFor(60, TimeUnit.SECONDS), "it exits");
            String err = Files.readString(dir.resolve("second.txt"), StandardCharsets.UTF_8);
            assertEquals(3, second.exitValue(), err);
            assertEquals("mcp-health-server: the database cannot be used: database " + db + " is in use by another"
                    + " monitor (process " + first.pid() + "); run one monitor per database file, or give this one"
                    + " another database\n", err);

            Process kill = new ProcessBuilder("kill", "-9", Long.toString(first.pid())).start();
            assertEquals(0, kill.waitFor());
            assertTrue(first.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, first.exitValue(), "SIGKILL: nothing of it ran to release the lock");
        } finally {
            first.destroyForcibly();
        }
        Process again = start(db, dir.resolve("again.txt"));
        try {
            awaitServing(again, dir.resolve("again.txt")); // the lock went with the killed process
            assertEquals(0, sigterm(again), Files.readString(dir.resolve("again.txt"), StandardCharsets.UTF_8));
        } finally {
            again.destroyForcibly();
        }
    }

    @Test
    void rowsThatCannotBeWrittenAtTheStopMakeItExitThreeWithOneLine() throws Exception {
        Path db = dir.resolve("health.db");
        Path stderr = dir.resolve("stderr.txt");
        Process server = start(db, stderr);
        try {
            awaitServing(server, stderr);
            int exit;
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                 Statement s = c.createStatement()) {
                s.execute("BEGIN EXCLUSIVE"); // held through the stop, longer than the writer's busy timeout
                exit = sigterm(server);
                s.execute("ROLLBACK");
            }
            String err = Files.readString(stderr, StandardCharsets.UTF_8);
            assertEquals(3, exit, err);
            List<String> lines = err.lines().filter(l -> l.contains("not recorded")).toList();
            assertEquals(1, lines.size(), err);
            assertTrue(lines.get(0).matches("mcp-health-server: [0-9]+ rows not recorded: cannot write [a-z ]+ to "
                    + Pattern.quote(db.toString()) + ": database is locked"), lines.get(0));
        } finally {
            server.destroyForcibly();
        }
    }
}
