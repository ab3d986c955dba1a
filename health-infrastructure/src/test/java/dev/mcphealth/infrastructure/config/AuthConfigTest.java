package dev.mcphealth.infrastructure.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.model.ServerId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** health.servers.&lt;name&gt;.auth: a server's OAuth client. The secret is never in a message or a toString. */
class AuthConfigTest {
    private static final String SECRET = "cc-secret-value-never-shown";

    @TempDir
    Path dir;

    private HealthConfig parse(String auth, Map<String, String> env) {
        String json = "{\"mcpServers\": {\"t\": {\"type\": \"http\", \"url\": \"https://t.example/mcp\"},"
                + " \"s\": {\"command\": \"node\"}}, \"health\": {\"servers\": {\"t\": {\"auth\": " + auth + "}}}}";
        return new ConfigLoader(env::get).parse(json, dir.resolve("mcp.json"));
    }

    private String error(String auth, Map<String, String> env) {
        String m = assertThrows(ConfigException.class, () -> parse(auth, env)).getMessage();
        assertFalse(m.contains(SECRET), m);
        return m;
    }

    private OAuthSettings settings(HealthConfig c) {
        return ((Endpoint.Http) c.endpoint(ServerId.of("t")).orElseThrow()).oauth().orElseThrow();
    }

    @Test
    void aSecretFromTheEnvironmentMeansClientCredentialsWithBasicAuthentication() {
        HealthConfig c = parse("{\"clientId\": \"health\", \"clientSecretEnv\": \"CC\", \"scopes\": [\"a:read\"]}",
                Map.of("CC", SECRET));
        OAuthSettings s = settings(c);
        assertEquals(OAuthSettings.Grant.CLIENT_CREDENTIALS, s.grant());
        assertEquals(OAuthSettings.ClientAuth.CLIENT_SECRET_BASIC, s.clientAuth());
        assertEquals(Optional.of(SECRET), s.clientSecret());
        assertEquals(List.of("a:read"), s.scopes());
        Endpoint e = c.endpoint(ServerId.of("t")).orElseThrow();
        assertTrue(e.secrets().contains(SECRET), "redacted like any secret");
        assertFalse(e.toString().contains(SECRET) || s.toString().contains(SECRET), e.toString());
    }

    @Test
    void aCredentialInTheUrlStaysASecretOfAServerWithOAuth() {
        // the OAuth settings make the endpoint anew: what the URL took from a credential variable goes with it
        String json = "{\"mcpServers\": {\"t\": {\"type\": \"http\", \"url\": \"https://t.example/${T_KEY}/mcp\"}},"
                + " \"health\": {\"servers\": {\"t\": {\"auth\": {\"clientId\": \"health\"}}}}}";
        Endpoint.Http e = (Endpoint.Http) new ConfigLoader(Map.of("T_KEY", SECRET)::get)
                .parse(json, dir.resolve("mcp.json")).endpoint(ServerId.of("t")).orElseThrow();
        assertTrue(e.oauth().isPresent());
        assertTrue(e.secrets().contains(SECRET), "redacted like any secret");
        assertEquals("https://t.example/***/mcp", e.display());
    }

    @Test
    void noClientIdMeansAPublicClientThatRegistersItselfAtSignIn() {
        OAuthSettings s = settings(parse("{}", Map.of()));
        assertEquals(OAuthSettings.Grant.AUTHORIZATION_CODE, s.grant());
        assertEquals(OAuthSettings.ClientAuth.NONE, s.clientAuth());
        assertTrue(s.clientId().isEmpty());
    }

    @Test
    void noSecretMeansAPersonSignsIn() {
        OAuthSettings s = settings(parse("{\"clientId\": \"cli\"}", Map.of()));
        assertEquals(OAuthSettings.Grant.AUTHORIZATION_CODE, s.grant());
        assertEquals(OAuthSettings.ClientAuth.NONE, s.clientAuth());
    }

    @Test
    void aSecretFileAndAPrivateKeyFileAreReadRelativeToTheConfiguration() throws Exception {
        Files.writeString(dir.resolve("secret.txt"), SECRET + "\n");
        assertEquals(Optional.of(SECRET), settings(parse("{\"clientId\": \"h\", \"clientSecretFile\": \"secret.txt\"}",
                Map.of())).clientSecret());
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        byte[] der = g.generateKeyPair().getPrivate().getEncoded();
        Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(der) + "\n-----END PRIVATE KEY-----\n");
        OAuthSettings s = settings(parse("{\"clientId\": \"h\", \"privateKeyFile\": \"key.pem\"}", Map.of()));
        assertEquals(OAuthSettings.ClientAuth.PRIVATE_KEY_JWT, s.clientAuth());
        assertEquals("RSA", s.privateKey().orElseThrow().getAlgorithm());
    }

    @Test
    void mistakesAreNamedByTheirPathNeverWithTheSecret() throws Exception {
        assertTrue(error("{\"clientId\": \"h\", \"clientSecretEnv\": \"MISSING\"}", Map.of())
                .contains("$.health.servers.t.auth.clientSecretEnv: names the environment variable MISSING, which is"
                        + " not set"));
        assertTrue(error("{\"clientSecretEnv\": \"CC\"}", Map.of("CC", SECRET))
                .contains("the client_credentials grant needs a clientId"));
        assertTrue(error("{\"clientId\": \"h\", \"clientSecretEnv\": \"CC\", \"clientSecretFile\": \"x\"}",
                Map.of("CC", SECRET)).contains("not both"));
        assertTrue(error("{\"clientId\": \"h\", \"clientSecretFile\": \"nope.txt\"}", Map.of())
                .contains("cannot read") );
        Files.writeString(dir.resolve("rsa.pem"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        assertTrue(error("{\"clientId\": \"h\", \"privateKeyFile\": \"rsa.pem\"}", Map.of())
                .contains("openssl pkcs8 -topk8"));
        assertTrue(error("{\"grant\": \"password\"}", Map.of()).contains("unknown grant \"password\""));
        assertTrue(error("{\"grant\": \"authorization_code\", \"clientSecretEnv\": \"CC\"}", Map.of("CC", SECRET))
                .contains("a client secret or key needs the clientId it belongs to"));
        assertTrue(error("{\"clientId\": \"h\", \"scopes\": [\"a b\"]}", Map.of())
                .contains("$.health.servers.t.auth.scopes[0]"));
        assertTrue(error("{\"clientId\": \"h\", \"authorizationServer\": \"ftp://x\"}", Map.of())
                .contains("must be an absolute http:// or https:// URL"));
        assertTrue(error("{\"clientId\": \"h\", \"token\": \"x\"}", Map.of()).contains("unknown setting; known:"));
    }

    @Test
    void authIsPerServerAndForRemoteServersWithoutAnAuthorizationHeader() {
        String inDefaults = assertThrows(ConfigException.class, () -> new ConfigLoader(Map.<String, String>of()::get)
                .parse("{\"mcpServers\": {\"t\": {\"url\": \"https://t.example/mcp\"}}, \"health\": {\"defaults\":"
                        + " {\"auth\": {\"clientId\": \"h\"}}}}", dir.resolve("mcp.json"))).getMessage();
        assertTrue(inDefaults.contains("$.health.defaults.auth: is per server"), inDefaults);
        String stdio = assertThrows(ConfigException.class, () -> new ConfigLoader(Map.<String, String>of()::get)
                .parse("{\"mcpServers\": {\"s\": {\"command\": \"node\"}}, \"health\": {\"servers\": {\"s\":"
                        + " {\"auth\": {\"clientId\": \"h\"}}}}}", dir.resolve("mcp.json"))).getMessage();
        assertTrue(stdio.contains("is for servers over HTTP or SSE"), stdio);
        String both = assertThrows(ConfigException.class, () -> new ConfigLoader(Map.<String, String>of()::get)
                .parse("{\"mcpServers\": {\"t\": {\"url\": \"https://t.example/mcp\", \"headers\": {\"authorization\":"
                        + " \"Bearer " + SECRET + "\"}}}, \"health\": {\"servers\": {\"t\": {\"auth\": {\"clientId\":"
                        + " \"h\"}}}}}", dir.resolve("mcp.json"))).getMessage();
        assertTrue(both.contains("both authorize its requests; keep one"), both);
        String clear = assertThrows(ConfigException.class, () -> new ConfigLoader(Map.<String, String>of()::get)
                .parse("{\"mcpServers\": {\"t\": {\"url\": \"http://t.example/mcp\"}}, \"health\": {\"servers\":"
                        + " {\"t\": {\"auth\": {\"clientId\": \"h\"}}}}}", dir.resolve("mcp.json"))).getMessage();
        assertTrue(clear.contains("needs the server at an https:// URL"), clear);
        assertFalse(both.contains(SECRET), both);
    }
}
