package dev.mcphealth.application.port.out;

import dev.mcphealth.domain.model.CallOutcome;
import dev.mcphealth.domain.model.Caller;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.Progress;
import dev.mcphealth.domain.model.UpstreamRequest;
import java.time.Duration;
import java.util.Map;

/**
 * Real requests to one server instance over its kept session ({@link SessionPort}). Never throws for a failure of the
 * server: it is a {@link CallOutcome.Failed} without secrets. When the server has no live session, one is opened
 * only if {@code mayConnect}; otherwise the call fails at once, undelivered. Thread-safe; calls to one server may
 * run at once.
 */
public interface ToolCallPort {

    /** {@code arguments} are plain JSON-like values: maps, lists, strings, numbers, booleans, null. */
    CallOutcome callTool(MonitoredServer server, String tool, Map<String, Object> arguments, Duration timeout,
                         boolean mayConnect);

    /**
     * The same call, with {@code progress} told each progress notification the server sends about it (a port whose
     * servers send none need not override this).
     */
    default CallOutcome callTool(MonitoredServer server, String tool, Map<String, Object> arguments, Duration timeout,
                                 boolean mayConnect, java.util.function.Consumer<Progress> progress) {
        return callTool(server, tool, arguments, timeout, mayConnect);
    }

    /**
     * The same call for {@code caller}: told the server's progress notifications about it when it follows them;
     * stopped when its cancellation is set while it is under way (the server is told, notifications/cancelled, and the
     * outcome is {@link CallOutcome.Cancelled}); and a request the server sends while it is under way (sampling,
     * elicitation) asked of its client, when it has one. A port that can do none of this need not override it.
     */
    default CallOutcome callTool(MonitoredServer server, String tool, Map<String, Object> arguments, Duration timeout,
                                 boolean mayConnect, Caller caller) {
        return caller.progress().isEmpty() ? callTool(server, tool, arguments, timeout, mayConnect)
                : callTool(server, tool, arguments, timeout, mayConnect, caller.progress().get());
    }

    /** A {@link CallOutcome.Listed} with every page of tools/list, or a failure. */
    CallOutcome listTools(MonitoredServer server, Duration timeout, boolean mayConnect);

    /**
     * Sends {@code what} to {@code server} with {@code params} (a prompt's name and arguments, a resource's uri;
     * nothing for a listing): a {@link CallOutcome.Answered} with the server's result (every page of a listing,
     * joined), or with the error it refused the request with, or a failure. A server that does not offer prompts or
     * resources (its initialize answer's capabilities) lists none, and refuses a get or read, without being asked.
     */
    CallOutcome request(MonitoredServer server, UpstreamRequest what, Map<String, Object> params, Duration timeout,
                        boolean mayConnect);

    /**
     * The same request, stopped when {@code cancel} is set while it is under way: the server is told
     * (notifications/cancelled) and the outcome is {@link CallOutcome.Cancelled}. A port that cannot stop a request
     * need not override it.
     */
    default CallOutcome request(MonitoredServer server, UpstreamRequest what, Map<String, Object> params,
                                Duration timeout, boolean mayConnect, dev.mcphealth.domain.model.Cancellation cancel) {
        return request(server, what, params, timeout, mayConnect);
    }
}
