package dev.mcphealth.adapter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Names in tables: whole when they fit, else their start and end, so that two long names stay apart. */
class NameColumnTest {
    @Test
    void theColumnIsAsWideAsTheLongestNameWithinItsBounds() {
        assertEquals(24, NameColumn.width(Stream.of("mem", "files")));
        assertEquals(45, NameColumn.width(Stream.of("a".repeat(41) + "-one", "x")));
        assertEquals(80, NameColumn.width(Stream.of("n".repeat(200))));
    }

    @Test
    void namesAlikeAtTheirStartStayApartByTheirEnds() {
        String one = NameColumn.fit("team-a-".repeat(20) + "one", 80);
        String two = NameColumn.fit("team-a-".repeat(20) + "two", 80);
        assertEquals(80, one.length());
        assertNotEquals(one, two);
        assertEquals("mem", NameColumn.fit("mem", 24));
    }
}
