package dev.mcphealth.adapter.cli.di;

import dev.mcphealth.testkit.EverythingServer;
import dev.mcphealth.testkit.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * A configuration of the real stdio servers from npm, {@code everything} (server-everything) and {@code memory}
 * (server-memory), as a user would write it. Each server is started with one more argument, which both ignore: a
 * marker (the test's own directory), by which every process of theirs can be found, an orphan included, whoever its
 * parent is by then.
 */
final class StdioServers {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private StdioServers() {
    }

    /**
     * Writes the configuration to {@code file}. With {@code memoryStarts} false the memory server's command is a script
     * that does not exist: node exits at once, every time, so that server fails for as long as this configuration is
     * used (its name stays, so that a later run with the good command carries its episode on and closes it).
     */
    static Path config(Path file, String marker, boolean memoryStarts) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Map<String, Object> everything = new LinkedHashMap<>();
        everything.put("command", "node");
        everything.put("args", List.of(EverythingServer.entryPoint().toString(), "stdio", marker));
        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("command", "node");
        memory.put("args", List.of(memoryStarts
                ? RepoPaths.nodeModule("@modelcontextprotocol/server-memory/dist/index.js").toString()
                : dir.resolve("no-such-server.js").toString(), marker));
        memory.put("env", Map.of("MEMORY_FILE_PATH", dir.resolve("memory.jsonl").toString()));
        Map<String, Object> servers = new LinkedHashMap<>();
        servers.put("everything", everything);
        servers.put("memory", memory);
        Files.writeString(file, JSON.writeValueAsString(Map.of("mcpServers", servers)));
        return file;
    }

    /** The live server processes started with {@code marker}, whoever started them. */
    static List<ProcessHandle> running(String marker) {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(a -> Arrays.asList(a).contains(marker)).orElse(false))
                .filter(p -> !zombie(p))
                .toList();
    }

    /** A process that has ended and waits for its parent to read its exit status: nothing of it runs any more. */
    static boolean zombie(ProcessHandle p) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
            // pid (comm) state ...: the state follows the last ')' (a command may contain one)
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true; // gone
        }
    }
}
