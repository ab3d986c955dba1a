-- Retention of the orchestrator's history (docs/storage.md#retention): the pruning that deletes raw metric rows past
-- the raw retention also deletes the outbox entries settled before that cut-off and the orchestrator_health_integration
-- rows validated before it. These indexes let it find them, and delete them, without scanning either table.

-- Settled entries by when they were settled: the old ones to delete, and the recent ones whose task_from must stay.
-- Pending and sending rows (settled_at NULL) are never deleted, so they are not in it.
CREATE INDEX idx_outbox_settled ON orchestrator_outbox (settled_at) WHERE settled_at IS NOT NULL;
-- task_from is a foreign key into the same table: each deleted entry makes SQLite look for entries that still name it,
-- which without this index is a scan of the table per deleted row.
CREATE INDEX idx_outbox_task_from ON orchestrator_outbox (task_from);
-- Integration rows by validation time alone (idx_integration_type_time, V6, leads with the type).
CREATE INDEX idx_integration_time ON orchestrator_health_integration (last_validation);
