package dev.mcphealth.application.routing;

import dev.mcphealth.domain.model.CallOutcome;
import dev.mcphealth.domain.model.ServerId;
import java.time.Duration;
import java.util.Optional;

/**
 * The outcome of routing one request through a pool. The router sets the fields (null for none: it allocates nothing
 * per request); readers use the accessors.
 */
final class Attempted<T> {
    /** The answer that served the request, or null. */
    T answer;
    /** The instance that served it, or that last failed it or was cancelled on, or null. */
    ServerId server;
    /** The last failure, or null. */
    CallOutcome.Failed failure;
    /** The first instance the call failed on, or null. */
    ServerId firstFailedOn;
    int attempts;
    int failovers;
    /** Whether a failed request may have reached a server (else nothing was sent anywhere). */
    boolean delivered;
    Duration retryAfter = Duration.ZERO;
    /** The instance the request is being sent to now, or null (read by the hedger while the request runs). */
    volatile ServerId sending;
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

    Optional<T> served() {
        return Optional.ofNullable(answer);
    }

    Optional<ServerId> by() {
        return Optional.ofNullable(server);
    }

    Optional<CallOutcome.Failed> lastFailure() {
        return Optional.ofNullable(failure);
    }

    /** The first instance the call failed on, if it failed on one. */
    Optional<ServerId> failedOn() {
        return Optional.ofNullable(firstFailedOn);
    }

    /** The instance the request is being sent to now, if one. */
    Optional<ServerId> sendingTo() {
        return Optional.ofNullable(sending);
    }
}
