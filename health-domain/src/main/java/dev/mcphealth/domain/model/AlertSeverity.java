package dev.mcphealth.domain.model;

/** How urgent an alert is; taken from the worst status its episode reached. */
public enum AlertSeverity implements Coded {
    WARNING("warning"),
    CRITICAL("critical");

    private final String code;

    AlertSeverity(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    /** Warning for a warning; critical for critical and offline. Healthy raises no alert. */
    public static AlertSeverity of(HealthStatus status) {
        switch (status) {
            case WARNING:
                return WARNING;
            case CRITICAL:
            case OFFLINE:
                return CRITICAL;
            default:
                throw new IllegalArgumentException("a healthy server raises no alert");
        }
    }

    public static AlertSeverity fromCode(String code) {
        return Coded.parse(AlertSeverity.class, code, "alert severity");
    }
}
