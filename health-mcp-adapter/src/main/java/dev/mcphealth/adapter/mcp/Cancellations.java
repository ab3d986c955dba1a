package dev.mcphealth.adapter.mcp;

import dev.mcphealth.domain.model.Cancellation;
import dev.mcphealth.domain.model.Faults;
import io.modelcontextprotocol.json.McpJsonMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's cancellation of its own request to an upstream (its {@code notifications/cancelled}) — a call of a tool, a
 * get of a prompt, a read of a resource — passed on to the request under way for it in {@link Gateway} mode, which
 * tells the upstream to stop (the SDK's server has no notion of cancellation: without this the upstream would run the
 * request to its end).
 *
 * <p>The SDK does not tell a handler the id of the request it answers, so every upstream's request is tagged on its
 * way in (a {@code tools/call} or {@code prompts/get} whose name has {@link Gateway#SEPARATOR}, a
 * {@code resources/read} of a URI that is not MCP Health's own {@code health://}): its params' {@code _meta} gets
 * {@value #META_KEY} naming the session and the request's id, and a {@link Cancellation} is kept under that key until
 * the handler is done with it. A client cannot name another's request: the tag is always written here, and one a
 * client sent is removed from every such request (however its JSON spells the name). Over HTTP only calls of sessions
 * the transport opened are tagged. At most {@value #MAX_OPEN} are kept (the oldest forgotten first): a tagged call the SDK refused before
 * its handler ran leaves its entry until then.
 */
final class Cancellations {
    static final String META_KEY = "dev.mcphealth/cancel";
    static final int MAX_OPEN = 4096;
    /** The requests that may be an upstream's, and so are tagged. */
    private static final java.util.Set<String> TAGGED = java.util.Set.of("tools/call", "prompts/get",
            "resources/read");
    private static final Logger LOG = LoggerFactory.getLogger(Cancellations.class);

    private final McpJsonMapper mapper;
    private final Map<String, Cancellation> open = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cancellation> eldest) {
            return size() > MAX_OPEN;
        }
    };
    /** The cancelled requests whose answer is not to be written (stdio), oldest forgotten first; under open's lock. */
    private final java.util.Set<String> silenced = java.util.Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_OPEN;
        }
    });

    /** Whether the answers to cancelled requests are dropped ({@link #silenced}: over stdio; HTTP must answer). */
    private final boolean dropsAnswers;

    /** {@code dropsAnswers}: whether {@link #silenced} is asked before each line is written (stdio). */
    Cancellations(McpJsonMapper mapper, boolean dropsAnswers) {
        this.mapper = mapper;
        this.dropsAnswers = dropsAnswers;
    }

    /**
     * The message to hand on, from {@code session}, that the gate passed: a call of a gateway tool tagged; a
     * cancellation of one applied (and handed on as it is); anything else as it is.
     */
    String passed(String session, JsonRpcGate.Pass pass, String text) {
        if (pass.request() && TAGGED.contains(pass.method())) {
            return tagged(session, pass.id(), pass.method(), text);
        }
        if (!pass.request() && "notifications/cancelled".equals(pass.method())) {
            cancelled(session, text);
        }
        return text;
    }

    private String tagged(String session, Object id, String method, String text) {
        try {
            boolean read = "resources/read".equals(method);
            if (!read && !text.contains(META_KEY) && !text.contains(Gateway.SEPARATOR) && text.indexOf('\\') < 0) {
                return text; // cheap: neither a gateway tool nor our key (nor an escape that could spell either)
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> message = mapper.readValue(text, Map.class);
            if (!(message.get("params") instanceof Map<?, ?> raw)) {
                return text;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> params = (Map<String, Object>) raw;
            Object meta = params.get("_meta");
            if (meta != null && !(meta instanceof Map)) {
                return text; // not the protocol's _meta: the SDK will say so; nothing to tag
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> tags = meta == null ? new LinkedHashMap<>() : (Map<String, Object>) meta;
            boolean forged = tags.remove(META_KEY) != null; // only this class writes it
            boolean upstreams = read ? params.get("uri") instanceof String uri && !uri.startsWith(HealthResources.SCHEME)
                    : params.get("name") instanceof String name && name.contains(Gateway.SEPARATOR);
            if (!upstreams) {
                return forged ? mapper.writeValueAsString(message) : text;
            }
            String key = key(session, id);
            tags.put(META_KEY, key);
            params.put("_meta", tags);
            synchronized (open) {
                open.put(key, Cancellation.create());
            }
            return mapper.writeValueAsString(message);
        } catch (IOException | RuntimeException e) {
            LOG.debug("a {} was not tagged for cancellation: {}", method, Faults.describe(e));
            return text;
        }
    }

    private void cancelled(String session, String text) {
        try {
            Map<?, ?> message = mapper.readValue(text, Map.class);
            if (!(message.get("params") instanceof Map<?, ?> params) || params.get("requestId") == null) {
                return;
            }
            String key = key(session, params.get("requestId"));
            Cancellation c;
            synchronized (open) {
                c = open.get(key);
                if (c != null && !c.cancelled() && dropsAnswers) {
                    silenced.add(key);
                }
            }
            if (c != null && !c.cancelled()) {
                Object reason = params.get("reason");
                c.cancel(reason instanceof String r && !r.isBlank() ? ErrorScrubber.printable(r, 200)
                        : "cancelled by the client");
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("a cancellation could not be read: {}", Faults.describe(e));
        }
    }

    /**
     * Whether {@code line}, about to be written to {@code session}, is the answer to a request its client cancelled:
     * the spec says a cancelled request gets none (the SDK's server writes one anyway). Once: the id may come again.
     */
    boolean silenced(String session, String line) {
        synchronized (open) {
            if (silenced.isEmpty()) {
                return false; // cheap: no cancelled request waits for its answer to be dropped
            }
        }
        if (line.contains("\"method\"") || !(line.contains("\"result\"") || line.contains("\"error\""))) {
            return false;
        }
        try {
            Map<?, ?> message = mapper.readValue(line, Map.class);
            Object id = message.get("id");
            if (id == null || message.containsKey("method")) {
                return false;
            }
            synchronized (open) {
                return silenced.remove(key(session, id));
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The cancellation of the call whose request carried {@code meta}; {@link Cancellation#NEVER} if untagged. */
    Cancellation of(Map<String, Object> meta) {
        if (meta == null || !(meta.get(META_KEY) instanceof String key)) {
            return Cancellation.NEVER;
        }
        synchronized (open) {
            return open.getOrDefault(key, Cancellation.NEVER);
        }
    }

    /** The call whose request carried {@code meta} is over: its cancellation is forgotten. */
    void done(Map<String, Object> meta) {
        if (meta != null && meta.get(META_KEY) instanceof String key) {
            synchronized (open) {
                open.remove(key);
            }
        }
    }

    /**
     * The client ended {@code session} (HTTP DELETE): its calls still under way are cancelled as if it had cancelled
     * each (the upstream told to stop, not blamed for a timeout), since no answer can reach it any more.
     */
    void sessionEnded(String session) {
        String prefix = session + " ";
        java.util.List<Cancellation> under = new java.util.ArrayList<>();
        synchronized (open) {
            open.forEach((key, c) -> {
                if (key.startsWith(prefix) && !c.cancelled()) {
                    under.add(c);
                }
            });
        }
        under.forEach(c -> c.cancel("the client ended its session"));
    }

    /** How many calls may still be cancelled (for tests). */
    int open() {
        synchronized (open) {
            return open.size();
        }
    }

    /** One session's request id, the same for 7, 7L and "7"-as-a-number, and apart from the string "7". */
    private static String key(String session, Object id) {
        String kind = id instanceof String ? "s:" : "n:";
        String value = id instanceof Number n ? new BigDecimal(n.toString()).stripTrailingZeros().toPlainString()
                : String.valueOf(id);
        return session + " " + kind + value;
    }
}
