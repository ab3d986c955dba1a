package dev.mcphealth.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BreakerStateTest {

    @Test
    void theCodesAreTheSchemasSpelling() {
        assertSame(BreakerState.CLOSED, BreakerState.fromCode("closed"));
        assertSame(BreakerState.OPEN, BreakerState.fromCode("open"));
        assertSame(BreakerState.HALF_OPEN, BreakerState.fromCode("half_open"));
        for (BreakerState s : BreakerState.values()) {
            assertSame(s, BreakerState.fromCode(s.code()));
        }
    }

    @Test
    void anUnknownCodeListsTheLegalOnes() {
        assertEquals("breaker state must be one of closed, open, half_open, got \"half-open\"",
                assertThrows(IllegalArgumentException.class, () -> BreakerState.fromCode("half-open")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> BreakerState.fromCode("OPEN"));
        assertEquals("breaker state must be one of closed, open, half_open, got null",
                assertThrows(IllegalArgumentException.class, () -> BreakerState.fromCode(null)).getMessage());
    }
}
