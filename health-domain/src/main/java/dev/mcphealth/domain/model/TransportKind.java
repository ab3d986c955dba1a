package dev.mcphealth.domain.model;

/** How a server is reached. */
public enum TransportKind implements Coded {
    STDIO("stdio"),
    STREAMABLE_HTTP("http"),
    SSE("sse");

    private final String code;

    TransportKind(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    public static TransportKind fromCode(String code) {
        return Coded.parse(TransportKind.class, code, "transport");
    }
}
