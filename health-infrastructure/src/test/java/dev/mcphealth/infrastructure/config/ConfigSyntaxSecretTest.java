package dev.mcphealth.infrastructure.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A broken file must not have its text echoed: an unquoted value there may be a token. */
class ConfigSyntaxSecretTest {
    @Test
    void anUnquotedSecretInBrokenJsonIsNotEchoed() {
        String broken = "{\"mcpServers\": {\"x\": {\"command\": \"a\", \"env\": {\"KEY\": ghp_SECRETtoken123}}}}";

        ConfigException e = assertThrows(ConfigException.class,
                () -> new ConfigLoader(Map.<String, String>of()::get).parse(broken, Path.of("mcp.json")));

        assertTrue(e.getMessage().startsWith("mcp.json: line 1, column "), e.getMessage());
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
        assertFalse(e.getMessage().contains("ghp_"), e.getMessage());
    }
}
