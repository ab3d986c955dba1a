package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.testkit.RepoPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server writing 1,000 garbage lines a second on stdout for 8 s costs the monitor's log a few lines, summed up with
 * "repeated N more times", instead of 8,000 warnings; no line carries a Java class name.
 */
class LogFloodIT {
    @TempDir
    Path dir;

    @Test
    void aGarbageFloodIsRateLimitedWithASummary() throws Exception {
        Path hostile = RepoPaths.root().resolve("health-infrastructure/src/test/resources/doubles/"
                + "hostile-server-double.mjs");
        Path config = dir.resolve("mcp.json");
        Files.writeString(config, "{\"mcpServers\": {\"noisy\": {\"command\": \"node\", \"args\": [\"" + hostile
                + "\", \"garbage\", \"1000\"]}}}");
        Path stderr = dir.resolve("stderr.txt");
        // stderr goes to a file: read here through a pipe by a thread, the summary written at exit was missing in 2 of
        // 2 runs (not understood; run by hand through a pipe, the summary is there)
        Process p = new ProcessBuilder(ServerProcess.command(List.of("--config", config.toString(), "--db",
                dir.resolve("health.db").toString(), "--interval", "1", "--http", "0")))
                .redirectError(stderr.toFile()).redirectOutput(dir.resolve("out.txt").toFile()).start();
        try {
            // the 8 s are counted from the first garbage line the monitor logs, not from the JVM's start, which on a
            // loaded CI machine may take seconds of its own
            long deadline = System.currentTimeMillis() + 60_000;
            while (!Files.readString(stderr).contains("not JSON-RPC")) {
                assertTrue(p.isAlive() && System.currentTimeMillis() < deadline, () -> "no garbage logged within 60 s"
                        + " (alive: " + p.isAlive() + "); stderr:\n" + read(stderr));
                Thread.sleep(100);
            }
            assertTrue(!p.waitFor(8, TimeUnit.SECONDS), "the server keeps running");
        } finally {
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
        List<String> lines = Files.readAllLines(stderr);
        String all = String.join("\n", lines);
        List<String> garbage = lines.stream().filter(l -> l.contains("not JSON-RPC")).toList();
        assertTrue(garbage.size() >= 5 && garbage.size() <= 8, "5 in the burst, then summaries: " + garbage.size()
                + " lines; stderr:\n" + all);
        // hundreds of lines in one summary (1,000 a second from the double; 995 on a busy 2-core CI machine)
        assertTrue(garbage.stream().anyMatch(l -> l.matches(".*\\(repeated \\d{3,} more times in \\d+ s\\)")), all);
        assertEquals(List.of(), lines.stream().filter(l -> HostileFrames.LEAK.matcher(l).find()).toList(),
                "no Java class names, exceptions or stack frames on stderr");
        assertTrue(lines.size() < 40, "the whole log is short: " + lines.size() + " lines:\n" + all);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
