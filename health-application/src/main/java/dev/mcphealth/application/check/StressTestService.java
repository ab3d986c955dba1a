package dev.mcphealth.application.check;

import dev.mcphealth.application.recovery.RecoveryGate;
import dev.mcphealth.domain.model.WindowStats;
import dev.mcphealth.domain.model.Faults;

import dev.mcphealth.application.port.in.StressTestUseCase;
import dev.mcphealth.application.port.out.ProbePort;
import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ProbeOutcome;
import dev.mcphealth.domain.recovery.RecoveryEpisode;
import dev.mcphealth.application.catalog.StandbyInstances;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A bounded burst of probes against each selected instance, instances one after another (so that one burst does not
 * load another's host). Per instance: {@value StressTestUseCase#BASELINE_PROBES} basic probes in sequence, whose median answered latency
 * is the baseline; then the burst of {@code probes} basic probes, run by {@code concurrency} workers on the injected
 * executor that each take the next probe until none is left, so at most {@code concurrency} are in flight. With
 * {@link Command#of} that is 5 + 50 = 55 probes per instance. The executor is shared, not created per run: it should
 * have {@link StressTestUseCase#MAX_CONCURRENCY} threads free for a full burst (with fewer, fewer probes are in flight
 * and the burst only takes longer).
 * <p>
 * Every probe is {@link ProbePort#probeKept}: over the session the monitor keeps, never opening one, so a stress test
 * never connects to a server nor starts a process behind the monitor's and recovery's back (a timed-out probe may drop
 * the session; the monitor's next probe or recovery reopens it). An instance recovery holds down is skipped; the
 * baseline stops at its first failed probe and the burst is then skipped; the burst is aborted at the first probe that
 * times out or cannot connect (probes already in flight end and are counted). No probe starts once the injected
 * clock reads {@link StressTestUseCase#DEADLINE} past the run's start. A probe that throws counts as a failed probe of
 * type {@code server_error} naming the exception and ends that instance's probing; other instances go on.
 * <p>
 * The wall time is the injected clock's, from the first probe of the burst to the last answer. Percentiles are
 * nearest-rank over the answered probes' response times, to the microsecond, by the same function as the monitor's
 * windows; failed probes are counted by type. Nothing is recorded.
 */
public final class StressTestService implements StressTestUseCase {

    private final ServerCatalogPort catalog;
    private final ProbePort probes;
    private final RecoveryGate recovery;
    private final Clock clock;
    private final Executor executor;
    private final StandbyInstances standby;

    /**
     * @param recovery read only, to skip an instance it is bringing back
     * @param executor runs the burst's workers; the caller waits for them
     */
    public StressTestService(ServerCatalogPort catalog, ProbePort probes, RecoveryGate recovery, Clock clock,
                             Executor executor) {
        this(catalog, probes, recovery, clock, executor, StandbyInstances.NONE);
    }

    /** @param standby the pools' standby instances: a cold one is not stressed (it is meant not to run) */
    public StressTestService(ServerCatalogPort catalog, ProbePort probes, RecoveryGate recovery, Clock clock,
                             Executor executor, StandbyInstances standby) {
        this.standby = Objects.requireNonNull(standby, "standby");
        this.catalog = Objects.requireNonNull(catalog);
        this.probes = Objects.requireNonNull(probes);
        this.recovery = Objects.requireNonNull(recovery);
        this.clock = Objects.requireNonNull(clock);
        this.executor = Objects.requireNonNull(executor);
    }

    /** One run's deadline, and whether it withheld a probe. */
    private final class Deadline {
        final Instant at;
        final AtomicBoolean passed = new AtomicBoolean();

        Deadline(Instant at) {
            this.at = at;
        }

        /** Whether a probe may start now; false from the deadline on (and remembered). */
        boolean allows() {
            if (clock.instant().isBefore(at)) {
                return true;
            }
            passed.set(true);
            return false;
        }

        String passedText() {
            return "the run's " + DEADLINE.toSeconds() + " s deadline passed";
        }
    }

    @Override
    public Report run(Command command) {
        List<MonitoredServer> selected = ServerSelection.byType(catalog.servers(), command.types()).stream()
                .filter(s -> standby.probed(s.id())).toList();
        Instant startedAt = clock.instant();
        Deadline deadline = new Deadline(startedAt.plus(DEADLINE));
        List<ServerStress> results = new ArrayList<>();
        for (MonitoredServer server : selected) {
            ServerStress s;
            try {
                s = stress(server, command, deadline);
            } catch (RuntimeException e) {
                s = skipped(server, command, Optional.empty(),
                        "the stress test failed inside MCP Health: " + Faults.describe(e));
            }
            results.add(s);
        }
        return new Report(startedAt, deadline.at, deadline.passed.get(), results);
    }

    private static ServerStress skipped(MonitoredServer server, Command command, Optional<Duration> baselineP50,
                                        String why) {
        return new ServerStress(server.id(), command.probes(), command.concurrency(), 0, 0, Map.of(), baselineP50,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Duration.ZERO,
                Optional.of(why), Optional.empty());
    }

    private ServerStress stress(MonitoredServer server, Command asked, Deadline deadline) {
        int count = asked.probes();
        int concurrency = asked.concurrency();
        Optional<RecoveryEpisode.Down> episode = recovery.episode(server.id())
                .flatMap(e -> e instanceof RecoveryEpisode.Down d ? Optional.of(d) : Optional.empty());
        if (episode.isPresent()) {
            return skipped(server, asked, Optional.empty(), "recovery is bringing it back ("
                    + episode.get().attempts() + " attempt(s) so far, next at " + episode.get().nextAttemptAt() + ")");
        }
        List<ProbeOutcome> baseline = new ArrayList<>();
        for (int i = 0; i < BASELINE_PROBES; i++) {
            if (!deadline.allows()) {
                return skipped(server, asked, Optional.empty(), deadline.passedText()
                        + (i == 0 ? " before its turn" : " during the baseline"));
            }
            ProbeOutcome o = probe(server).outcome();
            if (o instanceof ProbeOutcome.Failed f) {
                return skipped(server, asked, percentile(sortedLatencies(baseline), 0.50), "baseline probe "
                        + (i + 1) + " of " + BASELINE_PROBES + " failed: " + f.type().code() + ": " + f.message());
            }
            baseline.add(o);
        }
        Optional<Duration> baselineP50 = percentile(sortedLatencies(baseline), 0.50);

        ConcurrentLinkedQueue<ProbeOutcome> outcomes = new ConcurrentLinkedQueue<>();
        AtomicInteger taken = new AtomicInteger();
        AtomicReference<String> abort = new AtomicReference<>();
        AtomicBoolean outOfTime = new AtomicBoolean();
        Instant start = clock.instant();
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int w = 0; w < Math.min(concurrency, count); w++) {
            workers.add(CompletableFuture.runAsync(() -> {
                while (abort.get() == null && !outOfTime.get() && taken.get() < count) {
                    if (!deadline.allows()) {
                        outOfTime.set(true);
                        break;
                    }
                    if (taken.getAndIncrement() >= count) {
                        break;
                    }
                    Probed p = probe(server);
                    outcomes.add(p.outcome());
                    if (p.outcome() instanceof ProbeOutcome.Failed f && (p.threw() || aborts(f.type()))) {
                        abort.compareAndSet(null, p.threw() ? f.message() : f.type().code());
                    }
                }
            }, executor));
        }
        workers.forEach(Futures::joined);
        Duration wall = Duration.between(start, clock.instant());

        List<ProbeOutcome> burst = List.copyOf(outcomes);
        Map<FailureType, Integer> failures = new EnumMap<>(FailureType.class);
        for (ProbeOutcome o : burst) {
            if (o instanceof ProbeOutcome.Failed f) {
                failures.merge(f.type(), 1, Integer::sum);
            }
        }
        Optional<String> aborted = abort.get() != null
                ? Optional.of("aborted after " + burst.size() + " probes: " + abort.get())
                : outOfTime.get() && burst.size() < count
                ? Optional.of("stopped after " + burst.size() + " probes: " + deadline.passedText())
                : Optional.empty();
        long[] sorted = sortedLatencies(burst);
        return new ServerStress(server.id(), count, concurrency, burst.size(), sorted.length, failures, baselineP50,
                percentile(sorted, 0.50), percentile(sorted, 0.95), percentile(sorted, 0.99), percentile(sorted, 1.0),
                wall.isNegative() ? Duration.ZERO : wall, Optional.empty(), aborted);
    }

    /**
     * Whether a failed burst probe ends the burst: a timeout (the server is hung, and its session may have been
     * dropped) or no connection (no session: every further probe would fail at once).
     */
    private static boolean aborts(FailureType type) {
        return type == FailureType.TIMEOUT || type == FailureType.CONNECTION_ERROR;
    }

    /** One probe's outcome, and whether the probe threw (then the outcome is a server_error that says so). */
    private record Probed(ProbeOutcome outcome, boolean threw) {
    }

    private Probed probe(MonitoredServer server) {
        Instant start = clock.instant();
        try {
            return new Probed(probes.probeKept(server, CheckDepth.BASIC).outcome(), false);
        } catch (RuntimeException e) {
            return new Probed(Faults.probeThrew(e, Duration.between(start, clock.instant())), true);
        }
    }

    /** The answered probes' response times in microseconds (as the rolling windows keep them), ascending. */
    private static long[] sortedLatencies(List<ProbeOutcome> outcomes) {
        long[] micros = outcomes.stream().filter(ProbeOutcome.Answered.class::isInstance)
                .mapToLong(o -> ((ProbeOutcome.Answered) o).responseTime().toNanos() / 1_000).toArray();
        Arrays.sort(micros);
        return micros;
    }

    private static Optional<Duration> percentile(long[] sortedMicros, double q) {
        return WindowStats.percentile(sortedMicros, q);
    }
}
