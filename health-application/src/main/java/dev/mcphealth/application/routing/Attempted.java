package dev.mcphealth.application.routing;

import dev.mcphealth.domain.model.CallOutcome;
import dev.mcphealth.domain.model.ServerId;
import java.time.Duration;
import java.util.Optional;

/** The outcome of routing one request through a pool. */
final class Attempted<T> {
    Optional<T> served = Optional.empty();
    Optional<ServerId> by = Optional.empty();
    Optional<CallOutcome.Failed> lastFailure = Optional.empty();
    /** The first instance the call failed on, if it failed on one. */
    Optional<ServerId> failedOn = Optional.empty();
    int attempts;
    int failovers;
    /** Whether a failed request may have reached a server (else nothing was sent anywhere). */
    boolean delivered;
    Duration retryAfter = Duration.ZERO;
    /** The instance the request is being sent to now (read by the hedger while the request runs). */
    volatile Optional<ServerId> sendingTo = Optional.empty();
    /**
     * Set once a hedged call's race is decided: the lane still running sends nothing more (no failover) and, when it
     * ends, moves no one's calls.
     */
    volatile boolean decided;
    /** This lane's cancellation: set, it sends nothing more (the caller's, or the losing lane of a hedged call). */
    dev.mcphealth.domain.model.Cancellation cancel = dev.mcphealth.domain.model.Cancellation.NEVER;
    /** Whether the request was cancelled while under way on an instance. */
    boolean cancelled;
    /** Whether an instance was passed over at its concurrency limit. */
    boolean shed;
    /** Whether the pool's retry budget stopped the call from going on to another instance. */
    boolean budgetSpent;
}
