package dev.mcphealth.infrastructure.config;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * Reads the private key a client signs its token requests with (private_key_jwt): an unencrypted PKCS#8 PEM file
 * ("BEGIN PRIVATE KEY", RSA or EC), or a JWK (JSON) holding the private part. Errors say what is wrong with the file,
 * never what is in it.
 */
final class PrivateKeys {
    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";

    private PrivateKeys() {
    }

    /**
     * @throws IllegalArgumentException naming what is wrong with {@code file}
     */
    static PrivateKey read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("cannot read " + file + " (no such file)");
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("cannot read " + file + " (permission denied)");
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read " + file + " (not a readable text file)");
        }
        String t = text.strip();
        if (t.startsWith("{")) {
            return fromJwk(t, file);
        }
        if (t.contains("-----BEGIN RSA PRIVATE KEY-----") || t.contains("-----BEGIN EC PRIVATE KEY-----")) {
            throw new IllegalArgumentException(file + " holds a PKCS#1/SEC1 key; give it as PKCS#8"
                    + " (openssl pkcs8 -topk8 -nocrypt -in old.pem -out key.pem)");
        }
        if (t.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            throw new IllegalArgumentException(file + " holds an encrypted key; give it unencrypted, readable only"
                    + " by the user running MCP Health (chmod 600)");
        }
        int begin = t.indexOf(BEGIN);
        int end = t.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException(file + " is neither a PEM private key (BEGIN PRIVATE KEY) nor a JWK");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(t.substring(begin + BEGIN.length(), end));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": its PEM body is not valid base64");
        }
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException notThisOne) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException(file + " is not an RSA or EC private key");
    }

    private static PrivateKey fromJwk(String json, Path file) {
        try {
            JWK jwk = JWK.parse(json);
            if (!jwk.isPrivate()) {
                throw new IllegalArgumentException(file + " is a public JWK; the private key is needed");
            }
            PrivateKey key = jwk instanceof com.nimbusds.jose.jwk.AsymmetricJWK a ? a.toPrivateKey() : null;
            if (key == null) {
                throw new IllegalArgumentException(file + " is not an RSA or EC JWK");
            }
            return key;
        } catch (java.text.ParseException | JOSEException e) {
            throw new IllegalArgumentException(file + " is not a valid JWK");
        }
    }
}
