package dev.mcphealth.infrastructure.auth;

/**
 * No access token could be obtained for a server: its message says why in one sentence a person can act on (which
 * authorization server, what it answered), never a secret, a token or a class name. A probe reports it as an
 * {@code authentication} failure.
 */
public final class AuthorizationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AuthorizationException(String message) {
        super(message, null, false, false);
    }
}
