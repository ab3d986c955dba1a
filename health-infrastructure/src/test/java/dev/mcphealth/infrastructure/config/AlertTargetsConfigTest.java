package dev.mcphealth.infrastructure.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** health.alerts: where a watch sends events besides its own output. The webhook URL is a secret. */
class AlertTargetsConfigTest {
    private static final String TOKEN = "T000/B000/XXXXsecretXXXX";
    private static final String SERVERS = "{\"mcpServers\": {\"x\": {\"command\": \"a\"}}, \"health\": ";

    private static HealthConfig parse(String json, Map<String, String> env) {
        return new ConfigLoader(env::get).parse(json, Path.of("/etc/team/mcp.json"));
    }

    private static String error(String json) {
        return assertThrows(ConfigException.class, () -> parse(json, Map.of("HOOK", "https://hooks.example.com/"
                + TOKEN))).getMessage();
    }

    @Test
    void noAlertsMeansNoTargets() {
        assertEquals(AlertTargets.NONE, parse(SERVERS + "{}}", Map.of()).alerts());
        assertEquals(AlertTargets.NONE, parse("{\"mcpServers\": {\"x\": {\"command\": \"a\"}}}", Map.of()).alerts());
    }

    @Test
    void aFileRelativeToTheConfigurationAndAWebhookFromTheEnvironment() {
        HealthConfig c = parse(SERVERS + "{\"alerts\": {\"file\": \"events/alerts.jsonl\", \"webhook\": {\"url\":"
                + " \"${HOOK}\", \"headers\": {\"Authorization\": \"Bearer ${TOK}\"}}}}}",
                Map.of("HOOK", "https://hooks.example.com/" + TOKEN, "TOK", "abc"));
        assertEquals(Optional.of(Path.of("/etc/team/events/alerts.jsonl")), c.alerts().file());
        AlertTargets.Webhook w = c.alerts().webhook().orElseThrow();
        assertEquals(URI.create("https://hooks.example.com/" + TOKEN), w.url());
        assertEquals(Map.of("Authorization", "Bearer abc"), w.headers());
        assertFalse(c.alerts().toString().contains(TOKEN), c.alerts().toString());
        assertFalse(c.alerts().toString().contains("abc"), c.alerts().toString());
        assertTrue(c.alerts().toString().contains("https://hooks.example.com"));
    }

    @Test
    void badTargetsAreNamedWithoutTheirSecrets() {
        String notHttp = error(SERVERS + "{\"alerts\": {\"webhook\": {\"url\": \"ftp://h/" + TOKEN + "\"}}}}");
        assertTrue(notHttp.contains("$.health.alerts.webhook.url: must be an absolute http:// or https:// URL"),
                notHttp);
        assertFalse(notHttp.contains(TOKEN), notHttp);
        String unparsable = error(SERVERS + "{\"alerts\": {\"webhook\": {\"url\": \"https://h/a b/" + TOKEN
                + "\"}}}}");
        assertTrue(unparsable.contains("is not a valid URL"), unparsable);
        assertFalse(unparsable.contains(TOKEN), unparsable);
        assertTrue(error(SERVERS + "{\"alerts\": {\"email\": \"a@b\"}}}")
                .contains("$.health.alerts.email: unknown setting; known: file, webhook"));
        assertTrue(error(SERVERS + "{\"alerts\": {\"webhook\": {}}}}")
                .contains("$.health.alerts.webhook.url: needs the webhook's http:// or https:// URL"));
    }
}
