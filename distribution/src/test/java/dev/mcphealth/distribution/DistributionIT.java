package dev.mcphealth.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.testkit.EverythingServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive a user downloads ({@code mvn package}: distribution/target/mcp-health-VERSION.tar.gz and .zip), unpacked
 * outside the repository and run as README says, with nothing but a Java runtime on the path (and node for the MCP
 * server it checks): {@code bin/mcp-health} checks a real server, {@code bin/mcp-health-server} starts, and neither
 * builds anything, reaches the repository or says a word on stderr about its class path.
 */
class DistributionIT {
    @TempDir
    static Path dir;
    static Path home;

    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void unpack() throws Exception {
        Path archive = Path.of(System.getProperty("mcphealth.dist.archive"));
        assertTrue(Files.isRegularFile(archive), archive + " is built by mvn package");
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", dir.toString())
                .redirectErrorStream(true).start();
        assertTrue(tar.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, tar.exitValue(), new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        home = dir.resolve("mcp-health-" + System.getProperty("mcphealth.dist.version"));
    }

    /**
     * Runs a program of the archive through a link to it (as from /usr/local/bin), with a PATH holding only java,
     * node and the two commands the scripts use (dirname, readlink): no Maven, no repository.
     */
    private static Run run(String program, String... args) throws Exception {
        return run(Map.of(), program, args);
    }

    /** As {@link #run(String, String...)}, with more in the environment (PATH: more directories after the tools). */
    private static Run run(Map<String, String> more, String program, String... args) throws Exception {
        Path tools = dir.resolve("tools");
        if (!Files.isDirectory(tools)) {
            Files.createDirectories(tools);
            Files.createSymbolicLink(tools.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));
            for (String command : List.of("node", "dirname", "readlink")) {
                Files.createSymbolicLink(tools.resolve(command), Path.of(new ProcessBuilder("sh", "-c", "command -v "
                        + command).start().inputReader().readLine()));
            }
            Files.createSymbolicLink(tools.resolve("mcp-health"), home.resolve("bin/mcp-health"));
            Files.createSymbolicLink(tools.resolve("mcp-health-server"), home.resolve("bin/mcp-health-server"));
        }
        List<String> cmd = new ArrayList<>(List.of("/bin/bash", tools.resolve(program).toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        Map<String, String> env = pb.environment();
        env.put("PATH", tools.toString());
        env.remove("JAVA_HOME");
        env.remove("MAVEN_HOME");
        env.remove("XDG_CACHE_HOME");
        env.remove("MCP_HEALTH_JAVA_OPTS");
        env.remove("MCP_HEALTH_CDS");
        more.forEach((k, v) -> env.put(k, k.equals("PATH") ? tools + ":" + v : v));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(program + " did not end");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** A configuration of one real server-everything over stdio, written in the temporary directory. */
    private static Path everythingOverStdio(String name) throws java.io.IOException {
        Path config = dir.resolve(name);
        Files.writeString(config, "{\"mcpServers\": {\"everything\": {\"command\": \"node\", \"args\": [\""
                + EverythingServer.entryPoint() + "\", \"stdio\"]}}}");
        return config;
    }

    @Test
    void theArchiveHoldsTheTwoProgramsAndEveryJarTheyNeed() throws Exception {
        assertTrue(Files.isExecutable(home.resolve("bin/mcp-health")));
        assertTrue(Files.isExecutable(home.resolve("bin/mcp-health-server")));
        assertTrue(Files.isRegularFile(home.resolve("lib/mcp-health.jar")));
        assertTrue(Files.isRegularFile(home.resolve("lib/mcp-health-server.jar")));
        assertTrue(Files.isRegularFile(home.resolve("examples/mcp.json")));
        assertTrue(Files.isRegularFile(home.resolve("README.md")));
        try (var jars = Files.list(home.resolve("lib"))) {
            List<String> names = jars.map(j -> j.getFileName().toString()).toList();
            assertTrue(names.stream().anyMatch(n -> n.startsWith("health-infrastructure-")), names.toString());
            assertTrue(names.stream().anyMatch(n -> n.startsWith("sqlite-jdbc-")), names.toString());
            assertFalse(names.stream().anyMatch(n -> n.contains("junit") || n.contains("-tests")), names.toString());
        }
    }

    @Test
    void theCliChecksARealServerWithOnlyAJavaRuntime() throws Exception {
        Run version = run("mcp-health", "--version");
        assertEquals(0, version.exit(), version.err());
        assertTrue(version.out().contains(System.getProperty("mcphealth.dist.version")), version.out());
        assertFalse(version.err().contains("SLF4J"), version.err());

        Path config = everythingOverStdio("mcp.json");
        Run check = run("mcp-health", "check", "--config", config.toString(), "--db",
                dir.resolve("health.db").toString(), "--json");
        assertEquals(0, check.exit(), check.out() + check.err());
        assertTrue(check.out().contains("\"overall\":\"healthy\""), check.out());
        assertFalse(check.err().contains("SLF4J") || check.err().contains("building"), check.err());
    }

    /**
     * Start-up: the first {@code check} leaves, in the user's cache, SQLite's native library (no longer copied out of
     * its jar by every process) and, made in the background from the classes that check loaded, a class data sharing
     * archive; every later command maps our classes from it. MCP_HEALTH_CDS=off does without. The check's own output
     * and exit are those of any check.
     */
    @Test
    void theFirstCheckLeavesAClassDataArchiveThatLaterCommandsMap() throws Exception {
        Path cache = dir.resolve("cache");
        Map<String, String> env = Map.of("XDG_CACHE_HOME", cache.toString(), "PATH", "/usr/bin:/bin");
        Path config = everythingOverStdio("cds.json");
        Run check = run(env, "mcp-health", "check", "--config", config.toString(), "--db",
                dir.resolve("cds.db").toString(), "--json");
        assertEquals(0, check.exit(), check.out() + check.err());
        assertTrue(check.out().startsWith("{\"overall\":\"healthy\""), check.out());
        assertEquals("", check.err());

        Path ours = cache.resolve("mcp-health");
        try (var kept = Files.walk(ours)) {
            assertTrue(kept.anyMatch(f -> f.getFileName().toString().equals("libsqlitejdbc.so")),
                    "SQLite's library kept in " + ours);
        }
        Path archive = null;
        for (int i = 0; i < 600 && archive == null; i++) { // the background maker takes a few seconds
            try (var files = Files.list(ours)) {
                archive = files.filter(f -> f.getFileName().toString().endsWith(".jsa")).findFirst().orElse(null);
            }
            if (archive == null) {
                Thread.sleep(100);
            }
        }
        assertTrue(archive != null, "no class data archive in " + ours + " a minute after the first check");

        Map<String, String> logged = new java.util.HashMap<>(env);
        logged.put("MCP_HEALTH_JAVA_OPTS", "-Xlog:class+load=info:stderr");
        Run version = run(logged, "mcp-health", "--version");
        assertEquals(0, version.exit(), version.err());
        assertTrue(version.err().contains("dev.mcphealth.adapter.cli.di.Main source: shared objects file"),
                "our classes mapped from the archive");

        logged.put("MCP_HEALTH_CDS", "off");
        Run without = run(logged, "mcp-health", "--version");
        assertEquals(0, without.exit(), without.err());
        assertFalse(without.err().contains("dev.mcphealth.adapter.cli.di.Main source: shared objects file"),
                "MCP_HEALTH_CDS=off: read from the jar");
        assertTrue(without.out().equals(version.out()), version.out() + " / " + without.out());
    }

    @Test
    void theMcpServerStartsWithOnlyAJavaRuntime() throws Exception {
        Run version = run("mcp-health-server", "--version");
        assertEquals(0, version.exit(), version.err());
        assertTrue(version.out().contains(System.getProperty("mcphealth.dist.version")), version.out());
        assertFalse(version.err().contains("SLF4J"), version.err());
    }
}
