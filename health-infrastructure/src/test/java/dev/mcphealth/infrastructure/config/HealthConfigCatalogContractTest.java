package dev.mcphealth.infrastructure.config;

import dev.mcphealth.application.port.out.ServerCatalogContract;
import dev.mcphealth.application.port.out.ServerCatalogPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;

/** The loaded configuration, the real catalog, held to the contract its doubles keep (FixedCatalogContractTest). */
class HealthConfigCatalogContractTest extends ServerCatalogContract {
    @TempDir
    Path dir;

    @Override
    protected ServerCatalogPort catalog() {
        String servers = NAMES.stream().map(n -> "\"" + n + "\": {\"command\": \"node\", \"args\": [\"" + n
                + ".js\"]}").collect(Collectors.joining(", "));
        Path file = dir.resolve("mcp.json");
        try {
            Files.writeString(file, "{\"mcpServers\": {" + servers + "}}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ConfigLoader(Map.<String, String>of()::get).load(file);
    }
}
