package dev.mcphealth.infrastructure.auth;

/**
 * No access token could be obtained for a server: its message says why in one sentence a person can act on (which
 * authorization server, what it answered), never a secret, a token or a class name. A probe reports it as an
 * {@code authentication} failure.
 */
public final class AuthorizationException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean serverUnreachable;

    public AuthorizationException(String message) {
        this(message, false);
    }

    private AuthorizationException(String message, boolean serverUnreachable) {
        super(message, null, false, false);
        this.serverUnreachable = serverUnreachable;
    }

    /** The MCP server itself could not be reached while its authorization was looked up: a connection error. */
    static AuthorizationException serverUnreachable(String message) {
        return new AuthorizationException(message, true);
    }

    /** Whether the MCP server itself (not its authorization server) could not be reached. */
    public boolean isServerUnreachable() {
        return serverUnreachable;
    }
}
