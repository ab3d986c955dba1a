package dev.mcphealth.application.history;

import dev.mcphealth.application.port.in.AnalyzeFailuresUseCase;
import dev.mcphealth.application.port.in.UnknownServerTypeException;
import dev.mcphealth.application.port.out.FailureHistoryPort;
import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.history.FailureAnalysis;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.history.FailureAnalyzer;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The failure episodes of the period before now, grouped by {@link FailureAnalyzer}. A type filter applies to the type
 * each episode was recorded under, and is applied by the store, before the limit. Reads at most {@link #LIMIT}
 * episodes of the selected types (the newest): far more than a day of failures of a few dozen servers, so in practice
 * all of them; beyond that, the oldest are left out of the analysis and it says so ({@link FailureAnalysis#truncated}).
 */
public final class AnalyzeFailuresService implements AnalyzeFailuresUseCase {
    /** The most episodes read for one analysis. */
    public static final int LIMIT = 10_000;

    private final FailureHistoryPort failures;
    private final ServerCatalogPort catalog;
    private final Clock clock;

    public AnalyzeFailuresService(FailureHistoryPort failures, ServerCatalogPort catalog, Clock clock) {
        this.failures = Objects.requireNonNull(failures, "failures");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public FailureAnalysis analyze(Query query) {
        Objects.requireNonNull(query, "query");
        Set<ServerType> known = catalog.servers().stream().map(MonitoredServer::type).collect(Collectors.toSet());
        query.types().stream().filter(t -> !known.contains(t)).sorted().findFirst().ifPresent(t -> {
            throw new UnknownServerTypeException(t, known);
        });
        Instant until = clock.instant();
        Instant since = until.minus(query.period());
        // one more than the limit, to know whether any was left out
        List<Failure> read = failures.failures(since, query.types(), LIMIT + 1);
        boolean truncated = read.size() > LIMIT;
        List<Failure> newest = read.stream().limit(LIMIT)
                .filter(f -> query.types().isEmpty() || query.types().contains(f.serverType()))
                .toList();
        return FailureAnalyzer.analyze(newest, since, until, truncated);
    }
}
