package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the server refuses to start: one clear line on stderr and exit 2, before it listens on anything. */
class ServerUsageIT {
    @TempDir
    Path dir;

    private String refused(List<String> args) throws Exception {
        return refused(args, java.util.Map.of());
    }

    private String refused(List<String> args, java.util.Map<String, String> env) throws Exception {
        try (ServerProcess p = ServerProcess.start(args, env)) {
            assertTrue(p.process.waitFor(60, TimeUnit.SECONDS), "it exits");
            assertEquals(2, p.process.exitValue(), String.join("\n", p.stderr));
            return p.stderrText();
        }
    }

    @Test
    void aNonLoopbackBindWithoutATokenIsRefused() throws Exception {
        String err = refused(List.of("--config", ServerProcess.config(dir).toString(), "--db",
                dir.resolve("h.db").toString(), "--http", "0", "--bind", "0.0.0.0"));
        assertTrue(err.contains("binding 0.0.0.0 (not loopback) needs a bearer token: pass --token-file"), err);
    }

    @Test
    void httpOptionsWithoutHttpAreRefused() throws Exception {
        String err = refused(List.of("--config", ServerProcess.config(dir).toString(), "--bind", "127.0.0.1"));
        assertTrue(err.contains("--bind needs --http PORT"), err);
    }

    @Test
    void aShortOrMissingTokenFileIsRefused() throws Exception {
        Path token = dir.resolve("token");
        java.nio.file.Files.writeString(token, "abc123");
        String err = refused(List.of("--config", ServerProcess.config(dir).toString(), "--http", "0",
                "--token-file", token.toString()));
        assertTrue(err.contains("the token is too short"), err);
        assertTrue(!err.contains("abc123"), "the token itself is not shown");
        String missing = refused(List.of("--config", ServerProcess.config(dir).toString(), "--http", "0",
                "--token-file", dir.resolve("nope").toString()));
        assertTrue(missing.contains("no such file"), missing);
        String endless = refused(List.of("--config", ServerProcess.config(dir).toString(), "--http", "0",
                "--token-file", "/dev/zero"));
        assertTrue(endless.contains("/dev/zero must hold one token: it is longer than 4096 bytes"), endless);
    }

    @Test
    void aMissingConfigIsRefused() throws Exception {
        String err = refused(List.of("--config", dir.resolve("absent.json").toString()));
        assertTrue(err.contains("absent.json"), err);
    }

    @Test
    void aServerStartedByMcpHealthRefusesToRecurse() throws Exception {
        String err = refused(List.of("--config", ServerProcess.config(dir).toString()),
                java.util.Map.of(dev.mcphealth.infrastructure.probe.ChildEnvironment.PARENT_PID, "4242"));
        assertTrue(err.contains("started by MCP Health (process 4242)") && err.contains("refusing to watch "
                + "recursively"), err);
    }
}
