package dev.mcphealth.domain.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RendezvousTest {
    private static List<String> keys(int n) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add("server-" + i);
        }
        return keys;
    }

    private static List<String> members(int n) {
        List<String> members = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            members.add("host-" + i + "/" + (1000 + i));
        }
        return members;
    }

    @Test
    void noMembersOwnNothingAndTheOrderOfMembersDoesNotMatter() {
        assertEquals(Optional.empty(), Rendezvous.owner("a", List.of()));
        assertEquals(Rendezvous.owner("a", List.of("x", "y", "z")), Rendezvous.owner("a", List.of("z", "x", "y")));
    }

    @Test
    void theWeightsAreFixedSoEveryVersionAgrees() {
        // the same numbers on every JVM: a change of the hash would split a cluster of mixed versions
        assertEquals(Optional.of("host-1/1001"), Rendezvous.owner("server-0", members(3)));
        assertEquals(0xf035fcc195bb005aL, Rendezvous.weight("everything", "a"));
    }

    @Property(tries = 50)
    void aMemberLeavingMovesOnlyItsOwnKeys(@ForAll @IntRange(min = 2, max = 9) int size,
                                           @ForAll @IntRange(min = 0, max = 8) int leaving) {
        List<String> before = members(size);
        String gone = before.get(leaving % size);
        List<String> after = new ArrayList<>(before);
        after.remove(gone);
        for (String key : keys(200)) {
            String was = Rendezvous.owner(key, before).orElseThrow();
            String now = Rendezvous.owner(key, after).orElseThrow();
            assertTrue(was.equals(now) || was.equals(gone), key + " moved from " + was + " to " + now);
        }
    }

    @Property(tries = 50)
    void aMemberJoiningTakesKeysOnlyForItself(@ForAll @IntRange(min = 1, max = 9) int size) {
        List<String> before = members(size);
        List<String> after = new ArrayList<>(before);
        after.add("newcomer/1");
        for (String key : keys(200)) {
            String was = Rendezvous.owner(key, before).orElseThrow();
            String now = Rendezvous.owner(key, after).orElseThrow();
            assertTrue(was.equals(now) || now.equals("newcomer/1"), key + " moved from " + was + " to " + now);
        }
    }

    @Test
    void keysAreSpreadEvenly() {
        Map<String, Integer> count = new HashMap<>();
        for (String key : keys(3000)) {
            count.merge(Rendezvous.owner(key, members(3)).orElseThrow(), 1, Integer::sum);
        }
        count.values().forEach(n -> assertTrue(n > 850 && n < 1150, count.toString()));
    }
}
