-- orchestrator_health_integration (V1, the design's table) gets one row per use of the orchestrator's own health tools
-- (docs/orchestrator-workflows.md): a health check in every health_check result, a status on every dashboard read.
-- Its readers ask for the latest rows of one integration type, newest first; this index serves that query without
-- scanning or sorting the whole history.
CREATE INDEX idx_integration_type_time ON orchestrator_health_integration (integration_type, last_validation);
