-- What each server type and each of its tools usually does in each hour of the week, learned from the calls through
-- its pool (docs/learning.md): one row per profile, slot and figure. A profile is a server type's tool, or the type as
-- a whole (tool_name ''). Slots 0..167 are the hours of the week (Monday 00:00 first, in the monitor's time zone),
-- 168..191 the hours of the day, 192 all hours. Figures: rate (learned as the square root of calls per minute), p50
-- and p95 (as the logarithm of milliseconds), errors (the share of calls that failed). Each estimate is a weight (the
-- minutes it learned, capped at four weeks' worth), a level and a spread (the mean absolute deviation) on that scale;
-- for errors the level is failures per call and the spread the slot's mean calls per minute.
-- Written whole for each profile that changed, every few minutes and at the stop.
CREATE TABLE usage_profiles (
    server_type TEXT NOT NULL,
    tool_name TEXT NOT NULL,
    -- the start of the last minute the profile learned (UTC text as SqlTime writes it): minutes after it that the
    -- monitor was not up for are not learned
    learned_up_to DATETIME NOT NULL,
    PRIMARY KEY (server_type, tool_name)
);
CREATE TABLE usage_profile_cells (
    server_type TEXT NOT NULL,
    tool_name TEXT NOT NULL,
    slot INTEGER NOT NULL CHECK (slot >= 0 AND slot <= 192),
    figure TEXT NOT NULL CHECK (figure IN ('rate', 'p50', 'p95', 'errors')),
    weight REAL NOT NULL CHECK (weight > 0),
    level REAL NOT NULL,
    spread REAL NOT NULL CHECK (spread >= 0),
    PRIMARY KEY (server_type, tool_name, slot, figure),
    FOREIGN KEY (server_type, tool_name) REFERENCES usage_profiles (server_type, tool_name) ON DELETE CASCADE
);
