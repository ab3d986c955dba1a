package dev.mcphealth.infrastructure.probe;

/** The server's command could not be started; the message is the OS's reason. */
final class ServerStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ServerStartException(String command, String reason) {
        super("cannot start \"" + command + "\": " + reason);
    }
}
