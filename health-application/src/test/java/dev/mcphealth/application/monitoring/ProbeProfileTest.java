package dev.mcphealth.application.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.learning.HourOfWeek;
import dev.mcphealth.domain.learning.UsageProfile;
import dev.mcphealth.domain.model.UsageFigure;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A minute of probes becomes one learned minute: their count, median and 95th percentile. */
class ProbeProfileTest {
    private static final Instant T = Instant.parse("2026-11-30T09:00:00Z");

    @Test
    void aMinuteIsLearnedWhenAProbeOfTheNextOneComesWithItsMedianAndNinetyFifthPercentile() {
        ProbeProfile p = new ProbeProfile();
        p.restore(List.of(), Optional.empty());
        for (int i = 0; i < 20; i++) {
            p.sample(T.plusSeconds(i * 3L), i < 19 ? 100 : 1000); // one slow probe of twenty
        }
        assertEquals(Optional.empty(), p.changed(), "the minute is still under way");
        p.sample(T.plusSeconds(61), 100);

        UsageProfile learned = UsageProfile.restore(p.changed().orElseThrow());
        assertEquals(1, learned.minutes());
        assertEquals(20, learned.expected(new HourOfWeek(9), UsageFigure.RATE).orElseThrow().expected(), 1e-6);
        assertEquals(100, learned.expected(new HourOfWeek(9), UsageFigure.P50).orElseThrow().expected(), 1e-6);
        assertEquals(100, learned.expected(new HourOfWeek(9), UsageFigure.P95).orElseThrow().expected(), 1e-6,
                "the 19th of 20 is the 95th percentile: the slow one is the 100th");
        assertEquals(Optional.of(T), p.learnedUpTo());
        p.saved(T);
        assertEquals(Optional.empty(), p.changed(), "saved");

        p.sample(T.plusSeconds(125), 100); // 09:01 learned: changed again
        p.saved(T); // a save of what was learned up to 09:00 finishing late says nothing of 09:01
        assertTrue(p.changed().isPresent(), "09:01 is still to be saved");
        assertEquals(Optional.of(T.plusSeconds(60)), p.learnedUpTo());
    }
}
