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
 * {@code check_depth: stress_test}). Per instance, one after another: {@value #BASELINE_PROBES} probes in sequence (the
 * baseline), then {@code probes} probes with at most {@code concurrency} in flight (the burst): with {@link Command#of},
 * 5 + 50 = 55 probes per instance, 5 at a time in the burst. Every probe goes over the session the monitor keeps and
 * never opens one (no connect, no process started): a probe that finds none fails at once. The burst is skipped when a
 * baseline probe fails (the baseline stops at the first failure) or recovery is bringing the instance back, and stops
 * at the first probe that times out or cannot connect (a hung or dead server is not hammered, and a timed-out session
 * is left for the monitor and recovery to reopen). No probe starts after the run's deadline, {@link #DEADLINE} after it
 * began by the clock (probes in flight then still end, each within its server's timeout); instances not reached are
 * reported skipped. Nothing is recorded: a burst would skew the monitor's windows and availability.
 */
@FunctionalInterface
public interface StressTestUseCase {

    int MAX_PROBES = 200;
    int MAX_CONCURRENCY = 16;
    /** Sequential probes before the burst. */
    int BASELINE_PROBES = 5;
    /** No probe of a run starts later than this after the run began. */
    Duration DEADLINE = Duration.ofSeconds(30);

    /** @throws UnknownServerTypeException if a named type is not configured */
    Report run(Command command);

    /** {@code types} empty means every configured server; {@code probes} is the burst's, after the baseline. */
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

        /** 50 burst probes, 5 in flight (after the 5 of the baseline). */
        public static Command of(Set<ServerType> types) {
            return new Command(types, 50, 5);
        }
    }

    /**
     * One instance under the burst. {@code probes} and {@code concurrency} are what was asked; {@code sent} is how many
     * burst probes were sent, of which {@code answered} answered and the rest failed, counted by type in
     * {@code failures}. Percentiles are over answered burst probes (empty when none answered); {@code baselineP50} is
     * the median of the baseline's answered probes; {@code slowdown} is burst p50 over baseline p50. {@code skipped}
     * says why no burst was sent (a baseline probe failed, recovery is bringing it back, the run's deadline passed
     * before its turn); {@code aborted} why it ended before all {@code probes} were sent ("aborted after N probes:
     * timeout", or the deadline). A burst sent in full has neither.
     */
    record ServerStress(ServerId server, int probes, int concurrency, int sent, int answered,
                        Map<FailureType, Integer> failures, Optional<Duration> baselineP50, Optional<Duration> p50,
                        Optional<Duration> p95, Optional<Duration> p99, Optional<Duration> max, Duration wall,
                        Optional<String> skipped, Optional<String> aborted) {
        public ServerStress {
            Objects.requireNonNull(server, "server");
            failures = Map.copyOf(failures);
            Objects.requireNonNull(baselineP50, "baselineP50");
            Objects.requireNonNull(p50, "p50");
            Objects.requireNonNull(p95, "p95");
            Objects.requireNonNull(p99, "p99");
            Objects.requireNonNull(max, "max");
            Objects.requireNonNull(wall, "wall");
            Objects.requireNonNull(skipped, "skipped");
            Objects.requireNonNull(aborted, "aborted");
            if (probes < 1 || concurrency < 1) {
                throw new IllegalArgumentException("probes and concurrency must be positive");
            }
            if (sent < 0 || sent > probes || answered < 0) {
                throw new IllegalArgumentException(sent + " sent of " + probes + " asked, " + answered + " answered");
            }
            int failed = failures.values().stream().mapToInt(Integer::intValue).sum();
            if (failures.values().stream().anyMatch(n -> n < 1) || answered + failed != sent) {
                throw new IllegalArgumentException(answered + " answered and " + failed + " failed of " + sent
                        + " sent");
            }
            if (wall.isNegative()) {
                throw new IllegalArgumentException("wall time cannot be negative");
            }
            if (skipped.isPresent() && (sent > 0 || aborted.isPresent())) {
                throw new IllegalArgumentException("a skipped burst sent nothing and was not aborted");
            }
            if (sent < probes && skipped.isEmpty() && aborted.isEmpty()) {
                throw new IllegalArgumentException("a burst cut short says why: " + sent + " of " + probes + " sent");
            }
        }

        /** Probes answered per second over the burst's wall time. */
        public double throughput() {
            return wall.isZero() ? 0 : answered / (wall.toNanos() / 1e9);
        }

        public Optional<Double> slowdown() {
            return baselineP50.filter(b -> !b.isZero()).flatMap(b -> p50.map(p -> (double) p.toNanos() / b.toNanos()));
        }
    }

    /**
     * {@code deadline} is the moment after which no probe started; {@code deadlinePassed} whether it withheld any
     * (then some burst was cut short or some instance skipped).
     */
    record Report(Instant startedAt, Instant deadline, boolean deadlinePassed, List<ServerStress> servers) {
        public Report {
            Objects.requireNonNull(startedAt, "startedAt");
            Objects.requireNonNull(deadline, "deadline");
            servers = List.copyOf(servers);
        }
    }
}
