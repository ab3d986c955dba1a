package dev.mcphealth.application.orchestrator;

/** What the orchestrator's complete_task takes as detailed work: at most {@link #MAX} characters. */
final class DetailedWork {
    static final int MAX = 30_000;

    private DetailedWork() {
    }

    /** {@code work}, cut to {@link #MAX} characters with an ellipsis when longer. */
    static String capped(String work) {
        return work.length() <= MAX ? work : work.substring(0, MAX - 1) + "…";
    }
}
