package dev.mcphealth.domain.model;

import java.time.Duration;
import java.util.Objects;

/** A session established with a server: how long connecting and initializing took, and what was agreed. */
public record Handshake(Duration connectTime, String protocolVersion, ServerInfo serverInfo) {
    public Handshake {
        Objects.requireNonNull(connectTime, "connectTime");
        Objects.requireNonNull(serverInfo, "serverInfo");
        Text.requireText(protocolVersion, "protocolVersion");
    }
}
