package dev.mcphealth.domain.model;

/** The four metrics of the design, with the unit each value is in. */
public enum MetricType implements Coded {
    /** Milliseconds of one probe's round trip (never the connect time). */
    RESPONSE_TIME("response_time"),
    /** Fraction of failed calls, 0..1. */
    ERROR_RATE("error_rate"),
    /** Fraction of successful checks, 0..1. */
    AVAILABILITY("availability"),
    /** Calls per second. */
    THROUGHPUT("throughput");

    private final String code;

    MetricType(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    /** Whether {@code value} is in this metric's range. */
    public boolean accepts(double value) {
        if (!Double.isFinite(value) || value < 0) {
            return false;
        }
        return (this != ERROR_RATE && this != AVAILABILITY) || value <= 1.0;
    }

    public static MetricType fromCode(String code) {
        return Coded.parse(MetricType.class, code, "metric type");
    }
}
