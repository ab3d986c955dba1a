-- The design records failures per server type only; with several instances of one type, recovery and failure
-- analysis need to know which instance failed. Nullable, so rows from V1 stay valid.
ALTER TABLE integration_failures ADD COLUMN server_instance TEXT;
CREATE INDEX idx_failures_instance_time ON integration_failures (server_instance, occurred_at);
