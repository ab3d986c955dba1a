package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.model.Cancellation;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.UpstreamRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A server type's prompts and resources through its pool (gateway mode), as its tools are: healthy instances first,
 * circuit breakers, on to another instance when one fails (every such request is a read), fail-fast when nothing
 * can serve. A listing that no instance can answer now is the last good one, from memory, marked stale.
 */
public interface ForwardRequestUseCase {

    /**
     * Gets a prompt or reads a resource ({@code request} is not a listing): {@code params} as the protocol's request
     * has them ({@code name} and {@code arguments}; {@code uri}).
     */
    default Result forward(ServerType serverType, UpstreamRequest request, Map<String, Object> params) {
        return forward(serverType, request, params, Cancellation.NEVER);
    }

    /**
     * The same request, stopped when {@code cancel} is set while it is under way (its client cancelled it): the
     * instance is told to stop, and the result is {@link Cancelled}.
     */
    Result forward(ServerType serverType, UpstreamRequest request, Map<String, Object> params, Cancellation cancel);

    /**
     * Lists the type's prompts, resources or resource templates ({@code request} is a listing).
     *
     * @throws NoHealthyInstanceException when no instance can answer and nothing was listed before
     */
    Listing list(ServerType serverType, UpstreamRequest request);

    /** What a forwarded request came to. */
    sealed interface Result permits Answered, NotAnswered, Cancelled {
    }

    /** The request was cancelled ({@code reason}) before an instance answered it. */
    record Cancelled(String reason) implements Result {
        public Cancelled {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * {@code by} answered: {@code json} is its result; or, when {@code refused}, the JSON-RPC error object it refused
     * the request with ({@code code}, {@code message}).
     */
    record Answered(ServerId by, String json, boolean refused) implements Result {
        public Answered {
            Objects.requireNonNull(by, "by");
            Objects.requireNonNull(json, "json");
        }
    }

    /** No instance answered: {@code message} says why and when to retry ({@code retryAfter}). */
    record NotAnswered(String message, Duration retryAfter) implements Result {
        public NotAnswered {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(retryAfter, "retryAfter");
        }
    }

    /**
     * A type's listing: {@code json} the result with every page's items in one array ({@code prompts},
     * {@code resources}, {@code resourceTemplates}); {@code stale} when it is the remembered one.
     */
    record Listing(ServerType serverType, UpstreamRequest request, ServerId from, String json, Instant fetchedAt,
                   boolean stale) {
        public Listing {
            Objects.requireNonNull(serverType, "serverType");
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(json, "json");
            Objects.requireNonNull(fetchedAt, "fetchedAt");
        }
    }
}
