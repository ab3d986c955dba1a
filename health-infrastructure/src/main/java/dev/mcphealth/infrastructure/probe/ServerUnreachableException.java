package dev.mcphealth.infrastructure.probe;

/** The server cannot be written to or read from any more (a broken pipe), though its process has not ended yet. */
final class ServerUnreachableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ServerUnreachableException(String message) {
        super(message);
    }
}
