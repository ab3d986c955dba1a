-- Reconciling the tasks MCP Health planned in the MCP Task Orchestrator but did not see closed
-- (docs/orchestrator-outbox.md#reconciliation). The outbox also keeps, settled, the calls of a run that were made
-- directly: with them it is MCP Health's record of every task it planned and how its work ended.

-- The note reconciliation writes on a plan_task entry once it has dealt with that task (closed it, found it closed or
-- not open, could not find it): such a plan is not looked at again. The one change a settled entry ever gets.
ALTER TABLE orchestrator_outbox ADD COLUMN reconciled_at DATETIME;
ALTER TABLE orchestrator_outbox ADD COLUMN reconciliation TEXT;
-- The plans reconciliation has not looked at yet: only those few rows, however long the history grows.
CREATE INDEX idx_outbox_plans_to_reconcile ON orchestrator_outbox (id)
    WHERE tool = 'orchestrator_plan_task' AND reconciled_at IS NULL;
-- Whether a task id is one MCP Health obtained (a task found by its title must not be one it knows).
CREATE INDEX idx_outbox_task_id ON orchestrator_outbox (task_id) WHERE task_id IS NOT NULL;
