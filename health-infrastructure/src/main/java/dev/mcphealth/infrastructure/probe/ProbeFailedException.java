package dev.mcphealth.infrastructure.probe;

/** Carries a checked cause (such as a TimeoutException) out of a blocking call. */
final class ProbeFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ProbeFailedException(Throwable cause) {
        super(cause.getMessage(), cause);
    }
}
