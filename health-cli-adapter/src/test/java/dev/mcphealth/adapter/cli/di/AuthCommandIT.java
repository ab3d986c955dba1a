package dev.mcphealth.adapter.cli.di;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.testkit.OAuthProtectedServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code mcp-health auth} end to end, as a person would run it, with the packaged CLI in processes of their own: a
 * server that needs a person (authorization code + PKCE) is signed in to once, the browser's part played by an HTTP
 * client that follows the authorization server's redirect to the loopback address; {@code check} then gets its token
 * from the kept refresh token; {@code auth status} says so; {@code auth logout} forgets it, after which the check is an
 * authentication failure saying to sign in. A client credentials server needs no sign-in, and a revoked client is an
 * authentication failure. No token or secret is in any output, log or the database.
 */
class AuthCommandIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SECRET = "the-cc-secret-0f-health";

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    private Map<String, String> env() {
        return Map.of("MCP_HEALTH_TOKENS", dir.resolve("state/oauth-tokens.json").toString(),
                "HEALTH_CC_SECRET", SECRET);
    }

    private Run run(String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(WatchProcess.command(List.of(), args));
        pb.environment().remove("MCP_HEALTH_LOG");
        pb.environment().putAll(env());
        Process p = pb.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "mcp-health " + String.join(" ", args) + " ended");
        return new Run(p.exitValue(), out, err.get(10, TimeUnit.SECONDS));
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private Path config(OAuthProtectedServer rs) throws IOException {
        Path file = dir.resolve("mcp.json");
        Files.writeString(file, """
                {"mcpServers": {
                   "person": {"type": "http", "url": "%s"},
                   "machine": {"type": "http", "url": "%s"}
                 },
                 "health": {"servers": {
                   "person": {"auth": {"grant": "authorization_code", "clientId": "mcp-health-cli"}},
                   "machine": {"auth": {"clientId": "health", "clientSecretEnv": "HEALTH_CC_SECRET",
                                        "scopes": ["mcp:tools"]}}
                 }}}
                """.formatted(rs.mcpUrl(), rs.mcpUrl()));
        return file;
    }

    @Test
    void aPersonSignsInOnceThenChecksRenewTheirOwnTokensAndLogoutForgetsThem() throws Exception {
        try (OAuthProtectedServer rs = OAuthProtectedServer.builder().client("health", SECRET).expectResource()
                .start()) {
            Path config = config(rs);
            Path db = dir.resolve("health.db");

            Run before = run("auth", "status", "-c", config.toString(), "--json");
            assertEquals(1, before.exit(), "a server needs a sign-in: " + before);
            Run unsigned = run("check", "-c", config.toString(), "--db", db.toString(), "-s", "person", "--json");
            assertEquals(2, unsigned.exit(), unsigned.toString());
            assertTrue(unsigned.out().contains("authentication") && unsigned.out().contains("auth login person"),
                    unsigned.out());

            // the sign-in: the CLI prints the address; the "browser" opens it and follows the redirect back
            ProcessBuilder pb = new ProcessBuilder(WatchProcess.command(List.of(), "auth", "login", "person", "-c",
                    config.toString(), "--timeout", "60"));
            pb.environment().remove("MCP_HEALTH_LOG");
            pb.environment().putAll(env());
            Process login = pb.start();
            CompletableFuture<String> loginErr = CompletableFuture.supplyAsync(() -> read(login.getErrorStream()));
            BufferedReader out = new BufferedReader(new InputStreamReader(login.getInputStream(),
                    StandardCharsets.UTF_8));
            String address = out.readLine();
            assertTrue(address != null && address.startsWith(rs.issuer() + "/authorize?"), "the address: " + address
                    + "; " + loginErr.getNow(""));
            assertTrue(address.contains("code_challenge_method=S256") && address.contains("resource="), address);
            HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
            HttpResponse<String> toCallback = browser.send(HttpRequest.newBuilder(URI.create(address)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(302, toCallback.statusCode());
            String back = toCallback.headers().firstValue("Location").orElseThrow();
            assertTrue(back.startsWith("http://127.0.0.1:"), back);
            HttpResponse<String> page = browser.send(HttpRequest.newBuilder(URI.create(back)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(page.body().contains("Sign-in received"), page.body());
            String said = out.readLine();
            assertTrue(login.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, login.exitValue(), said + " " + loginErr.get());
            assertTrue(said.contains("Signed in to person") && said.contains("refresh token is kept"), said);

            Path tokens = dir.resolve("state/oauth-tokens.json");
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(tokens), "only its owner reads the token file");
            JsonNode kept = JSON.readTree(Files.readString(tokens)).get("tokens").get(rs.mcpUrl().toString());
            String refresh = kept.get("refreshToken").asString();
            String access = kept.get("accessToken").asString();

            Run checked = run("check", "-c", config.toString(), "--db", db.toString(), "--json");
            assertEquals(0, checked.exit(), checked.toString());
            Run status = run("auth", "status", "-c", config.toString(), "--json");
            assertEquals(0, status.exit(), status.toString());
            JsonNode person = JSON.readTree(status.out()).get("servers").get(0);
            assertEquals("person", person.get("server").asString());
            assertTrue(person.get("signedIn").asBoolean() && person.get("refreshable").asBoolean(), status.out());

            // a revoked client: the machine server's check says why
            rs.revoke("health");
            Run revoked = run("check", "-c", config.toString(), "--db", db.toString(), "-s", "machine", "--json");
            assertEquals(2, revoked.exit(), revoked.toString());
            assertTrue(revoked.out().contains("authentication") && revoked.out().contains("invalid_client"),
                    revoked.out());

            Run logout = run("auth", "logout", "person", "-c", config.toString());
            assertEquals(0, logout.exit(), logout.toString());
            Run after = run("check", "-c", config.toString(), "--db", db.toString(), "-s", "person", "--json");
            assertEquals(2, after.exit(), after.toString());
            assertTrue(after.out().contains("auth login person"), after.out());

            // no token, refresh token or secret anywhere but the token file
            List<String> outputs = new ArrayList<>(List.of(before.toString(), unsigned.toString(), said,
                    loginErr.get(), checked.toString(), status.toString(), revoked.toString(), logout.toString(),
                    after.toString(), address));
            outputs.addAll(rows(db));
            for (String o : outputs) {
                for (String secret : List.of(refresh, access, SECRET)) {
                    assertFalse(o.contains(secret), "a secret in: " + o);
                }
            }
        }
    }

    /** Every text cell of the database's tables. */
    private static List<String> rows(Path db) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String t : tables) {
                try (ResultSet rs = s.executeQuery("SELECT * FROM \"" + t + "\"")) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder(t);
                        for (int i = 1; i <= n; i++) {
                            row.append('|').append(rs.getString(i));
                        }
                        out.add(row.toString());
                    }
                }
            }
        }
        return out;
    }

    @Test
    void loginRefusesAServerWithoutOAuthAndAClientCredentialsServerWithAClearMessage() throws Exception {
        try (OAuthProtectedServer rs = OAuthProtectedServer.builder().client("health", SECRET).start()) {
            Path config = config(rs);
            Run unknown = run("auth", "login", "nobody", "-c", config.toString());
            assertEquals(3, unknown.exit());
            assertTrue(unknown.err().contains("no server named"), unknown.err());
            Run machine = run("auth", "login", "machine", "-c", config.toString(), "--timeout", "5");
            assertEquals(3, machine.exit());
            assertTrue(machine.err().contains("client_credentials grant: there is no one to sign in"),
                    machine.err());
            Matcher noTrace = Pattern.compile("\\tat |Exception").matcher(unknown.err() + machine.err());
            assertFalse(noTrace.find(), "no stack trace: " + machine.err());
        }
    }
}
