package dev.mcphealth.application.check;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Waiting on work handed to an executor, with what went wrong in it thrown as itself. */
final class Futures {
    private Futures() {
    }

    /** The task's result; a runtime exception or error it threw is rethrown as it was, not wrapped. */
    static <T> T joined(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
