package dev.mcphealth.infrastructure.probe;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ProbeOutcome;
import dev.mcphealth.domain.model.ProbeReport;
import dev.mcphealth.domain.model.TransportKind;
import dev.mcphealth.infrastructure.auth.LoopbackLogin;
import dev.mcphealth.infrastructure.auth.OAuthClient;
import dev.mcphealth.infrastructure.auth.OAuthClients;
import dev.mcphealth.infrastructure.auth.TokenStore;
import dev.mcphealth.infrastructure.config.Endpoint;
import dev.mcphealth.infrastructure.config.OAuthSettings;
import dev.mcphealth.infrastructure.config.OAuthSettings.ClientAuth;
import dev.mcphealth.infrastructure.config.OAuthSettings.Grant;
import dev.mcphealth.testkit.OAuthProtectedServer;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The authorization code grant as monitoring lives with it after one sign-in ({@link LoopbackLogin}, the browser
 * played by {@link OAuthProtectedServer#signInAt}): short-lived tokens renewed from the refresh token whether or not
 * the authorization server rotates it, two processes renewing from one token file without undoing each other, and a
 * step-up a refresh may not make (RFC 6749 §6) reported without spoiling the sign-in.
 */
class OAuthSignInIT {
    @TempDir
    Path dir;

    private static final OAuthSettings PERSON = new OAuthSettings(Grant.AUTHORIZATION_CODE,
            Optional.of("mcp-health-cli"), Optional.empty(), ClientAuth.NONE, Optional.empty(), Optional.empty(),
            List.of(), Optional.empty(), Optional.empty());

    private final MonitoredServer server = aServer().named("person").over(TransportKind.STREAMABLE_HTTP)
            .withTimeout(Duration.ofSeconds(5)).withConnectTimeout(Duration.ofSeconds(5)).build();

    /** A monitor of its own (a process, as far as tokens go): its own OAuth clients on the shared token file. */
    private McpProbe monitor(Endpoint.Http endpoint, OAuthClients clients) {
        return new McpProbe(id -> Optional.of(endpoint), Clock.systemUTC(), System::nanoTime,
                McpJsonDefaults.getMapper(), "test", false, clients);
    }

    private OAuthClients clients() {
        return new OAuthClients(Clock.systemUTC(), new TokenStore(dir.resolve("tokens.json")), Duration.ofSeconds(5));
    }

    private static Endpoint.Http endpoint(OAuthProtectedServer rs) {
        return new Endpoint.Http(rs.mcpUrl(), Map.of(), false, Optional.of(PERSON));
    }

    private void signIn(OAuthProtectedServer rs) {
        OAuthClient client = clients().forServer("person", endpoint(rs)).orElseThrow();
        OAuthClient.SignedIn in = LoopbackLogin.login(client, 0, Duration.ofSeconds(30),
                OAuthProtectedServer::signInAt);
        assertTrue(in.refreshable(), String.valueOf(in));
    }

    /** Probes with {@code probes} every 250 ms for {@code seconds}: every failure seen. */
    private List<String> probeFor(int seconds, McpProbe... probes) throws InterruptedException {
        List<String> failures = new ArrayList<>();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < until) {
            for (McpProbe p : probes) {
                ProbeReport r = p.probe(server, CheckDepth.BASIC);
                if (r.outcome() instanceof ProbeOutcome.Failed f) {
                    failures.add(f.type() + ": " + f.message());
                }
            }
            TimeUnit.MILLISECONDS.sleep(250); // the server's clock judges the tokens; no test clock reaches it
        }
        return failures;
    }

    @Test
    void refreshTokensThatAreNotRotatedStayInUse() throws Exception {
        try (OAuthProtectedServer rs = OAuthProtectedServer.builder().tokenLifetime(Duration.ofSeconds(2))
                .noRefreshRotation().start()) {
            signIn(rs);
            McpProbe p = monitor(endpoint(rs), clients());
            try {
                List<String> failures = probeFor(6, p);
                assertEquals(List.of(), failures, "renewed from the kept refresh token each time");
            } finally {
                p.close();
            }
        }
    }

    @Test
    void twoMonitorsOnOneTokenFileRenewRotatingRefreshTokensWithoutUndoingEachOther() throws Exception {
        try (OAuthProtectedServer rs = OAuthProtectedServer.builder().tokenLifetime(Duration.ofSeconds(2)).start()) {
            signIn(rs);
            McpProbe a = monitor(endpoint(rs), clients());
            McpProbe b = monitor(endpoint(rs), clients());
            try {
                List<String> failures = probeFor(7, a, b);
                assertEquals(List.of(), failures, "each took the other's newer refresh token from the file");
                assertTrue(new TokenStore(dir.resolve("tokens.json")).read(
                        java.net.URI.create(rs.mcpUrl().toString())).isPresent(), "the sign-in is still kept");
            } finally {
                a.close();
                b.close();
            }
        }
    }

    @Test
    void aStepUpARefreshMayNotMakeIsReportedAndTheSignInStaysGood() throws Exception {
        try (OAuthProtectedServer rs = OAuthProtectedServer.builder().start()) {
            signIn(rs);
            McpProbe p = monitor(endpoint(rs), clients());
            try {
                rs.require("mcp:tools mcp:admin");
                ProbeOutcome.Failed f = assertInstanceOf(ProbeOutcome.Failed.class,
                        p.probe(server, CheckDepth.BASIC).outcome());
                assertEquals(FailureType.AUTHENTICATION, f.type(), f.message());

                rs.require("mcp:tools");
                assertInstanceOf(ProbeOutcome.Answered.class, p.probe(server, CheckDepth.BASIC).outcome(),
                        "the sign-in and its scopes are as they were");
            } finally {
                p.close();
            }
        }
    }

    private static final OAuthSettings UNREGISTERED = new OAuthSettings(Grant.AUTHORIZATION_CODE, Optional.empty(),
            Optional.empty(), ClientAuth.NONE, Optional.empty(), Optional.empty(), List.of(), Optional.empty(),
            Optional.empty());

    @Test
    void withoutAClientIdASignInRegistersOneWhereTheAuthorizationServerOffersRegistration() throws Exception {
        try (OAuthProtectedServer rs = OAuthProtectedServer.builder().sdkAuthorizationServer().start()) {
            Endpoint.Http endpoint = new Endpoint.Http(rs.mcpUrl(), Map.of(), false, Optional.of(UNREGISTERED));
            OAuthClient.SignedIn in = LoopbackLogin.login(clients().forServer("person", endpoint).orElseThrow(), 0,
                    Duration.ofSeconds(30), OAuthProtectedServer::signInAt);

            assertTrue(!in.clientId().isBlank(), "the registered client's id: " + in);
            McpProbe p = monitor(endpoint, clients()); // another process: the client id and token from the file
            try {
                ProbeReport r = p.probe(server, CheckDepth.BASIC);
                assertInstanceOf(ProbeOutcome.Answered.class, r.outcome(), () -> String.valueOf(r));
            } finally {
                p.close();
            }
            assertEquals(in.clientId(), new TokenStore(dir.resolve("tokens.json")).read(
                    java.net.URI.create(rs.mcpUrl().toString())).orElseThrow().clientId());
        }
    }

    @Test
    void withoutAClientIdWhereNoRegistrationIsOfferedTheSignInSaysWhatToSet() throws Exception {
        try (OAuthProtectedServer rs = OAuthProtectedServer.builder().start()) {
            Endpoint.Http endpoint = new Endpoint.Http(rs.mcpUrl(), Map.of(), false, Optional.of(UNREGISTERED));
            OAuthClient client = clients().forServer("person", endpoint).orElseThrow();

            dev.mcphealth.infrastructure.auth.AuthorizationException e = org.junit.jupiter.api.Assertions.assertThrows(
                    dev.mcphealth.infrastructure.auth.AuthorizationException.class, () -> LoopbackLogin.login(client, 0,
                            Duration.ofSeconds(30), OAuthProtectedServer::signInAt));
            assertTrue(e.getMessage().contains("no dynamic client registration")
                    && e.getMessage().contains("health.servers.person.auth.clientId"), e.getMessage());
        }
    }
}
