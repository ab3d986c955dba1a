package dev.mcphealth.adapter.cli;

import dev.mcphealth.domain.model.Durations;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * One rule for a flag whose value is wrong: picocli's usage error (exit 3) naming the flag and what was wrong with it,
 * as {@code --depth: unknown check depth "deep"}.
 */
final class CliArgs {
    /** The seconds {@code --interval} may be: one second to a day. */
    static final int MAX_INTERVAL_SECONDS = 86_400;

    private CliArgs() {
    }

    /** What {@code read} makes of the value of {@code flag}; its IllegalArgumentException as a usage error. */
    static <T> T parse(CommandSpec spec, String flag, Supplier<T> read) {
        try {
            return read.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), flag + ": " + e.getMessage());
        }
    }

    /** A duration flag ({@code 10s}, {@code 5m}), empty when it was not given. */
    static Optional<Duration> duration(CommandSpec spec, String flag, String value) {
        return value == null ? Optional.empty() : Optional.of(parse(spec, flag, () -> Durations.parse(value)));
    }

    /** {@code --interval SECONDS} (1..86400), empty when it was not given. */
    static Optional<Duration> interval(CommandSpec spec, Integer seconds) {
        if (seconds == null) {
            return Optional.empty();
        }
        if (seconds < 1 || seconds > MAX_INTERVAL_SECONDS) {
            throw new ParameterException(spec.commandLine(), "--interval must be 1.." + MAX_INTERVAL_SECONDS
                    + " seconds, got " + seconds);
        }
        return Optional.of(Duration.ofSeconds(seconds));
    }
}
