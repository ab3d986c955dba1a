package dev.mcphealth.application.routing;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.RecordToolUsageUseCase;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.application.port.out.ToolUsageStorePort;
import dev.mcphealth.application.testkit.FailoverRig;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.routing.ToolUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Each tool's minutes of calls through the pools written to the store: each window once, after it ended; the one under
 * way at the stop; none without calls; rows the store refuses kept for the next time.
 */
class RecordToolUsageServiceTest {

    /** Test double of the store: keeps what it is given, or refuses while {@code down}. */
    private static final class Store implements ToolUsageStorePort {
        final List<ToolUsage> rows = new ArrayList<>();
        boolean down;

        @Override
        public void save(List<ToolUsage> batch) {
            if (down) {
                throw new StorageUnavailableException("cannot write tool usage to health.db: disk I/O error", null);
            }
            rows.addAll(batch);
        }

        @Override
        public List<ToolUsage> read(Instant from, Instant until) {
            return rows.stream().filter(r -> !r.from().isBefore(from) && r.from().isBefore(until)).toList();
        }
    }

    private final Store store = new Store();
    private final FailoverRig rig = new FailoverRig(ResilienceSettings.DEFAULTS, 3, server("a"), server("b"))
            .started();
    private final RecordToolUsageService usage = new RecordToolUsageService(rig.client.toolStatistics(), store,
            rig.clock);

    private static MonitoredServer server(String name) {
        return aServer().named(name).ofType("search").every(Duration.ofSeconds(1)).build();
    }

    private void calls(int n) {
        for (int i = 0; i < n; i++) {
            rig.call("search");
        }
    }

    @Test
    void aMinuteOfCallsIsOneRowWrittenOnceAfterItEnded() {
        calls(30);
        assertEquals(new RecordToolUsageUseCase.Written(0, 0, Optional.empty()), usage.record(false),
                "the minute is under way");
        rig.seconds(61);
        calls(5); // the next minute's

        RecordToolUsageUseCase.Written w = usage.record(false);

        assertEquals(1, w.rows());
        ToolUsage row = store.rows.get(0);
        assertEquals("search", row.serverType().value());
        assertEquals("search", row.tool());
        assertEquals(FailoverRig.START, row.from());
        assertEquals(Duration.ofMinutes(1), row.window());
        assertEquals(30, row.calls());
        assertEquals(0, row.failures());
        double p50 = row.p50Ms().orElseThrow();
        assertTrue(p50 >= 10 && p50 <= 10 * 1.125, "the fleet answers in 10 ms: " + p50);
        assertEquals(java.util.List.of(row), w.ended(), "the window that ended, handed on to learning");
        RecordToolUsageUseCase.Written again = usage.record(false);
        assertEquals(0, again.rows(), "written once");
        assertEquals(java.util.List.of(), again.ended(), "and handed on once");
    }

    @Test
    void theMinuteUnderWayIsWrittenAtTheStopAndAMinuteWithoutCallsNever() {
        calls(3);
        rig.seconds(125); // two minutes on, no flush since: the first window is still held, the next had no calls
        calls(2);

        RecordToolUsageUseCase.Written w = usage.record(true);

        assertEquals(2, w.rows());
        assertEquals(List.of(3L, 2L), store.rows.stream().map(ToolUsage::calls).toList());
        assertEquals(FailoverRig.START.plus(Duration.ofMinutes(2)), store.rows.get(1).from());

        calls(4);
        rig.seconds(4 * 60); // four windows on without a flush: that one is gone unwritten
        calls(1);
        assertEquals(1, usage.record(true).rows(), "only the window under way");
    }

    @Test
    void rowsTheStoreRefusesWaitForTheNextTime() {
        calls(4);
        rig.seconds(61);
        store.down = true;

        RecordToolUsageUseCase.Written refused = usage.record(false);
        assertEquals(0, refused.rows());
        assertEquals(1, refused.pending());
        assertEquals(1, refused.ended().size(), "learned even though the store did not take it");
        assertTrue(refused.problem().orElseThrow().contains("disk I/O error"));

        store.down = false;
        assertEquals(new RecordToolUsageUseCase.Written(1, 0, Optional.empty()), usage.record(false));
        assertEquals(4, store.rows.get(0).calls());
    }
}
