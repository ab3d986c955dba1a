package dev.mcphealth.application.service;

import dev.mcphealth.application.port.in.StressTestUseCase;
import dev.mcphealth.application.port.out.ProbePort;
import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ProbeOutcome;
import dev.mcphealth.domain.model.ProbeReport;
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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded burst of probes against each selected instance, instances one after another (so that one burst does not
 * load another's host). Per instance: {@link #BASELINE_PROBES} basic probes in sequence, whose median answered latency
 * is the baseline; then the burst of {@code probes} basic probes, run by {@code concurrency} workers on the injected
 * executor that each take the next probe until none is left, so at most {@code concurrency} are in flight. The
 * executor is shared, not created per run: it should have {@link StressTestUseCase#MAX_CONCURRENCY} threads free for a
 * full burst (with fewer, fewer probes are in flight and the burst only takes longer). The wall time is the injected
 * clock's, from the first probe of the burst to the last answer. Percentiles are nearest-rank over the answered
 * probes' response times, to the microsecond, by the same function as the monitor's windows; failed probes are
 * counted by type. Nothing is recorded, and, as for the monitor's probes, a stdio server whose recovery episode is
 * open is not started by the burst ({@link ProbePort#probeKept}).
 */
public final class StressTestService implements StressTestUseCase {
    /** Sequential probes before the burst. */
    public static final int BASELINE_PROBES = 5;

    private final ServerCatalogPort catalog;
    private final ProbePort probes;
    private final RecoveryService recovery;
    private final Clock clock;
    private final Executor executor;

    /** @param executor runs the burst's workers; the caller waits for them */
    public StressTestService(ServerCatalogPort catalog, ProbePort probes, RecoveryService recovery, Clock clock,
                             Executor executor) {
        this.catalog = Objects.requireNonNull(catalog);
        this.probes = Objects.requireNonNull(probes);
        this.recovery = Objects.requireNonNull(recovery);
        this.clock = Objects.requireNonNull(clock);
        this.executor = Objects.requireNonNull(executor);
    }

    @Override
    public Report run(Command command) {
        List<MonitoredServer> selected = ServerSelection.byType(catalog.servers(), command.types());
        Instant startedAt = clock.instant();
        List<ServerStress> results = new ArrayList<>();
        for (MonitoredServer server : selected) {
            results.add(stress(server, command.probes(), command.concurrency()));
        }
        return new Report(startedAt, results);
    }

    private ServerStress stress(MonitoredServer server, int count, int concurrency) {
        List<ProbeOutcome> baseline = new ArrayList<>();
        for (int i = 0; i < BASELINE_PROBES; i++) {
            baseline.add(probe(server));
        }
        Optional<Duration> baselineP50 = percentile(sortedLatencies(baseline), 0.50);

        ConcurrentLinkedQueue<ProbeOutcome> outcomes = new ConcurrentLinkedQueue<>();
        AtomicInteger taken = new AtomicInteger();
        Instant start = clock.instant();
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int w = 0; w < Math.min(concurrency, count); w++) {
            workers.add(CompletableFuture.runAsync(() -> {
                while (taken.getAndIncrement() < count) {
                    outcomes.add(probe(server));
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
        long[] sorted = sortedLatencies(burst);
        return new ServerStress(server.id(), count, concurrency, sorted.length, failures, baselineP50,
                percentile(sorted, 0.50), percentile(sorted, 0.95), percentile(sorted, 0.99), percentile(sorted, 1.0),
                wall.isNegative() ? Duration.ZERO : wall);
    }

    private ProbeOutcome probe(MonitoredServer server) {
        ProbeReport report = recovery.probeMayConnect(server.id()) ? probes.probe(server, CheckDepth.BASIC)
                : probes.probeKept(server, CheckDepth.BASIC);
        return report.outcome();
    }

    /** The answered probes' response times in microseconds (as the rolling windows keep them), ascending. */
    private static long[] sortedLatencies(List<ProbeOutcome> outcomes) {
        long[] micros = outcomes.stream().filter(ProbeOutcome.Answered.class::isInstance)
                .mapToLong(o -> ((ProbeOutcome.Answered) o).responseTime().toNanos() / 1_000).toArray();
        Arrays.sort(micros);
        return micros;
    }

    private static Optional<Duration> percentile(long[] sortedMicros, double q) {
        return RollingWindows.percentile(sortedMicros, q);
    }
}
