-- The outbox of calls to the MCP Task Orchestrator that could not be delivered when they were made, kept until it
-- returns and then delivered in order, each at most once (docs/orchestrator-outbox.md).
-- Timestamps are UTC text as SqlTime writes them ("YYYY-MM-DD HH:MM:SS.SSS").

-- One row per call. A "run" is one health operation linked to an orchestrator session (a recovery, a failover); its
-- entries are the run's calls in the order they were made. What a run obtained from the orchestrator is kept on the
-- entry that obtained it (task_id, session_id), so there is no table of runs: a later entry names the entry whose
-- task id it needs (task_from), and that id goes into its arguments when it is sent.
-- AUTOINCREMENT: an id is never used twice, even after rows are deleted, so id order is creation order for good and
-- task_from never comes to point at another call.
CREATE TABLE orchestrator_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_key TEXT NOT NULL CHECK (length(run_key) BETWEEN 1 AND 200),
    tool TEXT NOT NULL CHECK (tool IN ('orchestrator_initialize_session', 'orchestrator_plan_task',
        'orchestrator_execute_task', 'orchestrator_complete_task', 'orchestrator_update_task',
        'orchestrator_query_tasks', 'orchestrator_synthesize_results', 'orchestrator_get_status',
        'orchestrator_maintenance_coordinator', 'orchestrator_health_check', 'orchestrator_restart_server',
        'orchestrator_reconnect_test', 'orchestrator_restart_status', 'orchestrator_shutdown_prepare')),
    -- JSON object: the call's arguments; once claimed, the arguments sent (task_id filled in from task_from)
    arguments TEXT NOT NULL CHECK (json_valid(arguments) AND json_type(arguments) = 'object'),
    -- the entry of the same run whose task_id this one needs; NULL when it needs none
    task_from INTEGER REFERENCES orchestrator_outbox (id),
    created_at DATETIME NOT NULL,
    -- pending: waits; sending: claimed and committed before the call is made (found so after a restart, it may have
    -- reached the orchestrator: it becomes unconfirmed, never sent again); the others are final
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'answered', 'done_despite_error',
        'refused', 'unconfirmed', 'skipped')),
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0), -- times handed to the orchestrator
    last_error TEXT, -- why the last attempt did not reach it (breaker open, no session, ...)
    settled_at DATETIME, -- when it reached its final state; NULL while pending or sending
    -- the reply's summary: answered: the JSON object it answered; done_despite_error: its raw text; refused: the error;
    -- unconfirmed: why no answer came; skipped: why it was not sent
    reply TEXT,
    task_id TEXT, -- the task_id it answered (plan_task), for the run's later entries and for plain SQL readers
    session_id TEXT, -- the session_id it answered (initialize_session)
    CHECK ((state IN ('pending', 'sending')) = (settled_at IS NULL)),
    CHECK ((state IN ('pending', 'sending')) = (reply IS NULL)),
    CHECK (state <> 'answered' OR json_valid(reply)),
    CHECK (state <> 'sending' OR attempts > 0)
);
-- What waits, in order: only the few unsettled rows are indexed, however long the settled history grows.
CREATE INDEX idx_outbox_unsettled ON orchestrator_outbox (id) WHERE state IN ('pending', 'sending');
-- A run's entries in order.
CREATE INDEX idx_outbox_run ON orchestrator_outbox (run_key, id);
