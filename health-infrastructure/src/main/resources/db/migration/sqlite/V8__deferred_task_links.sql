-- Links to orchestrator tasks stamped while the task's plan waited in the outbox carry a stand-in, 'outbox:N' (N the
-- plan's outbox entry), until the plan is delivered and the stand-in is replaced by the task id it obtained
-- (docs/orchestrator-workflows.md). These partial indexes hold only the rows that still carry one, so finding them
-- stays cheap however large the tables grow; the statements that look for them use the same LIKE term.
CREATE INDEX idx_metrics_task_standin ON integration_health_metrics (orchestrator_task_id)
    WHERE orchestrator_task_id LIKE 'outbox:%';
CREATE INDEX idx_failures_task_standin ON integration_failures (orchestrator_recovery_task_id)
    WHERE orchestrator_recovery_task_id LIKE 'outbox:%';
