package dev.mcphealth.infrastructure.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundedLinesTest {
    final List<String> lines = new ArrayList<>();
    final List<String> tooLong = new ArrayList<>();
    final BoundedLines.Sink sink = new BoundedLines.Sink() {
        @Override
        public void line(String line) {
            lines.add(line);
        }

        @Override
        public void tooLong(String start, long bytes) {
            tooLong.add(start.length() + "/" + bytes);
        }
    };

    @Test
    void linesAreSplitOnNewlinesAndACarriageReturnBeforeOneIsDropped() throws Exception {
        new BoundedLines(new ByteArrayInputStream("a\r\nbc\n\nlast".getBytes(StandardCharsets.UTF_8)), 10)
                .readAll(sink);
        assertEquals(List.of("a", "bc", "", "last"), lines);
    }

    @Test
    void aLineOverTheBoundIsCutAndCountedWhateverItsLength() throws Exception {
        // 600 MB without a newline, generated as it is read: never held, only counted
        long size = 600L << 20;
        InputStream endless = new InputStream() {
            long left = size;

            @Override
            public int read() {
                return left-- > 0 ? 'x' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 'x');
                left -= n;
                return n;
            }
        };
        new BoundedLines(endless, 1024).readAll(sink);
        assertEquals(List.of("1024/" + size), tooLong);
        assertEquals(List.of(), lines);
    }

    @Test
    void anOverLongLineHandsOnOnlyItsStartNotTheWholeBound() throws Exception {
        // a 3 MiB message under a 1 MiB bound: the bound is read, but only the start is made into a string
        byte[] text = ("x".repeat(3 << 20) + "\nnext\n").getBytes(StandardCharsets.UTF_8);
        new BoundedLines(new ByteArrayInputStream(text), 1 << 20).readAll(sink);
        assertEquals(List.of(BoundedLines.START + "/" + (3 << 20)), tooLong);
        assertEquals(List.of("next"), lines, "the line after it is read whole");
    }

    @Test
    void aLongLineWithinTheBoundIsHandedOnWholeAndTheNextOnesToo() throws Exception {
        String big = "y".repeat(300 << 10);
        byte[] text = (big + "\n" + "z".repeat(10) + "\n" + big + "\n").getBytes(StandardCharsets.UTF_8);
        new BoundedLines(new ByteArrayInputStream(text), 1 << 20).readAll(sink);
        assertEquals(List.of(big, "z".repeat(10), big), lines);
        assertEquals(List.of(), tooLong);
    }
}
