package dev.mcphealth.domain.model;

/** What a server says it is in its initialize answer. */
public record ServerInfo(String name, String version) {
    public ServerInfo {
        name = name == null ? "" : name;
        version = version == null ? "" : version;
    }
}
