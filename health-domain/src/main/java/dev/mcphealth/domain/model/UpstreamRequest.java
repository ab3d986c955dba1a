package dev.mcphealth.domain.model;

/**
 * A request other than a tool call that a server type's pool serves for a client in gateway mode: listing its
 * prompts, resources and resource templates, getting a prompt, reading a resource. Each is a read: sending it again,
 * or to another instance, does nothing twice.
 */
public enum UpstreamRequest {
    LIST_PROMPTS(true, "prompts"),
    LIST_RESOURCES(true, "resources"),
    LIST_RESOURCE_TEMPLATES(true, "resource templates"),
    GET_PROMPT(false, "prompt"),
    READ_RESOURCE(false, "resource");

    private final boolean listing;
    private final String what;

    UpstreamRequest(boolean listing, String what) {
        this.listing = listing;
        this.what = what;
    }

    /** Whether it lists (every page of) a kind of thing; its last good answer may then stand in for a fresh one. */
    public boolean listing() {
        return listing;
    }

    /** What it asks for, in words: "prompts", "resource". */
    public String what() {
        return what;
    }
}
