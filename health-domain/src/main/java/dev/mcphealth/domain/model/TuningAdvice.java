package dev.mcphealth.domain.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Tuning proposals derived from measured data by {@code dev.mcphealth.domain.policy.TuningAdvisor}: honest rules
 * (a timeout against the observed p99, a probe interval against the error budget, breaker settings against the
 * failure history, the instances that fail most), not a learned model. Every recommendation names its evidence.
 *
 * @param target what was optimized for; empty for a general report (every rule)
 * @param notes what could not be judged and why (e.g. too few probes yet)
 */
public record TuningAdvice(Instant at, Optional<Target> target, Level level, List<Recommendation> recommendations,
                           List<String> notes) {

    public TuningAdvice {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(level, "level");
        recommendations = List.copyOf(recommendations);
        notes = List.copyOf(notes);
    }

    /** The design's optimization targets. */
    public enum Target implements Coded {
        LATENCY("latency"), THROUGHPUT("throughput"), RELIABILITY("reliability"), COST("cost");

        private final String code;

        Target(String code) {
            this.code = code;
        }

        @Override
        public String code() {
            return code;
        }

        public static Target fromCode(String code) {
            return Coded.parse(Target.class, code, "optimization_target");
        }
    }

    /** How far a proposal may move a setting from where it is. */
    public enum Level implements Coded {
        CONSERVATIVE("conservative"), BALANCED("balanced"), AGGRESSIVE("aggressive");

        private final String code;

        Level(String code) {
            this.code = code;
        }

        @Override
        public String code() {
            return code;
        }

        public static Level fromCode(String code) {
            return Coded.parse(Level.class, code, "optimization_level");
        }
    }

    /** The settings a recommendation may touch; {@code INVESTIGATE} asks a person to look (no setting fixes it). */
    public enum Setting implements Coded {
        PROBE_TIMEOUT("probe_timeout_ms"),
        PROBE_INTERVAL("probe_interval_s"),
        BREAKER_SLOW_CALL("breaker_slow_call_ms"),
        BREAKER_FAILURE_RATE("breaker_failure_rate_percent"),
        BREAKER_OPEN_DURATION("breaker_open_ms"),
        ADD_INSTANCE("instances"),
        INVESTIGATE("investigate");

        private final String code;

        Setting(String code) {
            this.code = code;
        }

        @Override
        public String code() {
            return code;
        }
    }

    /**
     * One proposal for one instance: the setting, its value now and proposed (as text in the setting's unit), why, and
     * the measured figures behind it ({@code evidence}, e.g. "p99 412 ms over 3,600 probes in 1 h").
     */
    public record Recommendation(ServerId server, Setting setting, String current, String proposed, String reason,
                                 String evidence) {
        public Recommendation {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(setting, "setting");
            Text.requireText(current, "current");
            Text.requireText(proposed, "proposed");
            Text.requireText(reason, "reason");
            Text.requireText(evidence, "evidence");
        }
    }
}
