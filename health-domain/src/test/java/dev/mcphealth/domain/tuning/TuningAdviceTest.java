package dev.mcphealth.domain.tuning;

import dev.mcphealth.domain.model.ServerId;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.tuning.TuningAdvice.Recommendation;
import dev.mcphealth.domain.tuning.TuningAdvice.Setting;
import dev.mcphealth.domain.tuning.TuningAdvice.Value;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class TuningAdviceTest {
    private static final ServerId S = ServerId.of("search-1");
    private static final Value.Time TEN_S = new Value.Time(Duration.ofSeconds(10));
    private static final Value.Time THREE_S = new Value.Time(Duration.ofSeconds(3));

    private static String refused(Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    @Test
    void eachSettingWritesItsValueInItsUnit() {
        assertEquals("3000", Setting.PROBE_TIMEOUT.text(THREE_S));
        assertEquals("3000", Setting.BREAKER_SLOW_CALL.text(THREE_S));
        assertEquals("3000", Setting.BREAKER_OPEN_DURATION.text(THREE_S));
        assertEquals("3", Setting.PROBE_INTERVAL.text(THREE_S));
        assertEquals("1.5", Setting.PROBE_INTERVAL.text(new Value.Time(Duration.ofMillis(1_500))));
        assertEquals("25", Setting.BREAKER_FAILURE_RATE.text(new Value.Percent(25)));
        assertEquals(0.25, new Value.Percent(25).fraction());
    }

    @Test
    void aSettingTakesOnlyItsKindOfValueAndThoseForAPersonNone() {
        assertTrue(Setting.PROBE_TIMEOUT.takes(THREE_S));
        assertFalse(Setting.PROBE_TIMEOUT.takes(new Value.Percent(5)));
        assertFalse(Setting.BREAKER_FAILURE_RATE.takes(THREE_S));
        assertFalse(Setting.INVESTIGATE.settable());
        assertFalse(Setting.ADD_INSTANCE.settable());
        assertEquals("investigate does not take Time[duration=PT3S]", refused(() -> Setting.INVESTIGATE.text(THREE_S)));
        assertEquals("probe_interval_s does not take Percent[percent=5]",
                refused(() -> Setting.PROBE_INTERVAL.text(new Value.Percent(5))));
    }

    @Test
    void valuesAreValidated() {
        assertEquals("a time setting must be positive, got PT0S", refused(() -> new Value.Time(Duration.ZERO)));
        assertEquals("a percentage must be 0..100, got 101", refused(() -> new Value.Percent(101)));
    }

    @Test
    void aChangeWritesItsTextsFromItsValues() {
        Recommendation r = Recommendation.change(S, Setting.PROBE_TIMEOUT, TEN_S, THREE_S, "why", "figures");

        assertEquals("10000", r.current());
        assertEquals("3000", r.proposed());
        assertEquals(Optional.of(TEN_S), r.currentValue());
        assertEquals(Optional.of(THREE_S), r.proposedValue());
    }

    @Test
    void textsAndTypedValuesMustAgree() {
        assertEquals("proposed \"2000\" is not Time[duration=PT3S] in probe_timeout_ms (3000)",
                refused(() -> new Recommendation(S, Setting.PROBE_TIMEOUT, "10000", "2000", Optional.of(TEN_S),
                        Optional.of(THREE_S), "why", "figures")));
        assertEquals("probe_timeout_ms needs a typed current value",
                refused(() -> new Recommendation(S, Setting.PROBE_TIMEOUT, "10000", "3000", Optional.empty(),
                        Optional.of(THREE_S), "why", "figures")));
        assertEquals("probe_interval_s does not take Percent[percent=5]",
                refused(() -> Recommendation.change(S, Setting.PROBE_INTERVAL, TEN_S, new Value.Percent(5), "why",
                        "figures")));
    }

    @Test
    void aRecommendationForAPersonCarriesNoValue() {
        Recommendation r = Recommendation.forPerson(S, Setting.INVESTIGATE, "4 episodes in 24 h", "find the cause",
                "why", "figures");

        assertEquals(Optional.empty(), r.proposedValue());
        assertEquals("instances needs a person and takes no value",
                refused(() -> new Recommendation(S, Setting.ADD_INSTANCE, "1", "2", Optional.empty(),
                        Optional.of(THREE_S), "why", "figures")));
    }
}
