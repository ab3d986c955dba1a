package dev.mcphealth.infrastructure.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RedactorTest {

    @Test
    void replacesEverySecretOfFourOrMoreCharacters() {
        Redactor r = new Redactor(List.of("hunter22", "abcd"));
        assertEquals("login *** failed, key *** and *** again", r.redact("login hunter22 failed, key abcd and abcd again"));
    }

    @Test
    void leavesSecretsShorterThanFourAlone() {
        Redactor r = new Redactor(List.of("1", "on", "abc"));
        assertEquals("on 1 abc", r.redact("on 1 abc"));
    }

    @Test
    void replacesTheLongestSecretFirst() {
        Redactor r = new Redactor(List.of("token", "token-long-version"));
        assertEquals("*** then ***", r.redact("token-long-version then token"));
    }

    @Test
    void toleratesNullsAndDuplicates() {
        Redactor r = new Redactor(Arrays.asList(null, "secret", "secret"));
        assertEquals("a *** b", r.redact("a secret b"));
        assertNull(r.redact(null));
        assertEquals("nothing", new Redactor(List.of()).redact("nothing"));
    }

    @Test
    void ofAnEndpointRedactsItsSecrets() {
        Endpoint e = new Endpoint.Stdio("run", List.of(), Map.of("TOKEN", "s3cr3t-token-value"), Optional.empty());
        assertEquals("failed: ***", Redactor.of(e).redact("failed: s3cr3t-token-value"));
        Endpoint h = new Endpoint.Http(URI.create("https://u:pw-1234@h.example/mcp?key=q-value-9"),
                Map.of("Authorization", "Bearer t0k3n"), false);
        assertEquals("GET https://***@h.example/mcp?key=*** with ***",
                Redactor.of(h).redact("GET https://u:pw-1234@h.example/mcp?key=q-value-9 with Bearer t0k3n"));
    }

    @Test
    void aSecretIsRedactedInAnyLetterCase() {
        Redactor r = new Redactor(List.of("sk-live-AbCd-1234"));

        assertEquals("invalid key *** (***, ***)",
                r.redact("invalid key SK-LIVE-ABCD-1234 (sk-live-abcd-1234, Sk-Live-aBcD-1234)"));
    }

    @Test
    void aSecretIsRedactedInAnyCaseOutsideAsciiToo() {
        Redactor r = new Redactor(List.of("pässwörd-Ωmega"));

        assertEquals("got ***", r.redact("got PÄSSWÖRD-ΩMEGA"));
    }

    @Test
    void aPercentEncodedSecretIsRedacted() {
        Redactor r = new Redactor(List.of("p@ss w/rd+1"));

        assertEquals("GET /login?pw=*** and ?pw=*** and ?pw=***",
                r.redact("GET /login?pw=p%40ss+w%2Frd%2B1 and ?pw=p%40ss%20w%2Frd%2B1 and ?pw=P%40SS+W%2fRD%2b1"));
    }

    @Test
    void aBase64EncodedSecretIsRedacted() {
        String secret = "token-é-??>";
        byte[] bytes = secret.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String standard = java.util.Base64.getEncoder().encodeToString(bytes);
        String urlSafe = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Redactor r = new Redactor(List.of(secret));

        assertEquals("auth *** or ***", r.redact("auth " + standard + " or " + urlSafe));
    }

    @Test
    void theFormsOfASecretAreItselfItsPercentEncodingAndItsBase64() {
        assertEquals(java.util.Set.of("abcd", "YWJjZA==", "YWJjZA"), Redactor.forms("abcd"));
    }

    @org.junit.jupiter.api.Test
    void aCredentialIsRedactedWithoutItsSchemeToo() {
        Redactor r = new Redactor(java.util.List.of("Bearer hdr-s3cr3t-token-value"));
        org.junit.jupiter.api.Assertions.assertEquals("the server saw *** and ***",
                r.redact("the server saw hdr-s3cr3t-token-value and Bearer hdr-s3cr3t-token-value"));
    }
}
