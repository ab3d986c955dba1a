package dev.mcphealth.application.orchestrator;

/** Where a run stands in this process. */
public enum RunHere {
    /** Running now: its calls are still being made. */
    LIVE,
    /** Run and finished here: everything it records is recorded. */
    FINISHED,
    /** Not this process's: an earlier process's, or another one's on the same database. */
    NOT_HERE
}
