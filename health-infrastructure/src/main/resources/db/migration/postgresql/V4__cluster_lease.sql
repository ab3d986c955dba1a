-- The lease time each monitor runs with (MCP_HEALTH_CLUSTER_LEASE), so that whoever reads the cluster judges each
-- member by its own lease (docs/cluster.md); NULL: the reader's.
ALTER TABLE monitor_instances ADD COLUMN IF NOT EXISTS lease_ms BIGINT CHECK (lease_ms > 0);
