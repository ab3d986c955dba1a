package dev.mcphealth.domain.model;

/** The liveness request a server answers, in the order a probe tries them. */
public enum ProbeMethod implements Coded {
    SERVER_DISCOVER("server/discover"),
    PING("ping"),
    TOOLS_LIST("tools/list");

    private final String code;

    ProbeMethod(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    /** The method to try after this one is refused, or null after the last. */
    public ProbeMethod next() {
        ProbeMethod[] all = values();
        return ordinal() + 1 < all.length ? all[ordinal() + 1] : null;
    }
}
