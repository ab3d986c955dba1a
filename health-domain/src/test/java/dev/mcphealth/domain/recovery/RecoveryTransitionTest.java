package dev.mcphealth.domain.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Set;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The table itself: one entry per legal pair, nothing else allowed, and no phase a server can get stuck in. */
class RecoveryTransitionTest {

    @Property
    void betweenAllowsExactlyThePairsOfTheTable(@ForAll RecoveryPhase from, @ForAll RecoveryPhase to) {
        boolean listed = Arrays.stream(RecoveryTransition.values()).anyMatch(t -> t.from() == from && t.to() == to);
        if (listed) {
            RecoveryTransition t = RecoveryTransition.between(from, to);
            assertEquals(from, t.from());
            assertEquals(to, t.to());
        } else {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> RecoveryTransition.between(from, to));
            assertEquals("illegal recovery transition " + from + " -> " + to, e.getMessage());
        }
    }

    @Example
    void noPhaseMovesToItselfAndEachPairIsListedOnce() {
        Set<String> pairs = new java.util.HashSet<>();
        for (RecoveryTransition t : RecoveryTransition.values()) {
            assertTrue(t.from() != t.to(), t + " is no change");
            assertTrue(pairs.add(t.from() + ">" + t.to()), t + " is listed twice");
        }
    }

    @Example
    void everyPhaseIsReachableFromUpAndLeadsBackToUp() {
        for (RecoveryPhase p : RecoveryPhase.values()) {
            assertTrue(reachable(RecoveryPhase.UP).contains(p), p + " is reachable from UP");
            assertTrue(reachable(p).contains(RecoveryPhase.UP), "a server in " + p + " can end its episode");
        }
    }

    @Example
    void aServerDownIsNeverGivenUpOn() {
        // exhausted is retried slowly: there is always a way from it to an attempt
        assertTrue(RecoveryTransition.find(RecoveryPhase.EXHAUSTED, RecoveryPhase.ATTEMPTING).isPresent());
        assertTrue(RecoveryTransition.find(RecoveryPhase.WAITING, RecoveryPhase.ATTEMPTING).isPresent());
    }

    private static Set<RecoveryPhase> reachable(RecoveryPhase start) {
        Set<RecoveryPhase> seen = EnumSet.of(start);
        Deque<RecoveryPhase> todo = new ArrayDeque<>(Set.of(start));
        while (!todo.isEmpty()) {
            RecoveryPhase p = todo.pop();
            for (RecoveryTransition t : RecoveryTransition.values()) {
                if (t.from() == p && seen.add(t.to())) {
                    todo.push(t.to());
                }
            }
        }
        return seen;
    }
}
