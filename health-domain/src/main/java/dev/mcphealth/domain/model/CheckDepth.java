package dev.mcphealth.domain.model;

/** How much a health check asks of a server. */
public enum CheckDepth implements Coded {
    /** Initialize, then one liveness probe. */
    BASIC("basic"),
    /** Also list the tools: their count and a hash of names and schemas. */
    COMPREHENSIVE("comprehensive");

    private final String code;

    CheckDepth(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    public static CheckDepth fromCode(String code) {
        return Coded.parse(CheckDepth.class, code, "check depth");
    }
}
