-- Changes that orchestrator_performance_optimizer applied to a running monitor, and their trials (docs/learning.md):
-- one row per change, written when it is applied (status running) and again when its trial ends. was_value and
-- now_value are the setting's values (milliseconds; breaker_failure_rate_percent in percent); was_text and now_text as
-- the setting's unit writes them. before_* and after_* are the server's window of window_seconds before the change and
-- after it (calls and errors include the probes; p95 of the answered ones, NULL when none). evidence is the
-- judgement's sentences, one per line. status 'stopped': the run that applied it stopped before the trial ended (a
-- restart undoes an applied change: the configuration file is the source of truth), set at the stop, or by the next
-- run when the stop could not.
CREATE TABLE tuning_trials (
    server_name TEXT NOT NULL,
    setting TEXT NOT NULL,
    applied_at DATETIME NOT NULL,
    trial_id INTEGER NOT NULL,
    was_value INTEGER NOT NULL,
    now_value INTEGER NOT NULL,
    window_seconds INTEGER NOT NULL CHECK (window_seconds > 0),
    before_calls INTEGER NOT NULL,
    before_errors INTEGER NOT NULL,
    before_probes INTEGER NOT NULL,
    before_answered INTEGER NOT NULL,
    before_p95_ms REAL,
    status TEXT NOT NULL CHECK (status IN ('running', 'kept', 'rolled_back', 'overtaken', 'stopped')),
    verdict TEXT CHECK (verdict IN ('better', 'no_worse', 'worse', 'too_few_calls')),
    evidence TEXT,
    after_calls INTEGER,
    after_errors INTEGER,
    after_probes INTEGER,
    after_answered INTEGER,
    after_p95_ms REAL,
    ended_at DATETIME,
    CHECK ((status = 'running') = (ended_at IS NULL)),
    -- an ended trial was judged: its verdict, evidence and the window after; only one judged worse is rolled back
    CHECK (status IN ('running', 'stopped') OR (verdict IS NOT NULL AND evidence IS NOT NULL
        AND after_calls IS NOT NULL AND after_errors IS NOT NULL AND after_probes IS NOT NULL
        AND after_answered IS NOT NULL)),
    CHECK (status <> 'rolled_back' OR verdict = 'worse'),
    PRIMARY KEY (server_name, setting, applied_at)
);
CREATE INDEX tuning_trials_by_time ON tuning_trials (applied_at);
