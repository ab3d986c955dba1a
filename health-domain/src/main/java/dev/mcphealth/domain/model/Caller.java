package dev.mcphealth.domain.model;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Who waits for a call and what it may be told or asked while the call is under way: its progress (when the caller
 * follows it), whether it was cancelled, and the client its server may ask (sampling, elicitation).
 */
public record Caller(Optional<Consumer<Progress>> progress, Cancellation cancel, Optional<AskClient> asks) {
    /** A caller that follows nothing, cannot cancel and cannot be asked: a library call, a benchmark. */
    public static final Caller NONE = new Caller(Optional.empty(), Cancellation.NEVER, Optional.empty());

    public Caller {
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(cancel, "cancel");
        Objects.requireNonNull(asks, "asks");
    }

    /** The same caller with its requests to the client going to {@code to} instead. */
    public Caller asking(Optional<AskClient> to) {
        return new Caller(progress, cancel, to);
    }

    /** The same caller with its cancellation {@code c} instead (one copy of a hedged call). */
    public Caller cancelledBy(Cancellation c) {
        return new Caller(progress, c, asks);
    }
}
