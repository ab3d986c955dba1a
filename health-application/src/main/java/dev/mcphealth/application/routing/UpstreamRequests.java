package dev.mcphealth.application.routing;

import dev.mcphealth.application.port.in.ForwardRequestUseCase;
import dev.mcphealth.application.port.in.NoHealthyInstanceException;
import dev.mcphealth.application.port.out.ToolCallPort;
import dev.mcphealth.domain.model.CallOutcome;
import dev.mcphealth.domain.model.Cancellation;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.UpstreamRequest;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A pool's prompts and resources, for {@link ResilientCallService#upstream}: each request routed as a tool call is (balancing,
 * breakers, concurrency limits, the retry budget, failover; every one of them a read, so it may go on to another
 * instance after any failure), and each type's last good listing remembered to stand in when none can answer.
 */
final class UpstreamRequests {
    private final PoolRouter router;
    private final ToolCallPort calls;
    private final Clock clock;
    private final ResilienceSettings settings;
    private final Map<ServerType, Map<UpstreamRequest, ForwardRequestUseCase.Listing>> last =
            new ConcurrentHashMap<>();

    UpstreamRequests(PoolRouter router, ToolCallPort calls, Clock clock, ResilienceSettings settings) {
        this.router = Objects.requireNonNull(router);
        this.calls = Objects.requireNonNull(calls);
        this.clock = Objects.requireNonNull(clock);
        this.settings = Objects.requireNonNull(settings);
    }

    ForwardRequestUseCase.Result forward(ServerType type, UpstreamRequest request, Map<String, Object> params,
                                         Cancellation cancel) {
        if (request.listing()) {
            throw new IllegalArgumentException(request + " is a listing: list it");
        }
        Attempted<CallOutcome.Answered> run = route(type, request, params, cancel);
        if (run.cancelled || (run.answer == null && cancel.cancelled())) {
            return new ForwardRequestUseCase.Cancelled(cancel.reason().orElse("cancelled"));
        }
        if (run.served().isPresent()) {
            CallOutcome.Answered a = run.served().get();
            return new ForwardRequestUseCase.Answered(run.by().orElseThrow(), a.json(), a.refused());
        }
        if (run.lastFailure().isPresent() && run.delivered) {
            CallOutcome.Failed f = run.lastFailure().get();
            return new ForwardRequestUseCase.NotAnswered(type.value() + ": the " + request.what() + " request failed on "
                    + run.by().orElseThrow().value() + " (" + f.type().code() + "): " + f.message() + "; retry after "
                    + Refusals.seconds(run.retryAfter) + " s", run.retryAfter);
        }
        return new ForwardRequestUseCase.NotAnswered(Refusals.unavailable(type, run, settings.retryBudget()),
                run.retryAfter);
    }

    ForwardRequestUseCase.Listing list(ServerType type, UpstreamRequest request) {
        if (!request.listing()) {
            throw new IllegalArgumentException(request + " is not a listing: forward it");
        }
        Attempted<CallOutcome.Answered> run = route(type, request, Map.of(), Cancellation.NEVER);
        Map<UpstreamRequest, ForwardRequestUseCase.Listing> mine = last.computeIfAbsent(type,
                t -> new ConcurrentHashMap<>());
        if (run.served().isPresent() && !run.served().get().refused()) {
            ForwardRequestUseCase.Listing fresh = new ForwardRequestUseCase.Listing(type, request,
                    run.by().orElseThrow(), run.served().get().json(), clock.instant(), false);
            mine.put(request, fresh);
            return fresh;
        }
        ForwardRequestUseCase.Listing remembered = mine.get(request);
        if (remembered != null) {
            return new ForwardRequestUseCase.Listing(type, request, remembered.from(), remembered.json(),
                    remembered.fetchedAt(), true);
        }
        String why;
        if (run.served().isPresent()) {
            why = type.value() + ": " + run.by().orElseThrow().value() + " refused to list its " + request.what()
                    + ": " + run.served().get().json();
        } else if (run.lastFailure().isPresent() && run.delivered) {
            why = type.value() + ": listing its " + request.what() + " failed on " + run.by().orElseThrow().value()
                    + ": " + run.lastFailure().get().message() + "; retry after " + Refusals.seconds(run.retryAfter)
                    + " s";
        } else {
            why = Refusals.unavailable(type, run.retryAfter);
        }
        throw new NoHealthyInstanceException(why, run.retryAfter);
    }

    private Attempted<CallOutcome.Answered> route(ServerType type, UpstreamRequest request,
                                                  Map<String, Object> params, Cancellation cancel) {
        Attempted<CallOutcome.Answered> run = new Attempted<>();
        run.cancel = cancel;
        return router.route(type, (server, mayConnect) -> calls.request(server, request, params,
                settings.callTimeout(), mayConnect, cancel), CallOutcome.Answered.class, server -> true,
                Optional.empty(), run);
    }
}
