package dev.mcphealth.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A status snapshot's standby phase, as the board writes it and as a stored board may hold it. */
class StatusSnapshotStandbyTest {
    private static StatusSnapshot with(Map<String, String> details) {
        return new StatusSnapshot(ServerId.of("b"), ServerType.of("search"), Optional.empty(), Optional.empty(),
                List.of(), 0, 0, Uptime.NONE, 0.999, Optional.empty(), Optional.empty(),
                Instant.parse("2026-12-06T00:00:00Z"), details);
    }

    @Test
    void aColdStandbyReadsAsStandbyAndAnUnknownValueAsNone() {
        assertEquals(Optional.of(StandbyPhase.COLD), with(Map.of("standby", "cold")).standby());
        assertEquals("standby", with(Map.of("standby", "cold")).statusOr("unknown"));
        assertEquals("unknown", with(Map.of("standby", "warm")).statusOr("unknown"), "warm, not yet probed");
        assertEquals(Optional.empty(), with(Map.of("standby", "tepid")).standby(), "a stored value not known here");
        assertEquals("unknown", with(Map.of()).statusOr("unknown"));
    }
}
