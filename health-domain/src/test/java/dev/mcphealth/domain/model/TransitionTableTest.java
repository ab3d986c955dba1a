package dev.mcphealth.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class TransitionTableTest {
    enum Light { RED, GREEN, AMBER }

    enum Change {
        GO(Light.RED, Light.GREEN), SLOW(Light.GREEN, Light.AMBER), STOP(Light.AMBER, Light.RED),
        AGAIN(Light.RED, Light.GREEN), STAY(Light.RED, Light.RED);

        final Light from;
        final Light to;

        Change(Light from, Light to) {
            this.from = from;
            this.to = to;
        }
    }

    private static TransitionTable<Light, Change> of(Change... changes) {
        return new TransitionTable<>(Light.class, changes, c -> c.from, c -> c.to, "light");
    }

    @Test
    void findsWhatItListsAndRefusesTheRestWithOneSentence() {
        TransitionTable<Light, Change> t = of(Change.GO, Change.SLOW, Change.STOP);
        assertEquals(Optional.of(Change.GO), t.find(Light.RED, Light.GREEN));
        assertEquals(Change.STOP, t.between(Light.AMBER, Light.RED));
        assertEquals(Optional.empty(), t.find(Light.GREEN, Light.RED));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.between(Light.GREEN, Light.RED));
        assertEquals("illegal light transition GREEN -> RED", e.getMessage());
    }

    @Test
    void aTableListingAPairTwiceOrAStateToItselfIsABug() {
        assertThrows(IllegalArgumentException.class, () -> of(Change.GO, Change.AGAIN));
        assertThrows(IllegalArgumentException.class, () -> of(Change.STAY));
    }
}
