package dev.mcphealth.infrastructure.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EndpointTest {

    private static Endpoint.Http http(String url, Map<String, String> headers) {
        return new Endpoint.Http(URI.create(url), headers, false);
    }

    @Test
    void httpSecretsAreHeaderValuesUserInfoAndQueryValues() {
        Endpoint.Http e = http("https://alice:pa55word@h.example/mcp?key=k-123&flag&empty=&region=eu-west",
                Map.of("Authorization", "Bearer abc", "X-Org", "org-7"));
        // whole values and their words (not the scheme), user info and its parts, query values
        assertEquals(Set.of("Bearer abc", "abc", "org-7", "alice:pa55word", "alice", "pa55word", "k-123", "eu-west"),
                Set.copyOf(e.secrets()));
    }

    @Test
    void basicCredentialsAreSecretDecodedToo() {
        String encoded = java.util.Base64.getEncoder().encodeToString("bob:hunter22".getBytes());
        Endpoint.Http e = http("https://h.example/mcp", Map.of("Authorization", "Basic " + encoded));
        assertEquals(Set.of("Basic " + encoded, encoded, "bob:hunter22", "bob", "hunter22"), Set.copyOf(e.secrets()));
    }

    @Test
    void aPlainUrlWithoutHeadersHasNoSecrets() {
        assertEquals(List.of(), http("https://h.example/mcp", Map.of()).secrets());
    }

    @Test
    void displayHidesUserInfoAndQuery() {
        Endpoint.Http e = http("https://alice:pa55word@h.example:8443/mcp/v1?key=k-123", Map.of("A", "Bearer abc"));
        assertEquals("https://h.example:8443/mcp/v1?…", e.display());
        assertEquals("http://localhost/sse", http("http://localhost/sse", Map.of()).display());
        assertEquals("Http[https://h.example:8443/mcp/v1?…, headers=[A], sse=false]", e.toString());
    }

    @Test
    void stdioSecretsAreEnvValuesAndDisplayShowsOnlyTheCommandLine() {
        Endpoint.Stdio s = new Endpoint.Stdio("npx", List.of("-y", "server"), Map.of("B", "bee-value", "A", "ay-value"),
                Optional.empty());
        assertEquals(Set.of("bee-value", "ay-value"), Set.copyOf(s.secrets()));
        assertEquals("npx -y server", s.display());
        assertEquals("Stdio[npx -y server, env=[A, B]]", s.toString());
    }

    @Test
    void collectionsAreCopied() {
        List<String> args = new ArrayList<>(List.of("a"));
        Map<String, String> env = new HashMap<>(Map.of("K", "v"));
        Endpoint.Stdio s = new Endpoint.Stdio("run", args, env, Optional.empty());
        args.add("b");
        env.put("L", "w");
        assertEquals(List.of("a"), s.args());
        assertEquals(Map.of("K", "v"), s.env());
        assertThrows(UnsupportedOperationException.class, () -> s.args().add("c"));
        assertEquals(List.of("v"), s.secrets());
    }
}
