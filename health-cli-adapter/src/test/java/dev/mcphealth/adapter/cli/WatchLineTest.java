package dev.mcphealth.adapter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcphealth.domain.model.AnomalyRaised;
import dev.mcphealth.domain.model.AnomalyResolved;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.UsageBand;
import dev.mcphealth.domain.model.UsageFigure;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The human lines of `watch` for usage anomalies (docs/cli.md). */
class WatchLineTest {
    private static final Instant AT = Instant.parse("2026-12-07T09:01:00Z");

    @Test
    void anAnomalyNamesThePoolToolFigureObservedValueAndUsualBand() {
        assertEquals("2026-12-07T09:01:00Z ANOMALY search tool find rate 96.5 above its usual 9.25..36.125 (over 1 min)",
                WatchCommand.line(new AnomalyRaised(ServerType.of("search"), Optional.of("find"), UsageFigure.RATE,
                        true, 96.5, 1, new UsageBand(20, 9.25, 36.125, 0.5), 12, AT)));
        assertEquals("2026-12-07T09:01:00Z ANOMALY search rate 0.0 below its usual 9.25..36.125 (over 5 min)",
                WatchCommand.line(new AnomalyRaised(ServerType.of("search"), Optional.empty(), UsageFigure.RATE,
                        false, 0, 5, new UsageBand(20, 9.25, 36.125, 0.5), -9, AT)));
    }

    @Test
    void itsEndSaysWhenItWasRaised() {
        assertEquals("2026-12-07T09:08:00Z ANOMALY OVER search tool find p95 back in its band (raised"
                        + " 2026-12-07T09:01:00Z)",
                WatchCommand.line(new AnomalyResolved(ServerType.of("search"), Optional.of("find"), UsageFigure.P95,
                        AT, AT.plusSeconds(420))));
    }

    @Test
    void aToolNameWithControlCharactersIsEscaped() {
        String line = WatchCommand.line(new AnomalyResolved(ServerType.of("search"), Optional.of("find\u001b[2J"),
                UsageFigure.P95, AT, AT.plusSeconds(420)));
        assertEquals(-1, line.indexOf('\u001b'), line);
    }

    @Test
    void aJudgedChangeSaysWhatBecameOfItAndWhy() {
        java.time.Duration w = java.time.Duration.ofMinutes(15);
        dev.mcphealth.domain.model.WindowStats before = new dev.mcphealth.domain.model.WindowStats(w, 90, 0, 90, 90,
                Optional.empty(), Optional.empty(), Optional.empty());
        dev.mcphealth.domain.model.WindowStats after = new dev.mcphealth.domain.model.WindowStats(w, 90, 11, 90, 79,
                Optional.empty(), Optional.empty(), Optional.empty());
        assertEquals("2026-12-07T09:16:00Z CHANGE ROLLED_BACK web-1 probe_timeout_ms 5000 -> 800 (worse:"
                        + " probes failed 0 of 90 before, 11 of 90 after)",
                WatchCommand.line(new dev.mcphealth.domain.model.ChangeJudged(dev.mcphealth.domain.model.ServerId
                        .of("web-1"), "probe_timeout_ms", "5000", "800",
                        dev.mcphealth.domain.model.ChangeJudged.Outcome.ROLLED_BACK,
                        dev.mcphealth.domain.model.TrialVerdict.WORSE,
                        java.util.List.of("worse: probes failed 0 of 90 before, 11 of 90 after"), before, after,
                        AT, AT.plusSeconds(900))));
    }

    @Test
    void aStandbyChangeSaysItsPhasePoolAndWhy() {
        assertEquals("2026-12-07T09:01:00Z STANDBY WARMING web-2 of web (no active instance of the pool is usable)",
                WatchCommand.line(new dev.mcphealth.domain.model.StandbyChanged(dev.mcphealth.domain.model.ServerId
                        .of("web-2"), dev.mcphealth.domain.model.ServerType.of("web"),
                        dev.mcphealth.domain.model.StandbyTransition.WARM_UP,
                        "no active instance of the pool is usable", AT)));
    }
}
