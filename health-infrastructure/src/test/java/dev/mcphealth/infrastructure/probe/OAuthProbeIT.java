package dev.mcphealth.infrastructure.probe;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.model.CallOutcome;
import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ProbeOutcome;
import dev.mcphealth.domain.model.ProbeReport;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.TransportKind;
import dev.mcphealth.infrastructure.auth.OAuthClient;
import dev.mcphealth.infrastructure.auth.OAuthClients;
import dev.mcphealth.infrastructure.auth.TokenStore;
import dev.mcphealth.infrastructure.config.Endpoint;
import dev.mcphealth.infrastructure.config.OAuthSettings;
import dev.mcphealth.infrastructure.config.OAuthSettings.ClientAuth;
import dev.mcphealth.infrastructure.config.OAuthSettings.Grant;
import dev.mcphealth.testkit.OAuthProtectedServer;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe (and the calls the gateway makes through it) against an OAuth-protected MCP server: a real authorization
 * server (oauth2-mock-server) and the MCP SDK's bearer-auth middleware ({@link OAuthProtectedServer}). The token is
 * found by discovery from the server alone (RFC 9728, RFC 8414), obtained with the client credentials grant, bound to
 * the server (RFC 8707), renewed before it expires and on a 401, stepped up on insufficient_scope; a client the
 * authorization server refuses is an {@code authentication} failure that says why, and no secret or token is ever in
 * what the probe reports.
 */
class OAuthProbeIT {
    private static final String SECRET = "s3cret-of-the-health-client";

    @TempDir
    Path dir;

    private final Map<ServerId, Endpoint> endpoints = new HashMap<>();
    private OAuthClients clients;
    private McpProbe probe;

    private McpProbe probe(Clock clock) {
        clients = new OAuthClients(clock, new TokenStore(dir.resolve("tokens.json")), Duration.ofSeconds(5));
        probe = new McpProbe(id -> Optional.ofNullable(endpoints.get(id)), Clock.systemUTC(), System::nanoTime,
                McpJsonDefaults.getMapper(), "test", false, clients);
        return probe;
    }

    @AfterEach
    void close() {
        if (probe != null) {
            probe.close();
        }
    }

    private MonitoredServer server(OAuthProtectedServer rs, OAuthSettings settings) {
        MonitoredServer server = aServer().named("protected").over(TransportKind.STREAMABLE_HTTP)
                .withTimeout(Duration.ofSeconds(5)).withConnectTimeout(Duration.ofSeconds(5)).build();
        endpoints.put(server.id(), new Endpoint.Http(rs.mcpUrl(), Map.of(), false, Optional.of(settings)));
        return server;
    }

    private static OAuthSettings clientCredentials(ClientAuth auth, List<String> scopes) {
        return new OAuthSettings(Grant.CLIENT_CREDENTIALS, Optional.of("health"), Optional.of(SECRET), auth,
                Optional.empty(), Optional.empty(), scopes, Optional.empty(), Optional.empty());
    }

    private OAuthClient client(OAuthProtectedServer rs, OAuthSettings settings) {
        return clients.forServer("protected", new Endpoint.Http(rs.mcpUrl(), Map.of(), false, Optional.of(settings)))
                .orElseThrow();
    }

    private static ProbeOutcome.Answered answered(ProbeReport report) {
        return assertInstanceOf(ProbeOutcome.Answered.class, report.outcome(), () -> "expected an answer: " + report);
    }

    private static ProbeOutcome.Failed failed(ProbeReport report) {
        return assertInstanceOf(ProbeOutcome.Failed.class, report.outcome(), () -> "expected a failure: " + report);
    }

    @Test
    void clientCredentialsFoundByDiscoveryAuthorizeTheProbeAndTheCallsOfTheGateway() {
        try (OAuthProtectedServer rs = OAuthProtectedServer.builder().client("health", SECRET).expectResource()
                .start()) {
            McpProbe p = probe(Clock.systemUTC());
            OAuthSettings settings = clientCredentials(ClientAuth.CLIENT_SECRET_BASIC, List.of());
            MonitoredServer server = server(rs, settings);

            answered(p.probe(server, CheckDepth.COMPREHENSIVE));
            CallOutcome call = p.callTool(server, "echo", Map.of("text", "hi"), Duration.ofSeconds(5), false);
            CallOutcome.Replied a = assertInstanceOf(CallOutcome.Replied.class, call, () -> String.valueOf(call));
            assertTrue(String.valueOf(a.reply()).contains("client=health"), "the call went through as the client: "
                    + a);
            assertTrue(client(rs, settings).heldToken().isPresent());
        }
    }

    @Test
    void clientSecretPostAndPrivateKeyJwtAreEachAcceptedByTheAuthorizationServer() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = g.generateKeyPair();
        Path publicKey = dir.resolve("client.pub.pem");
        Files.writeString(publicKey, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        try (OAuthProtectedServer rs = OAuthProtectedServer.builder().client("health", SECRET)
                .clientKey("signer", publicKey).start()) {
            McpProbe p = probe(Clock.systemUTC());
            answered(p.probe(server(rs, clientCredentials(ClientAuth.CLIENT_SECRET_POST, List.of())),
                    CheckDepth.BASIC));
            p.close();

            p = probe(Clock.systemUTC());
            OAuthSettings jwt = new OAuthSettings(Grant.CLIENT_CREDENTIALS, Optional.of("signer"), Optional.empty(),
                    ClientAuth.PRIVATE_KEY_JWT, Optional.of(pair.getPrivate()), Optional.empty(), List.of(),
                    Optional.empty(), Optional.empty());
            answered(p.probe(server(rs, jwt), CheckDepth.BASIC));
        }
    }

    @Test
    void aTokenThatRunsOutIsRenewedBeforeItDoesWithNoFailure() throws Exception {
        try (OAuthProtectedServer rs = OAuthProtectedServer.builder().client("health", SECRET)
                .tokenLifetime(Duration.ofSeconds(3)).start()) {
            McpProbe p = probe(Clock.systemUTC());
            OAuthSettings settings = clientCredentials(ClientAuth.CLIENT_SECRET_BASIC, List.of());
            MonitoredServer server = server(rs, settings);
            Set<String> tokens = new LinkedHashSet<>();
            // the server checks each token's expiry by its own clock, so this takes the tokens' real lifetime
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
            while (System.nanoTime() < until) {
                answered(p.probe(server, CheckDepth.BASIC));
                client(rs, settings).heldToken().ifPresent(tokens::add);
                TimeUnit.MILLISECONDS.sleep(250); // the server's clock, which no test clock controls
            }
            assertTrue(tokens.size() >= 3, "renewed as they ran out: " + tokens.size() + " tokens");
        }
    }

    @Test
    void aTokenTheServerRefusesIsReplacedAndTheRequestSentAgain() throws Exception {
        try (OAuthProtectedServer rs = OAuthProtectedServer.builder().client("health", SECRET)
                .tokenLifetime(Duration.ofSeconds(2)).start()) {
            // a client whose clock is behind: it never renews in time, so the server refuses the token (401)
            McpProbe p = probe(Clock.fixed(Instant.parse("2020-01-01T00:00:00Z"), ZoneOffset.UTC));
            MonitoredServer server = server(rs, clientCredentials(ClientAuth.CLIENT_SECRET_BASIC, List.of()));
            answered(p.probe(server, CheckDepth.BASIC));
            TimeUnit.MILLISECONDS.sleep(3_000); // the server's clock: the token expires by it

            answered(p.probe(server, CheckDepth.COMPREHENSIVE));
            CallOutcome call = p.callTool(server, "echo", Map.of("text", "again"), Duration.ofSeconds(5), false);
            assertInstanceOf(CallOutcome.Replied.class, call, () -> String.valueOf(call));
        }
    }

    @Test
    void insufficientScopeStepsUpToTheScopesTheServerNames() {
        try (OAuthProtectedServer rs = OAuthProtectedServer.builder().client("health", SECRET)
                .requiredScopes("mcp:tools mcp:admin").start()) {
            McpProbe p = probe(Clock.systemUTC());
            OAuthSettings settings = clientCredentials(ClientAuth.CLIENT_SECRET_BASIC, List.of("mcp:tools"));
            MonitoredServer server = server(rs, settings);

            answered(p.probe(server, CheckDepth.BASIC));
        }
    }

    @Test
    void aStepUpTheAuthorizationServerRefusesLeavesTheClientAsItWas() {
        try (OAuthProtectedServer rs = OAuthProtectedServer.builder().client("health", SECRET)
                .allowedScopes("health", "mcp:tools").start()) {
            McpProbe p = probe(Clock.systemUTC());
            OAuthSettings settings = clientCredentials(ClientAuth.CLIENT_SECRET_BASIC, List.of("mcp:tools"));
            MonitoredServer server = server(rs, settings);
            answered(p.probe(server, CheckDepth.BASIC));

            rs.require("mcp:tools mcp:admin");
            ProbeOutcome.Failed f = failed(p.probe(server, CheckDepth.BASIC));
            assertEquals(FailureType.AUTHENTICATION, f.type(), f.message());

            // asked for mcp:admin once, refused: not asked for again, the token it had still good
            rs.require("mcp:tools");
            answered(p.probe(server, CheckDepth.BASIC));
        }
    }

    @Test
    void aRevokedClientIsAnAuthenticationFailureThatSaysWhyAndShowsNoSecret() {
        try (OAuthProtectedServer rs = OAuthProtectedServer.builder().client("health", SECRET).start()) {
            McpProbe p = probe(Clock.systemUTC());
            OAuthSettings settings = clientCredentials(ClientAuth.CLIENT_SECRET_BASIC, List.of());
            MonitoredServer server = server(rs, settings);
            answered(p.probe(server, CheckDepth.BASIC));
            String token = client(rs, settings).heldToken().orElseThrow();
            p.close();

            rs.revoke("health");
            p = probe(Clock.systemUTC());
            ProbeOutcome.Failed f = failed(p.probe(server, CheckDepth.BASIC));

            assertEquals(FailureType.AUTHENTICATION, f.type(), f.message());
            assertTrue(f.message().contains("invalid_client") && f.message().contains("revoked")
                    && f.message().contains(rs.issuer().toString()), f.message());
            assertFalse(f.message().contains(SECRET) || f.message().contains(token), f.message());
        }
    }

    @Test
    void aServerWithNoMetadataAndNoAuthorizationServerConfiguredSaysWhatToSet() {
        try (OAuthProtectedServer rs = OAuthProtectedServer.builder().client("health", SECRET).start()) {
            McpProbe p = probe(Clock.systemUTC());
            // the authorization server itself publishes no protected resource metadata: pointed at as the "server"
            MonitoredServer server = aServer().named("protected").over(TransportKind.STREAMABLE_HTTP)
                    .withTimeout(Duration.ofSeconds(5)).withConnectTimeout(Duration.ofSeconds(5)).build();
            endpoints.put(server.id(), new Endpoint.Http(java.net.URI.create(rs.issuer() + "/mcp"), Map.of(), false,
                    Optional.of(clientCredentials(ClientAuth.CLIENT_SECRET_BASIC, List.of()))));

            ProbeOutcome.Failed f = failed(p.probe(server, CheckDepth.BASIC));

            assertEquals(FailureType.AUTHENTICATION, f.type(), f.message());
            assertTrue(f.message().contains("auth.authorizationServer"), f.message());
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
