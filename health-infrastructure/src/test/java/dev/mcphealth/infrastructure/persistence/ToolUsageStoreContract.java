package dev.mcphealth.infrastructure.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mcphealth.domain.history.RetentionReport;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.routing.ToolUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** tool_usage (V11) on a real SQLite and PostgreSQL file: written, read back, pruned with the raw rows. */
abstract class ToolUsageStoreContract {
    private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);

    /** The database under test: a fresh one for each test. */
    protected abstract Database db();

    private static ToolUsage echo(Instant from, long calls, long failures, double p50) {
        return new ToolUsage(ServerType.of("demo"), "echo", from, MINUTE, calls, failures, OptionalDouble.of(p50),
                OptionalDouble.of(p50 * 2), OptionalDouble.of(p50 * 3), OptionalDouble.of(p50 * 1.25));
    }

    @Test
    void eachWindowIsARowReadBackAsItWasWritten() {
        JdbcToolUsageStore store = new JdbcToolUsageStore(db());
        ToolUsage first = echo(T0, 120, 3, 1.25);
        ToolUsage noneAnswered = new ToolUsage(ServerType.of("kv"), "read_graph", T0.plus(MINUTE), MINUTE, 4, 4,
                OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty());
        store.save(List.of(first, noneAnswered));
        store.save(List.of(echo(T0.plus(MINUTE.multipliedBy(2)), 7, 0, 2.0)));

        assertEquals(List.of(first, noneAnswered), store.read(T0, T0.plus(MINUTE.multipliedBy(2))));
        assertEquals(3, store.read(T0, T0.plus(Duration.ofHours(1))).size());
        assertEquals(List.of(), store.read(T0.minus(MINUTE), T0));
    }

    @Test
    void theSchemaRefusesAWindowWithoutCallsOrWithMoreFailuresThanCalls() {
        for (String values : List.of("('demo', 'echo', '2026-12-05 10:00:00.000', 60000, 0, 0)",
                "('demo', 'echo', '2026-12-05 10:00:00.000', 60000, 2, 3)",
                "('demo', 'echo', '2026-12-05 10:00:00.000', 0, 2, 0)")) {
            assertThrows(Exception.class, () -> Sql.execute(db(), "INSERT INTO tool_usage (server_type,"
                    + " tool_name, window_start, window_ms, calls, failures) VALUES " + values), values);
        }
    }

    @Test
    void pruningDeletesTheWindowsThatBeganBeforeTheRawRowsCutOff() {
        JdbcToolUsageStore store = new JdbcToolUsageStore(db());
        store.save(List.of(echo(T0.minus(Duration.ofDays(8)), 1, 0, 1), echo(T0.minus(Duration.ofDays(6)), 1, 0, 1)));

        RetentionReport r = new JdbcRetention(db()).prune(T0, T0.minus(Duration.ofDays(7)),
                T0.minus(Duration.ofDays(365)));

        assertEquals(1, r.toolUsageRowsDeleted());
        assertEquals(List.of(T0.minus(Duration.ofDays(6))), store.read(T0.minus(Duration.ofDays(30)), T0).stream()
                .map(ToolUsage::from).toList());
    }
}
