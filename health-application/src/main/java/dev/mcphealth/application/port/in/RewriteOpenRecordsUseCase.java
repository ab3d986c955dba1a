package dev.mcphealth.application.port.in;

/**
 * The store lost what was written to it (its file was deleted while in use and made again, empty): buffer again what
 * the monitor still holds of the present, so that the next flush writes it to the new store. That is each server's
 * open failure episode and open alert, and the status board. What was only ever in the old store (past rows, resolved
 * episodes) is gone with it; rows still waiting in the buffer were never written and are written as usual.
 */
@FunctionalInterface
public interface RewriteOpenRecordsUseCase {
    void rewriteOpenRecords();
}
