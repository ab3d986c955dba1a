package dev.mcphealth.application.port.in;

import java.util.Objects;
import java.util.Optional;

/**
 * One flush: rows written now, rows still waiting, rows dropped since monitoring began because the buffer was full,
 * and why the store could not be written, if it could not.
 */
public record FlushReport(int written, int pending, long dropped, Optional<String> storageProblem) {
    public FlushReport {
        if (written < 0 || pending < 0 || dropped < 0) {
            throw new IllegalArgumentException("counts cannot be negative");
        }
        Objects.requireNonNull(storageProblem, "storageProblem");
    }
}
