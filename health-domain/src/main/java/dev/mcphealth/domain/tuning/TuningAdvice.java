package dev.mcphealth.domain.tuning;

import dev.mcphealth.domain.model.Coded;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.Text;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Tuning proposals derived from measured data by {@code dev.mcphealth.domain.tuning.TuningAdvisor}: honest rules
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

    /**
     * How far a proposal may move a setting from where it is: at most x2 or /2 (conservative), x3 or /3 (balanced),
     * x5 or /5 (aggressive); the level also sets the margin kept over observed latency.
     */
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

    /**
     * The settings a recommendation may touch, each with its unit; {@code INVESTIGATE} asks a person to look (no
     * setting fixes it) and {@code ADD_INSTANCE} a person to configure another instance: neither takes a
     * {@link Value}.
     */
    public enum Setting implements Coded {
        PROBE_TIMEOUT("probe_timeout_ms", Unit.MILLIS),
        PROBE_INTERVAL("probe_interval_s", Unit.SECONDS),
        BREAKER_SLOW_CALL("breaker_slow_call_ms", Unit.MILLIS),
        BREAKER_FAILURE_RATE("breaker_failure_rate_percent", Unit.PERCENT),
        BREAKER_OPEN_DURATION("breaker_open_ms", Unit.MILLIS),
        ADD_INSTANCE("instances", Unit.NONE),
        INVESTIGATE("investigate", Unit.NONE);

        /** How a setting's value is written: the unit its code names. */
        private enum Unit {
            MILLIS, SECONDS, PERCENT, NONE
        }

        private final String code;
        private final Unit unit;

        Setting(String code, Unit unit) {
            this.code = code;
            this.unit = unit;
        }

        @Override
        public String code() {
            return code;
        }

        /** Whether a {@link Value} sets it; false for the settings only a person can act on. */
        public boolean settable() {
            return unit != Unit.NONE;
        }

        /** Whether {@code value} is of this setting's kind: a duration or a percentage. */
        public boolean takes(Value value) {
            Objects.requireNonNull(value, "value");
            if (value instanceof Value.Time) {
                return unit == Unit.MILLIS || unit == Unit.SECONDS;
            }
            if (value instanceof Value.Percent) {
                return unit == Unit.PERCENT;
            }
            throw new IllegalStateException("unknown value " + value);
        }

        /**
         * {@code value} in this setting's unit, as a recommendation's {@code current} and {@code proposed} write it:
         * whole milliseconds, seconds (with decimals only when not whole), whole percent.
         *
         * @throws IllegalArgumentException if the setting does not take such a value
         */
        public String text(Value value) {
            if (!settable() || !takes(value)) {
                throw new IllegalArgumentException(code + " does not take " + value);
            }
            if (value instanceof Value.Percent p) {
                return Integer.toString(p.percent());
            }
            Duration d = ((Value.Time) value).duration();
            if (unit == Unit.MILLIS) {
                return Long.toString(d.toMillis());
            }
            return d.toMillis() % 1000 == 0 ? Long.toString(d.getSeconds())
                    : BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString();
        }
    }

    /** A value a setting takes, typed, so that a recommendation can be applied without reading its text back. */
    public sealed interface Value permits Value.Time, Value.Percent {

        /** A timeout, interval, slow-call threshold or open duration: positive. */
        record Time(Duration duration) implements Value {
            public Time {
                if (duration == null || duration.isNegative() || duration.isZero()) {
                    throw new IllegalArgumentException("a time setting must be positive, got " + duration);
                }
            }
        }

        /** A rate in whole percent, 0..100. */
        record Percent(int percent) implements Value {
            public Percent {
                if (percent < 0 || percent > 100) {
                    throw new IllegalArgumentException("a percentage must be 0..100, got " + percent);
                }
            }

            /** As a fraction: 25 % is 0.25. */
            public double fraction() {
                return percent / 100.0;
            }
        }
    }

    /**
     * One proposal for one instance: the setting, its value now and proposed (as text in the setting's unit), why, and
     * the measured figures behind it ({@code evidence}, e.g. "p99 412 ms over 3,600 probes in 1 h").
     *
     * <p>A {@link Setting#settable() settable} setting also carries both values typed ({@code currentValue},
     * {@code proposedValue}), and the texts are those values written by {@link Setting#text}; a setting for a person
     * ({@code INVESTIGATE}, {@code ADD_INSTANCE}) carries no typed value, its texts say what is and what to do.
     */
    public record Recommendation(ServerId server, Setting setting, String current, String proposed,
                                 Optional<Value> currentValue, Optional<Value> proposedValue, String reason,
                                 String evidence) {
        public Recommendation {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(setting, "setting");
            Text.requireText(current, "current");
            Text.requireText(proposed, "proposed");
            Objects.requireNonNull(currentValue, "currentValue");
            Objects.requireNonNull(proposedValue, "proposedValue");
            Text.requireText(reason, "reason");
            Text.requireText(evidence, "evidence");
            if (setting.settable()) {
                requireWritten(setting, currentValue, current, "current");
                requireWritten(setting, proposedValue, proposed, "proposed");
            } else if (currentValue.isPresent() || proposedValue.isPresent()) {
                throw new IllegalArgumentException(setting.code() + " needs a person and takes no value");
            }
        }

        /** A recommendation to change a settable setting from {@code current} to {@code proposed}. */
        public static Recommendation change(ServerId server, Setting setting, Value current, Value proposed,
                                            String reason, String evidence) {
            return new Recommendation(server, setting, setting.text(current), setting.text(proposed),
                    Optional.of(current), Optional.of(proposed), reason, evidence);
        }

        /** A recommendation a person acts on ({@code INVESTIGATE}, {@code ADD_INSTANCE}): no value to set. */
        public static Recommendation forPerson(ServerId server, Setting setting, String current, String proposed,
                                               String reason, String evidence) {
            return new Recommendation(server, setting, current, proposed, Optional.empty(), Optional.empty(), reason,
                    evidence);
        }

        private static void requireWritten(Setting setting, Optional<Value> value, String text, String what) {
            if (value.isEmpty()) {
                throw new IllegalArgumentException(setting.code() + " needs a typed " + what + " value");
            }
            String written = setting.text(value.get());
            if (!written.equals(text)) {
                throw new IllegalArgumentException(what + " \"" + text + "\" is not " + value.get() + " in "
                        + setting.code() + " (" + written + ")");
            }
        }
    }
}
