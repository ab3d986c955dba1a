package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.testkit.AlertReceivers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code health.alerts} honoured by {@code bin/mcp-health-server} as by {@code watch} and the library: a server whose
 * process cannot start goes offline, and the alerts file and the webhook both get every event, in the same order.
 */
class ServerAlertsIT {
    @TempDir
    Path dir;

    @Test
    void theServerSendsItsEventsToTheAlertsTargetsOfTheConfiguration() throws Exception {
        try (AlertReceivers targets = AlertReceivers.in(dir)) {
            Path config = dir.resolve("mcp.json");
            Files.writeString(config, "{\"mcpServers\": {\"broken\": {\"command\": \"node\", \"args\": [\""
                    + dir.resolve("no-such-server.js") + "\"]}}, \"health\": {" + targets.json() + "}}");
            Path stderr = dir.resolve("stderr.txt");
            Process server = new ProcessBuilder(ServerProcess.command(List.of("--config", config.toString(), "--db",
                    dir.resolve("health.db").toString(), "--http", "0", "--interval", "1")))
                    .redirectError(stderr.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                targets.awaitSameEvents(Duration.ofSeconds(60), "broken", "status_changed", "alert");
                server.destroy(); // SIGTERM, as a service manager stops it
                assertTrue(server.waitFor(30, TimeUnit.SECONDS), "it stops");
                assertEquals(0, server.exitValue(), Files.readString(stderr, StandardCharsets.UTF_8));
            } finally {
                server.destroyForcibly();
            }
            // what the stop delivered, too, reached both
            targets.awaitSameEvents(Duration.ofSeconds(10), "broken", "status_changed", "alert");
        }
    }
}
