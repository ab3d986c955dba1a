package dev.mcphealth.application.port.in;

/**
 * At start, what an earlier run left open (it was killed, or stopped while servers were failing) is read back: each
 * watched server's newest open failure episode and alert are carried into this run (its first observation continues
 * them, or closes them at the last time the earlier run saw the server); every other one is closed now at its
 * best-known end, saying why. Nothing stays open once its server is seen healthy, and nothing open is counted twice.
 */
@FunctionalInterface
public interface ResumeEpisodesUseCase {
    /**
     * @throws dev.mcphealth.application.port.out.StorageUnavailableException if the store cannot be read or written
     */
    default Resumed resume() {
        return resume(server -> true);
    }

    /**
     * As {@link #resume()}, of the servers in {@code scope} only: the others' episodes are neither carried nor closed
     * (one of several monitors sharing a database resumes its own stdio servers; the shared ones are carried on by
     * whichever monitor takes them).
     *
     * @throws dev.mcphealth.application.port.out.StorageUnavailableException if the store cannot be read or written
     */
    Resumed resume(java.util.function.Predicate<dev.mcphealth.domain.model.ServerId> scope);

    /** How many episodes (failures and alerts) were carried into this run, and how many closed. */
    record Resumed(int carried, int closed) {
    }
}
