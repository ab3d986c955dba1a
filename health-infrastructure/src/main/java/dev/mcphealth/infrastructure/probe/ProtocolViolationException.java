package dev.mcphealth.infrastructure.probe;

/** The server answered in a way the protocol does not allow. */
final class ProtocolViolationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ProtocolViolationException(String message) {
        super(message);
    }
}
