package dev.mcphealth.application.port.out;

/**
 * The store cannot be used: missing, locked, read-only, full or not a database. Adapters translate their own
 * exceptions into this one; its message is one sentence naming the store and the reason.
 */
public final class StorageUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
