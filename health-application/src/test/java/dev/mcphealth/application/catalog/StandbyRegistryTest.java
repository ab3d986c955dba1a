package dev.mcphealth.application.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.StandbyPhase;
import dev.mcphealth.domain.model.StandbyTransition;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StandbyRegistryTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private static final ServerId A = ServerId.of("a");
    private static final ServerId B = ServerId.of("b");
    private static final ServerId C = ServerId.of("c");

    @Test
    void aServerThatIsNotOnStandbyAlwaysServesAndIsProbed() {
        StandbyInstances none = StandbyInstances.NONE;
        assertTrue(none.serves(A) && none.probed(A));
        assertFalse(none.isStandby(A));
        assertEquals(Optional.empty(), none.entry(A));
        StandbyInstances some = new StandbyRegistry(List.of(C, B), T0);
        assertTrue(some.serves(A) && some.probed(A));
        assertEquals(List.of(C, B), List.copyOf(some.all()), "configuration order");
    }

    @Test
    void aStandbyInstanceIsProbedOnceWarmingAndServesOnlyWhenWarm() {
        StandbyInstances s = new StandbyRegistry(List.of(B), T0);
        assertEquals(new StandbyInstances.Entry(StandbyPhase.COLD, T0), s.entry(B).orElseThrow());
        assertFalse(s.probed(B) || s.serves(B));
        assertTrue(s.move(B, StandbyTransition.WARM_UP, T0.plusSeconds(1)));
        assertTrue(s.probed(B));
        assertFalse(s.serves(B));
        assertFalse(s.move(B, StandbyTransition.WARM_UP, T0.plusSeconds(2)), "already warming: nothing changes");
        assertFalse(s.move(B, StandbyTransition.COOL, T0.plusSeconds(2)), "a cool starts from warm");
        assertTrue(s.move(B, StandbyTransition.READY, T0.plusSeconds(3)));
        assertTrue(s.serves(B));
        assertEquals(T0.plusSeconds(3), s.entry(B).orElseThrow().since());
        assertThrows(IllegalArgumentException.class, () -> s.move(A, StandbyTransition.WARM_UP, T0));
    }
}
