-- Several monitors on one database (docs/cluster.md): who is alive, and who probes and records which remote server.
-- PostgreSQL only: a SQLite file has one monitor.

CREATE TABLE monitor_instances (
    instance_id TEXT PRIMARY KEY CHECK (length(instance_id) BETWEEN 1 AND 200),
    host TEXT NOT NULL,
    pid BIGINT NOT NULL,
    started_at TIMESTAMPTZ NOT NULL,
    heartbeat_at TIMESTAMPTZ NOT NULL, -- renewed every few seconds; live while younger than the lease time
    stopped_at TIMESTAMPTZ, -- set by a clean stop; NULL while it runs (or after it died)
    CHECK (stopped_at IS NULL OR stopped_at >= started_at)
);

-- each claim takes the next: a lease's token only ever grows, so a stale holder's token is never a live one
CREATE SEQUENCE lease_tokens;

CREATE TABLE server_leases (
    server_instance TEXT PRIMARY KEY,
    owner TEXT NOT NULL, -- monitor_instances.instance_id (no foreign key: an instance's row may be cleaned up first)
    token BIGINT NOT NULL CHECK (token > 0),
    acquired_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL, -- the database's clock decides, never an instance's
    handed_over BOOLEAN NOT NULL DEFAULT FALSE, -- given up by its holder (no longer its share): the next may take it
    CHECK (expires_at > acquired_at)
);
CREATE INDEX idx_leases_owner ON server_leases (owner);

