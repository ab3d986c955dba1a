package dev.mcphealth.adapter.mcp.di;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcphealth.adapter.mcp.Gateway;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ServerOptionsTest {
    private static ServerOptions parse(String... args) {
        ServerOptions o = new ServerOptions();
        new CommandLine(o).parseArgs(args);
        return o;
    }

    @Test
    void theGatewaysToolRefreshDefaultsToAMinuteAndIsCheckedWithItsFlag() {
        assertEquals(Gateway.REFRESH_EVERY, parse("--config", "x.json", "--gateway").toolsRefresh());
        assertEquals(Duration.ofSeconds(5), parse("--config", "x.json", "--gateway", "--tools-refresh", "5")
                .toolsRefresh());
        assertEquals(Optional.of("--tools-refresh needs --gateway (only the gateway serves the upstreams' tools)"),
                parse("--config", "x.json", "--tools-refresh", "5").usageProblem());
        assertEquals(Optional.of("--tools-refresh must be 1..86400 seconds, got 0"),
                parse("--config", "x.json", "--gateway", "--tools-refresh", "0").usageProblem());
        assertEquals(Optional.empty(), parse("--config", "x.json", "--gateway", "--tools-refresh", "60")
                .usageProblem());
    }
}
