package dev.mcphealth.infrastructure.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Bearer challenge of a WWW-Authenticate header, as servers write it (the SDK's, several schemes, hostile ones). */
class ChallengeTest {
    @Test
    void theSdkServersChallenge() {
        Challenge c = Challenge.parse("Bearer error=\"invalid_token\", error_description=\"Missing Authorization"
                + " header\", scope=\"mcp:tools\", resource_metadata=\"http://127.0.0.1:4/.well-known/"
                + "oauth-protected-resource/mcp\"");
        assertEquals(Optional.of("invalid_token"), c.error());
        assertEquals(List.of("mcp:tools"), c.scopes());
        assertEquals(Optional.of(URI.create("http://127.0.0.1:4/.well-known/oauth-protected-resource/mcp")),
                c.resourceMetadata());
        assertFalse(c.insufficientScope());
    }

    @Test
    void theBearerChallengeAmongOthers() {
        Challenge c = Challenge.parse("DPoP algs=\"ES256 PS256\", scope=\"other\", Bearer realm=\"x\","
                + " error=insufficient_scope, scope=\"a:read b:write\", Basic realm=\"y\", scope=\"z\"");
        assertTrue(c.insufficientScope());
        assertEquals(List.of("a:read", "b:write"), c.scopes());
        assertEquals(Optional.empty(), c.resourceMetadata());
    }

    @Test
    void escapedQuotesAndCaseAreRead() {
        Challenge c = Challenge.parse("bearer error_description=\"a \\\"quoted\\\" word, and a comma\","
                + " ERROR=\"insufficient_scope\", scope=\"s1\"");
        assertTrue(c.insufficientScope());
        assertEquals(List.of("s1"), c.scopes());
    }

    @Test
    void nothingUsableIsNone() {
        assertEquals(Challenge.NONE, Challenge.parse(null));
        assertEquals(Challenge.NONE, Challenge.parse("Basic realm=\"x\""));
        assertEquals(Challenge.NONE.scopes(), Challenge.parse("Bearer").scopes());
        // a metadata address that is not http(s), or carries user info, and scopes with control characters: dropped
        Challenge hostile = Challenge.parse("Bearer resource_metadata=\"file:///etc/passwd\", scope=\"ok \u001b[31m\"");
        assertEquals(Optional.empty(), hostile.resourceMetadata());
        assertEquals(List.of("ok"), hostile.scopes());
        assertEquals(Optional.empty(), Challenge.parse("Bearer resource_metadata=\"https://u:p@h/x\"")
                .resourceMetadata());
    }
}
