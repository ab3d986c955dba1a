package dev.mcphealth.domain.model;

/** What was done about a failure. */
public enum RecoveryAction implements Coded {
    RESTART("restart"),
    RECONNECT("reconnect"),
    FAILOVER("failover"),
    NONE("none");

    private final String code;

    RecoveryAction(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    public static RecoveryAction fromCode(String code) {
        return Coded.parse(RecoveryAction.class, code, "recovery action");
    }
}
