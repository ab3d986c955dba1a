package dev.mcphealth.domain.model;

import java.time.Duration;
import java.util.Objects;

/**
 * What a server said of itself: over a session, how long connecting and initializing took and what was agreed; in the
 * stateless 2026-07-28 revision, what {@code server/discover} answered (no session: a connect time only when a process
 * was started for it).
 */
public record Handshake(Duration connectTime, String protocolVersion, ServerInfo serverInfo) {
    /** The protocol revision without a handshake: {@code server/discover}, no initialize, no session. */
    public static final String STATELESS_REVISION = "2026-07-28";

    public Handshake {
        Objects.requireNonNull(connectTime, "connectTime");
        Objects.requireNonNull(serverInfo, "serverInfo");
        Text.requireText(protocolVersion, "protocolVersion");
    }

    /** The era the server was spoken to in: {@code stateless} (the 2026-07-28 revision) or {@code handshake}. */
    public String era() {
        return STATELESS_REVISION.equals(protocolVersion) ? "stateless" : "handshake";
    }
}
