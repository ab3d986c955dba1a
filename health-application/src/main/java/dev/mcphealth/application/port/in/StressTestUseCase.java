package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A bounded burst of probes against each selected instance, to see latency under load (the MCP tool's
 * {@code check_depth: stress_test}). First a few probes one after another (the baseline), then {@code probes} probes
 * with {@code concurrency} in flight, on the shared session. Nothing is recorded: a burst would skew the monitor's
 * windows and availability.
 */
@FunctionalInterface
public interface StressTestUseCase {

    int MAX_PROBES = 200;
    int MAX_CONCURRENCY = 16;

    /** @throws UnknownServerTypeException if a named type is not configured */
    Report run(Command command);

    /** {@code types} empty means every configured server. */
    record Command(Set<ServerType> types, int probes, int concurrency) {
        public Command {
            types = Set.copyOf(Objects.requireNonNull(types, "types"));
            if (probes < 1 || probes > MAX_PROBES) {
                throw new IllegalArgumentException("probes must be 1.." + MAX_PROBES + ", got " + probes);
            }
            if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
                throw new IllegalArgumentException("concurrency must be 1.." + MAX_CONCURRENCY + ", got " + concurrency);
            }
        }

        public static Command of(Set<ServerType> types) {
            return new Command(types, 50, 5);
        }
    }

    /**
     * One instance under the burst. Percentiles are over answered probes (empty when none answered);
     * {@code baselineP50} is the median of the sequential probes before the burst; {@code slowdown} is burst p50 over
     * baseline p50.
     */
    record ServerStress(ServerId server, int probes, int concurrency, int answered, Map<FailureType, Integer> failures,
                        Optional<Duration> baselineP50, Optional<Duration> p50, Optional<Duration> p95,
                        Optional<Duration> p99, Optional<Duration> max, Duration wall) {
        public ServerStress {
            Objects.requireNonNull(server, "server");
            failures = Map.copyOf(failures);
            Objects.requireNonNull(baselineP50, "baselineP50");
            Objects.requireNonNull(p50, "p50");
            Objects.requireNonNull(p95, "p95");
            Objects.requireNonNull(p99, "p99");
            Objects.requireNonNull(max, "max");
            Objects.requireNonNull(wall, "wall");
        }

        /** Probes answered per second over the burst's wall time. */
        public double throughput() {
            return wall.isZero() ? 0 : answered / (wall.toNanos() / 1e9);
        }

        public Optional<Double> slowdown() {
            return baselineP50.filter(b -> !b.isZero()).flatMap(b -> p50.map(p -> (double) p.toNanos() / b.toNanos()));
        }
    }

    record Report(Instant startedAt, List<ServerStress> servers) {
        public Report {
            Objects.requireNonNull(startedAt, "startedAt");
            servers = List.copyOf(servers);
        }
    }
}
