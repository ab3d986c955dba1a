package dev.mcphealth.infrastructure.di;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.mcphealth.application.catalog.LiveServerCatalog;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.infrastructure.config.ConfigLoader;
import dev.mcphealth.infrastructure.config.HealthConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The provider methods, called directly (unit tests do not build components). */
class ConfigModuleTest {
    private final HealthConfig config = new ConfigLoader(Map.<String, String>of()::get).parse("""
            {"mcpServers": {"x": {"command": "a"}, "y": {"command": "b"}}}
            """, Path.of("mcp.json"));

    @Test
    void theCatalogIsTheLiveCatalogOfTheConfiguredServersAndTheConfigurationStaysAsLoaded() {
        LiveServerCatalog live = ConfigModule.liveCatalog(config);
        assertEquals(config.servers(), live.servers());
        assertSame(live, ConfigModule.catalog(live));

        MonitoredServer x = live.server(ServerId.of("x")).orElseThrow();
        live.replace(x.withTimeout(Duration.ofSeconds(2)));

        assertEquals(Duration.ofSeconds(2), ConfigModule.catalog(live).server(x.id()).orElseThrow().timeout());
        assertEquals(x, config.server(x.id()).orElseThrow(), "the configuration is not written");
    }
}
