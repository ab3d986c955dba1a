-- Each server's probe latency by hour of the week (docs/predictions.md: the seasonality its latency forecasts are held
-- against), learned a minute at a time from its answered probes: one row per server, and its estimates in the layout
-- of usage_profile_cells (V12): slots 0..167 the hours of the week (Monday 00:00 first, in UTC), 168..191 the hours of
-- the day, 192 all hours; figures rate (answered probes a minute, as its square root) and p50, p95 (the minute's
-- median and 95th-percentile probe latency, as the logarithm of milliseconds). Written whole for each server that
-- learned, every few minutes and at the stop.
CREATE TABLE probe_profiles (
    server_name TEXT PRIMARY KEY,
    -- the start of the last minute learned (UTC text as SqlTime writes it)
    learned_up_to DATETIME NOT NULL
);
CREATE TABLE probe_profile_cells (
    server_name TEXT NOT NULL,
    slot INTEGER NOT NULL CHECK (slot >= 0 AND slot <= 192),
    figure TEXT NOT NULL CHECK (figure IN ('rate', 'p50', 'p95', 'errors')),
    weight REAL NOT NULL CHECK (weight > 0),
    level REAL NOT NULL,
    spread REAL NOT NULL CHECK (spread >= 0),
    PRIMARY KEY (server_name, slot, figure),
    FOREIGN KEY (server_name) REFERENCES probe_profiles (server_name) ON DELETE CASCADE
);
