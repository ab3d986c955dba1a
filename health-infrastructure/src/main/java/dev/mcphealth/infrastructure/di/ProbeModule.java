package dev.mcphealth.infrastructure.di;

import dagger.Module;
import dagger.Provides;
import dev.mcphealth.application.port.out.ProbePort;
import dev.mcphealth.application.port.out.SessionPort;
import dev.mcphealth.application.port.out.ToolCallPort;
import dev.mcphealth.infrastructure.auth.OAuthClients;
import dev.mcphealth.infrastructure.auth.TokenStore;
import dev.mcphealth.infrastructure.config.HealthConfig;
import dev.mcphealth.infrastructure.probe.McpProbe;
import io.modelcontextprotocol.json.McpJsonDefaults;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The MCP probe over the configured endpoints. */
@Module
public final class ProbeModule {
    private ProbeModule() {
    }

    @Provides
    @Singleton
    static McpProbe mcpProbe(HealthConfig config, Clock clock, RunSettings run, OAuthClients oauth) {
        String version = ProbeModule.class.getPackage().getImplementationVersion();
        return new McpProbe(config::endpoint, clock, System::nanoTime, McpJsonDefaults.getMapper(),
                version == null ? "dev" : version, run.asksClients(), oauth);
    }

    /**
     * The OAuth clients of the servers whose requests carry an access token (docs/authorization.md); the
     * authorization code grant's tokens in the file MCP_HEALTH_TOKENS names, else in the state directory.
     */
    @Provides
    @Singleton
    static OAuthClients oauthClients(Clock clock) {
        return new OAuthClients(clock, TokenStore.standard(System.getenv()), OAuthClients.TIMEOUT);
    }

    @Provides
    static ProbePort probe(McpProbe probe) {
        return probe;
    }

    @Provides
    static SessionPort sessions(McpProbe probe) {
        return probe;
    }

    @Provides
    static ToolCallPort calls(McpProbe probe) {
        return probe;
    }
}
