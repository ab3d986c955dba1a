package dev.mcphealth.adapter.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The logging level each connected client asked for with {@code logging/setLevel}. The SDK answers that request and
 * keeps the level inside its session, where notifications sent outside a request cannot read it; so the transports
 * show us every incoming message that carries the method, and we keep the level per session here. A client that never
 * sets a level gets {@code info} and above, the SDK's own default.
 */
final class LogLevels {
    static final McpSchema.LoggingLevel DEFAULT = McpSchema.LoggingLevel.INFO;
    /** Sessions remembered at most; the oldest are forgotten past this (clients that went away without DELETE). */
    static final int MAX_SESSIONS = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(LogLevels.class);

    private final McpJsonMapper mapper;
    private final Map<String, McpSchema.LoggingLevel> levels = new ConcurrentHashMap<>();
    private final Map<String, Long> seen = new ConcurrentHashMap<>();
    private long order;

    LogLevels(McpJsonMapper mapper) {
        this.mapper = mapper;
    }

    /** A session is connected (it sent a message); remembered with the default level until it sets one. */
    synchronized void connected(String session) {
        seen.put(session, ++order);
        levels.putIfAbsent(session, DEFAULT);
        if (seen.size() > MAX_SESSIONS) {
            seen.entrySet().stream().min(Map.Entry.comparingByValue()).ifPresent(oldest -> forget(oldest.getKey()));
        }
    }

    synchronized void forget(String session) {
        seen.remove(session);
        levels.remove(session);
    }

    /** Looks at one incoming JSON-RPC message (or batch) of {@code session}; records a logging/setLevel. */
    void observe(String session, String json) {
        connected(session);
        if (!json.contains("logging/setLevel")) {
            return;
        }
        try {
            Object parsed = mapper.readValue(json, Object.class);
            List<?> messages = parsed instanceof List ? (List<?>) parsed : List.of(parsed);
            for (Object m : messages) {
                levelIn(m).ifPresent(level -> setLevel(session, level));
            }
        } catch (java.io.IOException | RuntimeException e) {
            LOG.debug("a message naming logging/setLevel could not be read: {}", e.getMessage());
        }
    }

    private synchronized void setLevel(String session, McpSchema.LoggingLevel level) {
        if (seen.containsKey(session)) {
            levels.put(session, level);
        }
    }

    private static Optional<McpSchema.LoggingLevel> levelIn(Object message) {
        if (!(message instanceof Map) || !"logging/setLevel".equals(((Map<?, ?>) message).get("method"))) {
            return Optional.empty();
        }
        Object params = ((Map<?, ?>) message).get("params");
        if (!(params instanceof Map) || !(((Map<?, ?>) params).get("level") instanceof String)) {
            return Optional.empty();
        }
        String level = (String) ((Map<?, ?>) params).get("level");
        for (McpSchema.LoggingLevel l : McpSchema.LoggingLevel.values()) {
            if (l.name().equalsIgnoreCase(level)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    /** The sessions that want a message of {@code level}. */
    List<String> wanting(McpSchema.LoggingLevel level) {
        return levels.entrySet().stream().filter(e -> level.level() >= e.getValue().level()).map(Map.Entry::getKey)
                .sorted().toList();
    }
}
