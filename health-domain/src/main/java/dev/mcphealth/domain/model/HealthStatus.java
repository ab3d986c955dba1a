package dev.mcphealth.domain.model;

import java.util.Collection;

/** A server's health, ordered from best to worst. */
public enum HealthStatus implements Coded {
    HEALTHY("healthy"),
    WARNING("warning"),
    CRITICAL("critical"),
    OFFLINE("offline");

    private final String code;

    HealthStatus(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    /** Critical or offline: not fit to take calls. */
    public boolean isDown() {
        return this == CRITICAL || this == OFFLINE;
    }

    public boolean isWorseThan(HealthStatus other) {
        return compareTo(other) > 0;
    }

    /** The worst of {@code statuses}; {@link #HEALTHY} for none. */
    public static HealthStatus worstOf(Collection<HealthStatus> statuses) {
        HealthStatus worst = HEALTHY;
        for (HealthStatus s : statuses) {
            if (s.isWorseThan(worst)) {
                worst = s;
            }
        }
        return worst;
    }

    public static HealthStatus fromCode(String code) {
        return Coded.parse(HealthStatus.class, code, "health status");
    }
}
