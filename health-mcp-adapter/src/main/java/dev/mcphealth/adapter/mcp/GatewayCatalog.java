package dev.mcphealth.adapter.mcp;

import dev.mcphealth.application.port.in.ForwardRequestUseCase;
import dev.mcphealth.domain.model.Faults;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.UpstreamRequest;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstream servers' prompts and resources as MCP Health serves them in {@link Gateway} mode, beside their tools
 * ({@link GatewayTools}): each type's prompts named {@code <serverType>__<prompt>}, its resources and resource
 * templates under their own URIs (a tool's answer links to them so, and a client reads them so); a URI or template
 * that MCP Health or an earlier type (in name order) serves already is left out, said once on stderr. A get or read
 * goes through the type's pool ({@link ForwardRequestUseCase}); a refusal comes back as the upstream's JSON-RPC error,
 * and a pool that cannot answer as an error that says when to retry. The lists are served from memory: listed at the
 * start and again whenever the tools are ({@link #refresh}); a type whose listing comes from memory (no instance
 * answers) keeps what it serves.
 */
final class GatewayCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayCatalog.class);
    /** The most prompts, resources and templates served of one type, each: what a client can show, with room. */
    static final int MAX_PER_TYPE = 1000;
    private static final int MAX_PROMPT_NAME = 128;

    private final Gateway gateway;
    private final McpJsonMapper mapper;
    /** Every URI and template served, with the type serving it ({@code ""}: MCP Health's own). */
    private final Map<String, String> owners = new ConcurrentHashMap<>();
    /** What each type serves: by kind, the upstream's key (name, uri, template) and the item as it listed it. */
    private final Map<String, Map<UpstreamRequest, Map<String, String>>> served = new ConcurrentHashMap<>();
    private final Set<String> refused = ConcurrentHashMap.newKeySet();

    /** Where each get or read finds whether its client cancelled it. */
    private final Cancellations cancellations;

    /** {@code ownUris}: the URIs and templates MCP Health serves of its own: no upstream takes one. */
    GatewayCatalog(Gateway gateway, McpJsonMapper mapper, List<String> ownUris, Cancellations cancellations) {
        this.gateway = gateway;
        this.mapper = mapper;
        this.cancellations = cancellations;
        ownUris.forEach(u -> owners.put(u, ""));
    }

    /** Where a served item goes: the start's specifications, or the running server. */
    private interface Target {
        void prompt(SyncPromptSpecification p);

        void resource(SyncResourceSpecification r);

        void template(SyncResourceTemplateSpecification t);
    }

    /** What is served at the start: each kind's specifications, in type order. */
    record Specs(List<SyncPromptSpecification> prompts, List<SyncResourceSpecification> resources,
                 List<SyncResourceTemplateSpecification> templates) implements Target {
        @Override
        public void prompt(SyncPromptSpecification p) {
            prompts.add(p);
        }

        @Override
        public void resource(SyncResourceSpecification r) {
            resources.add(r);
        }

        @Override
        public void template(SyncResourceTemplateSpecification t) {
            templates.add(t);
        }
    }

    /** The running server as a target: an item added is served at once. */
    private static Target serving(McpSyncServer server) {
        return new Target() {
            @Override
            public void prompt(SyncPromptSpecification p) {
                server.addPrompt(p);
            }

            @Override
            public void resource(SyncResourceSpecification r) {
                server.addResource(r);
            }

            @Override
            public void template(SyncResourceTemplateSpecification t) {
                server.addResourceTemplate(t);
            }
        };
    }

    /**
     * The prompts, resources and templates of {@code types} that list within {@link GatewayTools#LIST_DEADLINE} (each
     * type's three listings side by side); the others are added by a later {@link #refresh}.
     */
    Specs listAll(List<String> types) {
        Map<String, Map<UpstreamRequest, ForwardRequestUseCase.Listing>> listed = listed(types);
        Specs out = new Specs(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (String type : types) {
            Map<UpstreamRequest, ForwardRequestUseCase.Listing> mine = listed.getOrDefault(type, Map.of());
            mine.forEach((kind, listing) -> items(type, kind, listing).forEach((key, item) -> {
                if (take(type, kind, key, item)) {
                    add(out, type, kind, key, item);
                }
            }));
        }
        return out;
    }

    /**
     * Lists every type's prompts, resources and templates again and applies what changed to {@code server}: an item
     * gone or changed is removed, a new one added; the clients told once per kind that changed.
     */
    void refresh(McpSyncServer server) {
        Map<String, Map<UpstreamRequest, ForwardRequestUseCase.Listing>> listed = listed(gateway.serverTypes());
        boolean prompts = false;
        boolean resources = false;
        for (String type : gateway.serverTypes()) {
            for (Map.Entry<UpstreamRequest, ForwardRequestUseCase.Listing> e
                    : listed.getOrDefault(type, Map.of()).entrySet()) {
                if (e.getValue().stale()) {
                    continue; // from memory: what is served stays
                }
                UpstreamRequest kind = e.getKey();
                Map<String, String> now = servedOf(type, kind);
                Map<String, String> fresh = items(type, kind, e.getValue());
                int changed = 0;
                for (Map.Entry<String, String> was : List.copyOf(now.entrySet())) {
                    if (!was.getValue().equals(fresh.get(was.getKey()))) {
                        remove(server, type, kind, was.getKey());
                        changed++;
                    }
                }
                Target target = serving(server);
                for (Map.Entry<String, String> item : fresh.entrySet()) {
                    if (!now.containsKey(item.getKey()) && take(type, kind, item.getKey(), item.getValue())) {
                        add(target, type, kind, item.getKey(), item.getValue());
                        changed++;
                    }
                }
                prompts |= changed > 0 && kind == UpstreamRequest.LIST_PROMPTS;
                resources |= changed > 0 && kind != UpstreamRequest.LIST_PROMPTS;
            }
        }
        if (prompts) {
            server.notifyPromptsListChanged();
        }
        if (resources) {
            server.notifyResourcesListChanged();
        }
        if (prompts || resources) {
            LOG.info("gateway: the upstreams' {} changed; the clients are told",
                    prompts && resources ? "prompts and resources" : prompts ? "prompts" : "resources");
        }
    }

    /** Serves an item taken ({@link #take}); one the protocol's types cannot read is left out, the others served. */
    private void add(Target target, String type, UpstreamRequest kind, String key, String item) {
        try {
            switch (kind) {
                case LIST_PROMPTS -> target.prompt(prompt(type, key, item));
                case LIST_RESOURCES -> target.resource(resource(type, item));
                default -> target.template(template(type, item));
            }
        } catch (RuntimeException e) {
            release(type, kind, key);
            LOG.warn("gateway: {}'s {} {} is not served: {}", type, kind.what(), key, Faults.describe(e));
        }
    }

    private void remove(McpSyncServer server, String type, UpstreamRequest kind, String key) {
        try {
            switch (kind) {
                case LIST_PROMPTS -> server.removePrompt(promptName(type, key));
                case LIST_RESOURCES -> server.removeResource(key);
                default -> server.removeResourceTemplate(key);
            }
        } catch (RuntimeException e) {
            LOG.debug("gateway: {}'s {} {} was not served: {}", type, kind.what(), key, Faults.describe(e));
        }
        release(type, kind, key);
    }

    /** Notes {@code key} as served by {@code type}, if it may be: false (said once) if it is taken or illegal. */
    private boolean take(String type, UpstreamRequest kind, String key, String item) {
        String claim = claim(type, kind, key);
        boolean legal = kind != UpstreamRequest.LIST_PROMPTS || key.length() <= MAX_PROMPT_NAME;
        boolean room = servedOf(type, kind).size() < MAX_PER_TYPE;
        if (legal && room && owners.putIfAbsent(claim, type) == null) {
            servedOf(type, kind).put(key, item);
            return true;
        }
        if (refused.add(type + " " + claim)) {
            LOG.warn("gateway: {}'s {} {} is not served: {}", type, kind.what(), key, !legal ? "its name is too long"
                    : !room ? "the type serves " + MAX_PER_TYPE + " already" : "another serves it: "
                    + (owners.get(claim).isEmpty() ? "MCP Health" : owners.get(claim)));
        }
        return false;
    }

    private void release(String type, UpstreamRequest kind, String key) {
        servedOf(type, kind).remove(key);
        owners.remove(claim(type, kind, key), type);
    }

    /** What an item takes among the names served: a prompt its gateway name, a resource or template its URI. */
    private static String claim(String type, UpstreamRequest kind, String key) {
        return kind == UpstreamRequest.LIST_PROMPTS ? "prompt:" + promptName(type, key) : key;
    }

    private Map<String, String> servedOf(String type, UpstreamRequest kind) {
        return served.computeIfAbsent(type, t -> new ConcurrentHashMap<>())
                .computeIfAbsent(kind, k -> new ConcurrentHashMap<>());
    }

    private static String promptName(String type, String name) {
        return type + Gateway.SEPARATOR + name;
    }

    /** Each type's three listings, side by side, that came within the deadline (a type with none is left out). */
    private Map<String, Map<UpstreamRequest, ForwardRequestUseCase.Listing>> listed(List<String> types) {
        List<UpstreamRequest> kinds = List.of(UpstreamRequest.LIST_PROMPTS, UpstreamRequest.LIST_RESOURCES,
                UpstreamRequest.LIST_RESOURCE_TEMPLATES);
        ExecutorService listers = Executors.newFixedThreadPool(Math.max(1, Math.min(types.size() * 3, 8)), r -> {
            Thread t = new Thread(r, "mcp-health-gateway-catalog");
            t.setDaemon(true);
            return t;
        });
        Map<String, Map<UpstreamRequest, CompletableFuture<ForwardRequestUseCase.Listing>>> futures =
                new LinkedHashMap<>();
        try {
            for (String type : types) {
                for (UpstreamRequest kind : kinds) {
                    futures.computeIfAbsent(type, t -> new LinkedHashMap<>()).put(kind, CompletableFuture.supplyAsync(
                            () -> gateway.forward().list(ServerType.of(type), kind), listers));
                }
            }
        } finally {
            listers.shutdown(); // a listing still out at the deadline ends on its own; it is not used
        }
        try {
            CompletableFuture.allOf(futures.values().stream().flatMap(m -> m.values().stream())
                    .toArray(CompletableFuture[]::new)).get(GatewayTools.LIST_DEADLINE.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // each listing is looked at below: one not done or failed is left out, and listed again later
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Map<String, Map<UpstreamRequest, ForwardRequestUseCase.Listing>> out = new LinkedHashMap<>();
        futures.forEach((type, byKind) -> byKind.forEach((kind, f) -> {
            if (f.isDone() && !f.isCompletedExceptionally() && !f.isCancelled()) {
                out.computeIfAbsent(type, t -> new LinkedHashMap<>()).put(kind, f.join());
            } else if (f.isDone()) {
                LOG.debug("gateway: the {} of {} are not listed now", kind.what(), type);
            }
        }));
        return out;
    }

    /** A listing's items, each as its JSON, by the upstream's key (a prompt's name, a resource's URI, a template). */
    private Map<String, String> items(String type, UpstreamRequest kind, ForwardRequestUseCase.Listing listing) {
        Map<String, String> out = new LinkedHashMap<>();
        String field = switch (kind) {
            case LIST_PROMPTS -> "prompts";
            case LIST_RESOURCES -> "resources";
            default -> "resourceTemplates";
        };
        String keyField = switch (kind) {
            case LIST_PROMPTS -> "name";
            case LIST_RESOURCES -> "uri";
            default -> "uriTemplate";
        };
        try {
            Map<?, ?> result = mapper.readValue(listing.json(), Map.class);
            if (result != null && result.get(field) instanceof List<?> items) {
                for (Object item : items) {
                    if (item instanceof Map<?, ?> m && m.get(keyField) instanceof String key && !key.isBlank()) {
                        out.putIfAbsent(key, mapper.writeValueAsString(m));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("gateway: the {} {} listed cannot be read; none served", type, kind.what());
        }
        return out;
    }

    private SyncPromptSpecification prompt(String type, String name, String item) {
        McpSchema.Prompt upstream = read(item, McpSchema.Prompt.class);
        McpSchema.Prompt served = new McpSchema.Prompt(promptName(type, name), upstream.title(),
                "[" + type + "] " + (upstream.description() == null ? "" : upstream.description()),
                upstream.arguments(), upstream.meta(), upstream.icons());
        return new SyncPromptSpecification(served, (exchange, request) -> {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("name", name);
            params.put("arguments", request.arguments() == null ? Map.of() : request.arguments());
            return answer(type, UpstreamRequest.GET_PROMPT, params, McpSchema.GetPromptResult.class, request.meta());
        });
    }

    private SyncResourceSpecification resource(String type, String item) {
        McpSchema.Resource r = read(item, McpSchema.Resource.class);
        return new SyncResourceSpecification(r, (exchange, request) -> answer(type, UpstreamRequest.READ_RESOURCE,
                Map.of("uri", request.uri()), McpSchema.ReadResourceResult.class, request.meta()));
    }

    private SyncResourceTemplateSpecification template(String type, String item) {
        McpSchema.ResourceTemplate t = read(item, McpSchema.ResourceTemplate.class);
        return new SyncResourceTemplateSpecification(t, (exchange, request) -> answer(type,
                UpstreamRequest.READ_RESOURCE, Map.of("uri", request.uri()), McpSchema.ReadResourceResult.class,
                request.meta()));
    }

    private static String what(Class<?> type) {
        return type == McpSchema.Prompt.class ? "prompt" : type == McpSchema.Resource.class ? "resource"
                : type == McpSchema.ResourceTemplate.class ? "resource template" : "answer";
    }

    private <T> T read(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (IOException e) {
            // said in words: the reader's message names the program's classes
            throw new IllegalArgumentException("it cannot be read as the protocol's " + what(type), e);
        }
    }

    /**
     * The upstream's answer to a get or read through the pool: its result, or its refusal as the same JSON-RPC error,
     * or, when no instance answered, an error that says why and when to retry; stopped upstream when its client
     * cancels it (the request's {@code meta} carries its {@link Cancellations} tag).
     */
    private <T> T answer(String type, UpstreamRequest request, Map<String, Object> params, Class<T> result,
                         Map<String, Object> meta) {
        ForwardRequestUseCase.Result r;
        try {
            r = gateway.forward().forward(ServerType.of(type), request, params, cancellations.of(meta));
        } finally {
            cancellations.done(meta);
        }
        if (r instanceof ForwardRequestUseCase.Cancelled c) {
            // a client that cancelled reads no answer (over stdio it is not written); over HTTP the request must end
            throw McpError.builder(McpSchema.ErrorCodes.INTERNAL_ERROR).message(type + ": the " + request.what()
                    + " request was cancelled: " + c.reason()).build();
        }
        if (r instanceof ForwardRequestUseCase.NotAnswered no) {
            throw McpError.builder(McpSchema.ErrorCodes.INTERNAL_ERROR).message(no.message()).build();
        }
        ForwardRequestUseCase.Answered a = (ForwardRequestUseCase.Answered) r;
        if (a.refused()) {
            Map<?, ?> error = read(a.json(), Map.class);
            int code = error.get("code") instanceof Number n ? n.intValue() : McpSchema.ErrorCodes.INTERNAL_ERROR;
            throw McpError.builder(code).message(type + ": " + error.get("message")).build();
        }
        try {
            return mapper.readValue(a.json(), result);
        } catch (IOException e) {
            LOG.warn("gateway: {}'s answer to a {} request cannot be read: {}", type, request.what(),
                    Faults.describe(e));
            throw McpError.builder(McpSchema.ErrorCodes.INTERNAL_ERROR).message(type + "'s answer to the "
                    + request.what() + " request is not one the protocol allows").build();
        }
    }
}
