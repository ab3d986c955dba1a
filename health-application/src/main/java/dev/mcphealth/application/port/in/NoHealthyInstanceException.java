package dev.mcphealth.application.port.in;

import java.time.Duration;

/** Nothing can serve now and nothing is remembered: fail fast, with when to try again. */
public final class NoHealthyInstanceException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Duration retryAfter;

    public NoHealthyInstanceException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
